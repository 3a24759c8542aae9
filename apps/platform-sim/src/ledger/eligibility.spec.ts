import { LedgerTestKit, PSN_NO } from './ledger-test-kit';

// Seeded persons (insured-persons.ts): 赵六 is suspended (暂停参保), 钱七 lacks inpatient entitlement to the pool.
const SUSPENDED = { psn_no: '42000000000000000000045678', certno: '420103197503150049' };
const IN_ARREARS = { psn_no: '42000000000000000000056789', certno: '420104198807070057' };

const entitlementQuery = (psn_no: string, med_type = '21', insutype = '310') => ({
  data: {
    psn_no,
    insutype,
    fixmedins_code: 'H42010200123',
    med_type,
    begntime: '2024-05-15 09:00:00',
  },
});

type Trtinfo = { trtinfo: Record<string, string | null>[] };

describe('who the person is (1101) and what they may claim (2001)', () => {
  let kit: LedgerTestKit;
  beforeEach(() => {
    kit = new LedgerTestKit();
  });

  describe('1101', () => {
    it('answers the insurance status: 暂停参保 (2) with the date it was suspended', () => {
      const output = kit.ok('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: SUSPENDED.certno } });
      expect(output).toMatchObject({
        baseinfo: { psn_no: SUSPENDED.psn_no },
        insuinfo: [{ insutype: '310', psn_insu_stas: '2', paus_insu_date: '2024-03-01' }],
      });
    });

    it('answers 正常参保 (1) for a normally insured person', () => {
      const output = kit.ok('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '420102198001011234' } });
      expect(output).toMatchObject({ insuinfo: [{ psn_insu_stas: '1', paus_insu_date: null }] });
    });

    it('needs the card_sn with a social security card (03) and checks it against the card', () => {
      const card = { mdtrt_cert_type: '03', mdtrt_cert_no: 'H42010200001' };
      expect(kit.refused('1101', { data: card })).toMatch(/card_sn.*不能为空/);
      expect(kit.refused('1101', { data: { ...card, card_sn: '420100D15600000500FFFFFF' } })).toMatch(
        /卡识别码校验失败/,
      );
      expect(kit.ok('1101', { data: { ...card, card_sn: '420100D15600000500A1B2C3' } })).toMatchObject({
        baseinfo: { psn_no: PSN_NO },
      });
    });

    it('issues a card read for the first time (enrolment on) with the card_sn it carries', () => {
      const enrolling = new LedgerTestKit({ enrolUnknownPersons: true });
      const card = { mdtrt_cert_type: '03', mdtrt_cert_no: 'H42011100077' };
      const first = enrolling.ok('1101', { data: { ...card, card_sn: 'SN0001' } }) as {
        baseinfo: { psn_no: string };
      };
      expect(enrolling.ok('1101', { data: { ...card, card_sn: 'SN0001' } })).toMatchObject({
        baseinfo: { psn_no: first.baseinfo.psn_no },
      });
      expect(enrolling.refused('1101', { data: { ...card, card_sn: 'SN0002' } })).toMatch(/卡识别码校验失败/);
    });
  });

  describe('2001', () => {
    it('lists every fund of the insurance as enjoyed for a normally insured employee', () => {
      const { trtinfo } = kit.ok('2001', entitlementQuery(PSN_NO)) as Trtinfo;
      expect(trtinfo.map((r) => [r.fund_pay_type, r.trt_enjymnt_flag])).toEqual([
        ['310100', '1'],
        ['330100', '1'],
        ['310200', '1'],
      ]);
      expect(trtinfo[0]).toMatchObject({ psn_no: PSN_NO, trt_chk_type: '01', trt_chk_rslt: null });
    });

    it('says no to the pool for inpatient care of a person in arrears, with the reason, and yes to outpatient care', () => {
      const inpatient = (kit.ok('2001', entitlementQuery(IN_ARREARS.psn_no)) as Trtinfo).trtinfo;
      expect(inpatient.find((r) => r.fund_pay_type === '310100')).toMatchObject({
        trt_enjymnt_flag: '0',
        trt_chk_rslt: expect.stringContaining('暂停享受住院统筹基金待遇'),
      });
      expect(inpatient.find((r) => r.fund_pay_type === '310200')).toMatchObject({ trt_enjymnt_flag: '1' });
      const outpatient = (kit.ok('2001', entitlementQuery(IN_ARREARS.psn_no, '11')) as Trtinfo).trtinfo;
      expect(outpatient.every((r) => r.trt_enjymnt_flag === '1')).toBe(true);
    });

    it('enjoys no fund for a suspended person, naming the status', () => {
      const { trtinfo } = kit.ok('2001', entitlementQuery(SUSPENDED.psn_no)) as Trtinfo;
      expect(trtinfo.length).toBeGreaterThan(0);
      for (const row of trtinfo) {
        expect(row).toMatchObject({
          trt_enjymnt_flag: '0',
          trt_chk_rslt: expect.stringContaining('暂停参保'),
        });
      }
    });

    it('refuses an unknown person and an insutype the person does not hold', () => {
      expect(kit.refused('2001', entitlementQuery('42000000000000000000099999'))).toMatch(/不存在/);
      expect(kit.refused('2001', entitlementQuery(PSN_NO, '21', '390'))).toMatch(/无险种类型\[390\]/);
    });

    it('refuses a query without its required fields', () => {
      expect(kit.refused('2001', { data: { psn_no: PSN_NO } })).toMatch(/不能为空/);
    });
  });

  it('refuses 2401 for a suspended person, as the platform does', () => {
    expect(
      kit.refused('2401', {
        mdtrtinfo: {
          psn_no: SUSPENDED.psn_no,
          insutype: '310',
          begntime: '2024-05-06 09:12:00',
          med_type: '21',
          ipt_no: 'ZY009',
        },
        diseinfo: [{ psn_no: SUSPENDED.psn_no, diag_code: 'J18.900', maindiag_flag: '1' }],
      }),
    ).toMatch(/暂停参保.*不能办理入院登记/);
  });
});
