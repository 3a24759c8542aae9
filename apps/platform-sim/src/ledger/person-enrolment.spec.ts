import { LedgerTestKit } from './ledger-test-kit';

type PersonAnswer = {
  baseinfo: { psn_no: string; certno: string; psn_name: string; gend: string; brdy: string; age: number };
  insuinfo: { insutype: string; insuplc_admdvs: string; balc: number; psn_type: string }[];
};

/** A well-formed ID number none of the seeded persons holds: 宜昌 420502, born 1975-06-12, male (odd 123). */
const ADULT_CERTNO = '420502197506121230';
/** 武汉 420106, born 2012-03-04, female (even 002). */
const CHILD_CERTNO = '420106201203040022';
const UNKNOWN_PSN_NO = '42000012345678901234';

describe('SimLedger enrolment of unknown persons', () => {
  const byIdNumber = (certno: string) => ({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: certno } });
  const admission = (psn_no: string, insutype: string, extra: Record<string, unknown> = {}) => ({
    mdtrtinfo: {
      psn_no,
      insutype,
      begntime: '2024-05-06 09:12:00',
      med_type: '21',
      ipt_no: 'ZY900',
      ...extra,
    },
    diseinfo: [{ psn_no, diag_code: 'J18.900', maindiag_flag: '1' }],
  });

  describe('given enrolment is off (the platform as it is)', () => {
    const kit = new LedgerTestKit();

    it('when 1101 names an unknown ID number, then it is refused', () => {
      expect(kit.refused('1101', byIdNumber(ADULT_CERTNO))).toContain('未查询到该人员的参保信息');
    });

    it('when 2401 names an unknown psn_no, then it is refused', () => {
      expect(kit.refused('2401', admission(UNKNOWN_PSN_NO, '310'))).toBe(
        `人员编号[${UNKNOWN_PSN_NO}]不存在，请核实参保信息`,
      );
    });
  });

  describe('given enrolment is on', () => {
    let kit: LedgerTestKit;
    beforeEach(() => {
      kit = new LedgerTestKit({ enrolUnknownPersons: true });
    });

    it('when 1101 names an unknown adult ID number, then birth date, sex and pooling area come from its digits', () => {
      const answer = kit.ok('1101', byIdNumber(ADULT_CERTNO)) as PersonAnswer;
      expect(answer.baseinfo).toMatchObject({ certno: ADULT_CERTNO, brdy: '1975-06-12', gend: '1', age: 48 });
      expect(answer.baseinfo.psn_no).toMatch(/^420000\d{14}$/);
      expect(answer.insuinfo).toEqual([
        expect.objectContaining({ insutype: '310', insuplc_admdvs: '420500', balc: 1200, psn_type: '1101' }),
      ]);
    });

    it('when the same ID number is asked again, here or on another ledger, then the same psn_no answers', () => {
      const first = kit.ok('1101', byIdNumber(ADULT_CERTNO)) as PersonAnswer;
      const again = kit.ok('1101', byIdNumber(ADULT_CERTNO)) as PersonAnswer;
      const elsewhere = new LedgerTestKit({ enrolUnknownPersons: true }).ok(
        '1101',
        byIdNumber(ADULT_CERTNO),
      ) as PersonAnswer;
      expect(again.baseinfo.psn_no).toBe(first.baseinfo.psn_no);
      expect(elsewhere.baseinfo.psn_no).toBe(first.baseinfo.psn_no);
    });

    it('when 1101 names a child, then the child is a resident (390) without a personal account', () => {
      const answer = kit.ok('1101', byIdNumber(CHILD_CERTNO)) as PersonAnswer;
      expect(answer.baseinfo).toMatchObject({ brdy: '2012-03-04', gend: '2', age: 12 });
      expect(answer.insuinfo[0]).toMatchObject({ insutype: '390', insuplc_admdvs: '420100', balc: 0 });
    });

    it('when 1101 sends the name, then the enrolled person carries it', () => {
      const answer = kit.ok('1101', {
        data: { mdtrt_cert_type: '02', mdtrt_cert_no: ADULT_CERTNO, psn_name: '赵六' },
      }) as PersonAnswer;
      expect(answer.baseinfo.psn_name).toBe('赵六');
    });

    it('when 1101 sends an ID number that is not one (bad date), then it is still refused', () => {
      expect(kit.refused('1101', byIdNumber('420502197513321230'))).toContain('未查询到');
    });

    it('when 1101 presents an unknown e-voucher, then a person of the hospital area is enrolled under that token', () => {
      const token = { data: { mdtrt_cert_type: '01', mdtrt_cert_no: 'EC420100987654321098765432' } };
      const first = kit.ok('1101', token) as PersonAnswer;
      expect(first.baseinfo.certno).toMatch(/^420100\d{11}[\dX]$/);
      expect(first.insuinfo[0]!.insuplc_admdvs).toBe('420100');
      expect((kit.ok('1101', token) as PersonAnswer).baseinfo.psn_no).toBe(first.baseinfo.psn_no);
    });

    it('when the enrolled person is admitted with their insutype, then 2401 registers; another insutype is refused', () => {
      const { psn_no } = (kit.ok('1101', byIdNumber(ADULT_CERTNO)) as PersonAnswer).baseinfo;
      expect(kit.refused('2401', admission(psn_no, '390'))).toBe(
        '参保人险种类型[310]与传入险种类型[390]不一致',
      );
      expect(kit.admit(psn_no, '310')).toMatch(/^42010020240515\d{10}$/);
    });

    it('when 2401 names an unknown psn_no, then the person is enrolled with it, the insutype sent and the ID of an 02 credential', () => {
      const mdtrt_id = kit.admit(UNKNOWN_PSN_NO, '390');
      expect(kit.ledger.visit(mdtrt_id)?.registration).toMatchObject({
        psn_no: UNKNOWN_PSN_NO,
        insutype: '390',
      });
      kit.call('2404', { data: { mdtrt_id, psn_no: UNKNOWN_PSN_NO } });
      const withCertificate = '42000099999999999999';
      kit.ok(
        '2401',
        admission(withCertificate, '310', { mdtrt_cert_type: '02', mdtrt_cert_no: ADULT_CERTNO }),
      );
      const found = kit.ok('1101', byIdNumber(ADULT_CERTNO)) as PersonAnswer;
      expect(found.baseinfo).toMatchObject({ psn_no: withCertificate, brdy: '1975-06-12' });
      // The pooling area is the one the hospital sent in the envelope, not the one the ID suggests.
      expect(found.insuinfo[0]).toMatchObject({ insutype: '310', insuplc_admdvs: '420100', balc: 1200 });
    });

    it('when 2401 for an unknown psn_no is refused by another rule, then nobody is enrolled', () => {
      expect(kit.refused('2401', { mdtrtinfo: admission(UNKNOWN_PSN_NO, '310').mdtrtinfo })).toBe(
        '入参节点[diseinfo]不能为空',
      );
      // Had the refused call enrolled the person as 310, this 390 admission would be refused as a mismatch.
      expect(kit.admit(UNKNOWN_PSN_NO, '390')).toMatch(/^42010020240515\d{10}$/);
    });

    it('when the enrolled employee is settled, then the platform rules apply: the personal account pays', () => {
      const mdtrt_id = kit.admit(UNKNOWN_PSN_NO, '310');
      kit.ok('2301', {
        feedetail: [kit.feeLine(mdtrt_id, 'FY1', '2', '43.2', '86.40', {}, UNKNOWN_PSN_NO)],
      });
      kit.discharge(mdtrt_id, UNKNOWN_PSN_NO);
      const output = kit.ok('2304', kit.settlementData(mdtrt_id, '86.40', { psn_no: UNKNOWN_PSN_NO })) as {
        setlinfo: Record<string, number | string>;
      };
      expect(output.setlinfo).toMatchObject({ psn_no: UNKNOWN_PSN_NO, medfee_sumamt: 86.4 });
      expect(Number(output.setlinfo['acct_pay'])).toBeGreaterThan(0);
    });
  });
});
