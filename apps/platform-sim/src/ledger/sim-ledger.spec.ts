import Decimal from 'decimal.js';
import { LedgerTestKit, PSN_NO } from './ledger-test-kit';
import { ALREADY_REFUNDED_ERR_MSG } from './reversals';

type SettlementOutput = {
  setlinfo: Record<string, number | string>;
  setldetail: Record<string, number | string>[];
};

describe('SimLedger', () => {
  let kit: LedgerTestKit;
  beforeEach(() => {
    kit = new LedgerTestKit();
  });

  /** Admitted, two lines uploaded (86.40 + 300.00 = 386.40), discharged: ready to settle. */
  function dischargedVisitWithFees(): string {
    const mdtrt_id = kit.admit();
    kit.ok('2301', {
      feedetail: [
        kit.feeLine(mdtrt_id, 'FY1', '2', '43.2', '86.40'),
        kit.feeLine(mdtrt_id, 'FY2', '1', '300', '300.00', { med_list_codg: '002701000010000-270100001' }),
      ],
    });
    kit.discharge(mdtrt_id);
    return mdtrt_id;
  }

  describe('envelope rules', () => {
    it('refuses a repeated msgid, whatever the interface', () => {
      kit.call(
        '1101',
        { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '420102198001011234' } },
        'H42010200123202405150930120001',
      );
      const again = kit.call('2401', {}, 'H42010200123202405150930120001');
      expect(again).toEqual({
        infcode: -1,
        err_msg: expect.stringContaining('发送方报文ID[H42010200123202405150930120001]重复'),
      });
    });

    it('tells a caller without an open sign-in to sign in (签到)', () => {
      const answer = kit.ledger.handle({
        infno: '1101',
        msgid: kit.nextMsgid(),
        input: { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '420102198001011234' } },
        mdtrtarea_admvs: '420100',
        fixmedins_code: 'H42010200123',
        fixmedins_name: '武汉市某某医院',
      });
      expect(answer).toEqual({ infcode: -1, err_msg: '签到编号为空，请先签到' });
    });

    it('refuses an interface it does not serve, naming the infno', () => {
      expect(kit.refused('1901', {})).toBe('交易编号[1901]不存在或未开通');
    });
  });

  describe('1101 person query', () => {
    it('finds the person by ID number and answers baseinfo, insuinfo with balance and pooling area, idetinfo', () => {
      const output = kit.ok('1101', {
        data: { mdtrt_cert_type: '02', mdtrt_cert_no: '420102198001011234', psn_name: '张三' },
      });
      expect(output).toMatchObject({
        baseinfo: { psn_no: PSN_NO, age: 44 },
        insuinfo: [{ insutype: '310', insuplc_admdvs: '420100', balc: 3350.4 }],
        idetinfo: [],
      });
    });

    it('refuses an unknown credential', () => {
      expect(
        kit.refused('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '110101200001010000' } }),
      ).toContain('未查询到');
    });
  });

  describe('2401–2405 visit life cycle', () => {
    it('gives a new mdtrt_id and refuses a second open admission of the same person', () => {
      const mdtrt_id = kit.admit();
      expect(mdtrt_id).toMatch(/^42010020240515\d{10}$/);
      expect(
        kit.refused('2401', { mdtrtinfo: { psn_no: PSN_NO, insutype: '310' }, diseinfo: [{}] }),
      ).toContain(`存在未结算的住院登记信息[${mdtrt_id}]`);
    });

    it('refuses 2402 twice', () => {
      const mdtrt_id = kit.admit();
      kit.discharge(mdtrt_id);
      const err = kit.refused('2402', {
        dscginfo: {
          mdtrt_id,
          psn_no: PSN_NO,
          endtime: '2024-05-15 09:00:00',
          dscg_dept_codg: 'A03',
          dscg_way: '1',
        },
      });
      expect(err).toContain('已办理出院，不能重复办理出院');
    });

    it('refuses 2405 without a 2402, accepts it after one', () => {
      const mdtrt_id = kit.admit();
      expect(kit.refused('2405', { data: { mdtrt_id, psn_no: PSN_NO } })).toContain(
        '未办理出院，不能撤销出院',
      );
      kit.discharge(mdtrt_id);
      kit.ok('2405', { data: { mdtrt_id, psn_no: PSN_NO } });
      expect(kit.ledger.visit(mdtrt_id)?.registration.status).toBe('admitted');
    });

    it('refuses 2404 while fee details remain, accepts it once they are revoked', () => {
      const mdtrt_id = kit.admit();
      kit.ok('2301', { feedetail: [kit.feeLine(mdtrt_id, 'FY1', '1', '43.2', '43.20')] });
      expect(kit.refused('2404', { data: { mdtrt_id, psn_no: PSN_NO } })).toContain(
        '存在1条未撤销的费用明细',
      );
      kit.ok('2302', { data: [{ feedetl_sn: '0000', mdtrt_id, psn_no: PSN_NO }] });
      kit.ok('2404', { data: { mdtrt_id, psn_no: PSN_NO } });
      expect(kit.ledger.visit(mdtrt_id)?.registration.status).toBe('cancelled');
    });

    it('answers 2407 with what 2406 stored', () => {
      const mdtrt_id = kit.admit();
      const stored = kit.ok('2406', {
        data: { mdtrt_id, psn_no: PSN_NO, ipt_psn_sp_flag_type: '01', ipt_psn_sp_flag: '1' },
      }) as { data: { ipt_psn_sp_flag_detl_id: string } };
      expect(kit.ok('2407', { data: { mdtrt_id, psn_no: PSN_NO } })).toEqual({
        data: [
          expect.objectContaining({
            ipt_psn_sp_flag_detl_id: stored.data.ipt_psn_sp_flag_detl_id,
            ipt_psn_sp_flag: '1',
          }),
        ],
      });
    });
  });

  describe('2301/2302 fee details', () => {
    it('prices each line: 乙类 with 先行自付 10% and the price ceiling', () => {
      const mdtrt_id = kit.admit();
      const output = kit.ok('2301', {
        feedetail: [
          kit.feeLine(mdtrt_id, 'FY1', '2', '43.2', '86.40'),
          kit.feeLine(mdtrt_id, 'FY2', '1', '55', '55.00'),
          kit.feeLine(mdtrt_id, 'FY3', '1', '10', '10.00', { med_list_codg: 'UNKNOWN-CODE' }),
        ],
      }) as { result: Record<string, unknown>[] };
      expect(output.result[0]).toMatchObject({
        chrgitm_lv: '02',
        selfpay_prop: 0.1,
        preselfpay_amt: 8.64,
        inscp_scp_amt: 77.76,
        overlmt_amt: 0,
      });
      expect(output.result[1]).toMatchObject({ overlmt_amt: 5, preselfpay_amt: 5, inscp_scp_amt: 45 });
      expect(output.result[2]).toMatchObject({ chrgitm_lv: '03', fulamt_ownpay_amt: 10, inscp_scp_amt: 0 });
    });

    it('refuses a line whose med_list_codg is not in the catalogue (a client mapping error), storing nothing', () => {
      const strict = new LedgerTestKit({ refuseCodesOutsideCatalogue: true });
      const mdtrt_id = strict.admit();
      const err = strict.refused('2301', {
        feedetail: [
          strict.feeLine(mdtrt_id, 'FY1', '1', '43.2', '43.20'),
          strict.feeLine(mdtrt_id, 'FY2', '1', '10', '10.00', { med_list_codg: 'UNKNOWN-CODE' }),
        ],
      });
      expect(err).toBe('费用明细[FY2]医疗目录编码[UNKNOWN-CODE]在医保目录中不存在');
      expect(strict.ledger.visit(mdtrt_id)?.feeLines ?? []).toEqual([]);
      // A code of the catalogue goes up.
      strict.ok('2301', { feedetail: [strict.feeLine(mdtrt_id, 'FY1', '1', '43.2', '43.20')] });
    });

    it('refuses a feedetl_sn already uploaded for the visit, and stores nothing of that batch', () => {
      const mdtrt_id = kit.admit();
      kit.ok('2301', { feedetail: [kit.feeLine(mdtrt_id, 'FY1', '1', '43.2', '43.20')] });
      const err = kit.refused('2301', {
        feedetail: [
          kit.feeLine(mdtrt_id, 'FY2', '1', '43.2', '43.20'),
          kit.feeLine(mdtrt_id, 'FY1', '1', '43.2', '43.20'),
        ],
      });
      expect(err).toContain('费用明细流水号[FY1]已存在');
      expect(kit.ledger.visit(mdtrt_id)?.feeLines.map((l) => l.feedetl_sn)).toEqual(['FY1']);
    });

    it('refuses a line whose total is not cnt × pric', () => {
      const mdtrt_id = kit.admit();
      expect(
        kit.refused('2301', { feedetail: [kit.feeLine(mdtrt_id, 'FY1', '3', '43.2', '130.00')] }),
      ).toContain('明细项目费用总额[130.00]不等于数量[3]乘以单价[43.2]');
    });

    it('accepts a refund line against its original and refuses one that refunds more than was charged', () => {
      const mdtrt_id = kit.admit();
      kit.ok('2301', { feedetail: [kit.feeLine(mdtrt_id, 'FY1', '2', '43.2', '86.40')] });
      kit.ok('2301', {
        feedetail: [kit.feeLine(mdtrt_id, 'FY2', '-1', '43.2', '-43.20', { init_feedetl_sn: 'FY1' })],
      });
      expect(
        kit.refused('2301', {
          feedetail: [kit.feeLine(mdtrt_id, 'FY3', '-2', '43.2', '-86.40', { init_feedetl_sn: 'FY1' })],
        }),
      ).toContain('退费数量超过原费用明细[FY1]的剩余数量');
      expect(kit.ledger.visit(mdtrt_id)?.uploadedTotal).toBe('43.20');
    });

    it('revokes one line, or every unsettled line with 0000; a revoked sn can be uploaded again', () => {
      const mdtrt_id = kit.admit();
      kit.ok('2301', {
        feedetail: [
          kit.feeLine(mdtrt_id, 'FY1', '1', '43.2', '43.20'),
          kit.feeLine(mdtrt_id, 'FY2', '1', '43.2', '43.20'),
        ],
      });
      kit.ok('2302', { data: { feedetl_sn: 'FY1', mdtrt_id, psn_no: PSN_NO } });
      expect(kit.ledger.visit(mdtrt_id)?.uploadedTotal).toBe('43.20');
      kit.ok('2302', { data: [{ feedetl_sn: '0000', mdtrt_id, psn_no: PSN_NO }] });
      expect(kit.ledger.visit(mdtrt_id)?.uploadedTotal).toBe('0.00');
      kit.ok('2301', { feedetail: [kit.feeLine(mdtrt_id, 'FY1', '1', '43.2', '43.20')] });
      expect(kit.refused('2302', { data: { feedetl_sn: 'FY9', mdtrt_id, psn_no: PSN_NO } })).toContain(
        '[FY9]不存在',
      );
    });
  });

  describe('2303/2304/2305 settlement', () => {
    it('splits the bill so the platform identities hold exactly, echoing the msgid as medins_setl_id', () => {
      const mdtrt_id = dischargedVisitWithFees();
      const output = kit.ok('2304', kit.settlementData(mdtrt_id, '386.40')) as SettlementOutput;
      const s = output.setlinfo;
      const d = (field: string) => new Decimal(s[field]!);
      expect(
        d('medfee_sumamt').eq(d('fund_pay_sumamt').plus(d('psn_part_amt')).plus(d('hosp_part_amt'))),
      ).toBe(true);
      expect(d('psn_part_amt').eq(d('acct_pay').plus(d('psn_cash_pay')))).toBe(true);
      expect(s).toMatchObject({
        medfee_sumamt: 386.4,
        medins_setl_id: kit.lastMsgid,
        act_pay_dedc: expect.any(Number),
        clr_type: '21',
      });
      expect(output.setldetail.map((f) => f.fund_pay_type)).toContain('310100');
      expect(kit.ledger.visit(mdtrt_id)?.registration.status).toBe('settled');
    });

    it('settles at the clock a test sets, which runs on from there and goes back to the real time', () => {
      const mdtrt_id = dischargedVisitWithFees();
      // The test ledgers' real time is 2024-05-15 09:30 Beijing; a week earlier, at 10:00 Beijing:
      expect(kit.ledger.setClock(new Date('2024-05-08T02:00:00Z')).toISOString()).toBe(
        '2024-05-08T02:00:00.000Z',
      );
      const { setlinfo } = kit.ok('2304', kit.settlementData(mdtrt_id, '386.40')) as SettlementOutput;
      expect(setlinfo.setl_time).toBe('2024-05-08 10:00:00');
      expect(kit.ledger.setClock().toISOString()).toBe('2024-05-15T01:30:00.000Z');
    });

    it('pays from the pool above the deductible at 85% for an employee', () => {
      const mdtrt_id = kit.admit();
      // 10 × 250 CT (乙类, 8% 先行自付 = 200): inscp 2300.00; pool = (2300 − 800) × 0.85 = 1275.00
      kit.ok('2301', {
        feedetail: [
          kit.feeLine(mdtrt_id, 'FY1', '10', '250', '2500.00', {
            med_list_codg: '002701000010000-270100001',
          }),
        ],
      });
      kit.discharge(mdtrt_id);
      const { setlinfo } = kit.ok(
        '2304',
        kit.settlementData(mdtrt_id, '2500.00', { acct_used_flag: '0' }),
      ) as SettlementOutput;
      expect(setlinfo).toMatchObject({
        preselfpay_amt: 200,
        inscp_scp_amt: 2300,
        act_pay_dedc: 800,
        hifp_pay: 1275,
        fund_pay_sumamt: 1275,
        psn_part_amt: 1225,
        acct_pay: 0,
        psn_cash_pay: 1225,
      });
    });

    it('refuses a 2304 whose medfee_sumamt differs from the uploaded total', () => {
      const mdtrt_id = dischargedVisitWithFees();
      expect(kit.refused('2304', kit.settlementData(mdtrt_id, '386.41'))).toContain(
        '医疗费总额[386.41]与已上传费用明细总额[386.40]不一致',
      );
    });

    it('refuses a discharge settlement before 2402 but allows a mid-way one', () => {
      const mdtrt_id = kit.admit();
      kit.ok('2301', { feedetail: [kit.feeLine(mdtrt_id, 'FY1', '1', '43.2', '43.20')] });
      expect(kit.refused('2304', kit.settlementData(mdtrt_id, '43.20'))).toContain(
        '未办理出院，不能办理出院结算',
      );
      kit.ok('2304', kit.settlementData(mdtrt_id, '43.20', { mid_setl_flag: '1' }));
      expect(kit.ledger.visit(mdtrt_id)?.registration.status).toBe('admitted');
    });

    it('leaves 超限价 to the patient by default, and to the hospital as its own fund row where policy says so', () => {
      // One CT at 300.00 against its 260.00 ceiling: 40.00 over the limit.
      const settle = (bears: LedgerTestKit) => {
        const mdtrt_id = bears.admit();
        bears.ok('2301', {
          feedetail: [
            bears.feeLine(mdtrt_id, 'FY1', '1', '300', '300.00', {
              med_list_codg: '002701000010000-270100001',
            }),
          ],
        });
        bears.discharge(mdtrt_id);
        return bears.ok(
          '2304',
          bears.settlementData(mdtrt_id, '300.00', { acct_used_flag: '0' }),
        ) as SettlementOutput;
      };
      const patient = settle(kit);
      expect(patient.setlinfo).toMatchObject({ overlmt_selfpay: 40, hosp_part_amt: 0, psn_part_amt: 300 });
      expect(patient.setldetail.map((f) => f.fund_pay_type)).not.toContain('999996');
      const hospital = settle(new LedgerTestKit({ hospitalBearsOverlimit: true }));
      expect(hospital.setlinfo).toMatchObject({ overlmt_selfpay: 40, hosp_part_amt: 40, psn_part_amt: 260 });
      expect(hospital.setldetail).toContainEqual(
        expect.objectContaining({ fund_pay_type: '999996', fund_payamt: 40, fund_pay_type_name: '医院负担' }),
      );
    });

    it('2303 computes without storing anything', () => {
      const mdtrt_id = dischargedVisitWithFees();
      const { setlinfo } = kit.ok('2303', kit.settlementData(mdtrt_id, '386.40')) as SettlementOutput;
      expect(setlinfo['setl_id']).toBeUndefined();
      expect(kit.ledger.visit(mdtrt_id)?.settlements).toEqual([]);
    });

    it('2305 answers the amounts negated, refunds the account and reopens the visit; a second 2305 is refused', () => {
      const mdtrt_id = dischargedVisitWithFees();
      const settled = kit.ok('2304', kit.settlementData(mdtrt_id, '386.40')) as SettlementOutput;
      const setl_id = settled.setlinfo['setl_id'] as string;
      const cancelled = kit.ok('2305', { data: { mdtrt_id, setl_id, psn_no: PSN_NO } }) as SettlementOutput;
      expect(cancelled.setlinfo['medfee_sumamt']).toBe(-386.4);
      expect(cancelled.setlinfo['acct_pay']).toBe(-(settled.setlinfo['acct_pay'] as number));
      expect(cancelled.setlinfo['balc']).toBe(3350.4);
      expect(kit.ledger.visit(mdtrt_id)?.registration.status).toBe('discharged');
      expect(kit.refused('2305', { data: { mdtrt_id, setl_id, psn_no: PSN_NO } })).toContain(
        '已撤销，不能重复撤销',
      );
    });
  });

  describe('a 生育住院 (med_type 52)', () => {
    it('keeps the maternity fields 2401, 2403 and 2402 give, and refuses a discharge that names no 生育类别', () => {
      const admitted = kit.ok('2401', {
        mdtrtinfo: {
          psn_no: PSN_NO,
          insutype: '310',
          begntime: '2024-05-06 09:12:00',
          med_type: '52',
          ipt_no: 'ZY052',
          geso_val: 39,
          fetts: '2',
          fetus_cnt: 1,
        },
        diseinfo: [{ psn_no: PSN_NO, diag_code: 'O80.000', maindiag_flag: '1' }],
      }) as { result: { mdtrt_id: string } };
      const { mdtrt_id } = admitted.result;
      kit.ok('2403', {
        adminfo: {
          mdtrt_id,
          psn_no: PSN_NO,
          begntime: '2024-05-06 09:12:00',
          med_type: '52',
          ipt_otp_no: 'ZY052',
          matn_type: '1',
          birctrl_matn_date: '2024-05-07',
        },
      });
      const dscginfo = {
        mdtrt_id,
        psn_no: PSN_NO,
        insutype: '310',
        endtime: '2024-05-10 09:00:00',
        dscg_dept_codg: 'A05.01',
        dscg_way: '1',
      };
      expect(kit.refused('2402', { dscginfo, diseinfo: [] })).toContain(
        '生育类别[dscginfo.matn_type]不能为空',
      );
      kit.ok('2402', { dscginfo: { ...dscginfo, matn_type: '1', pret_flag: '0' }, diseinfo: [] });
      expect(kit.ledger.visit(mdtrt_id)?.registration.maternity).toEqual({
        geso_val: '39',
        fetts: '2',
        fetus_cnt: '1',
        matn_type: '1',
        birctrl_matn_date: '2024-05-07',
        pret_flag: '0',
      });
    });
  });

  describe('2601 reversal', () => {
    it('removes the registration of a reversed 2401, once', () => {
      const mdtrt_id = kit.admit();
      const omsgid = kit.lastMsgid;
      kit.ok('2601', { data: { psn_no: PSN_NO, omsgid, oinfno: '2401' } });
      expect(kit.ledger.visit(mdtrt_id)?.registration.status).toBe('reversed');
      expect(kit.refused('2601', { data: { psn_no: PSN_NO, omsgid, oinfno: '2401' } })).toContain(
        '已冲正，不能重复冲正',
      );
      expect(kit.admit()).not.toBe(mdtrt_id);
    });

    it('undoes a reversed 2304: no settlement stands and the visit can be settled again', () => {
      const mdtrt_id = dischargedVisitWithFees();
      kit.ok('2304', kit.settlementData(mdtrt_id, '386.40'));
      kit.ok('2601', { data: { psn_no: PSN_NO, omsgid: kit.lastMsgid, oinfno: '2304' } });
      expect(kit.ledger.visit(mdtrt_id)?.settlements.map((s) => s.status)).toEqual(['reversed']);
      expect(
        kit.ok('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '420102198001011234' } }),
      ).toMatchObject({
        insuinfo: [{ balc: 3350.4 }],
      });
      kit.ok('2304', kit.settlementData(mdtrt_id, '386.40'));
    });

    it('refuses to reverse a settlement already cancelled by 2305, as the platform does', () => {
      const mdtrt_id = dischargedVisitWithFees();
      const settled = kit.ok('2304', kit.settlementData(mdtrt_id, '386.40')) as SettlementOutput;
      const omsgid = kit.lastMsgid;
      kit.ok('2305', { data: { mdtrt_id, setl_id: settled.setlinfo['setl_id'] as string, psn_no: PSN_NO } });
      expect(kit.refused('2601', { data: { psn_no: PSN_NO, omsgid, oinfno: '2304' } })).toBe(
        ALREADY_REFUNDED_ERR_MSG,
      );
    });

    it('refuses interfaces that are not reversible and msgids it never applied', () => {
      const mdtrt_id = kit.admit();
      kit.ok('2301', { feedetail: [kit.feeLine(mdtrt_id, 'FY1', '1', '43.2', '43.20')] });
      expect(
        kit.refused('2601', { data: { psn_no: PSN_NO, omsgid: kit.lastMsgid, oinfno: '2301' } }),
      ).toContain('交易[2301]不允许冲正');
      expect(
        kit.refused('2601', {
          data: { psn_no: PSN_NO, omsgid: 'H42010200123209912310000000001', oinfno: '2401' },
        }),
      ).toContain('未找到原交易');
    });
  });

  describe('3101/3102 audits', () => {
    const encounter = (
      orders: object[],
      diagnoses: object[] = [{ maindise_flag: '1', dise_codg: 'J18.900' }],
    ) => ({
      data: {
        trig_scen: '9',
        patient_dtos: [
          {
            patn_id: PSN_NO,
            fsi_encounter_dtos: [{ mdtrt_id: 'M1', fsi_diagnose_dtos: diagnoses, fsi_order_dtos: orders }],
          },
        ],
      },
    });
    const order = (rx_id: string, cnt: number, begn = '2024-05-06 10:00:00') => ({
      rx_id,
      hilist_code: 'XJ01DDA068B002010101445',
      hilist_name: '注射用头孢曲松钠',
      cnt,
      pric: 43.2,
      sumamt: 43.2 * cnt,
      drord_begn_date: begn,
    });

    it('finds nothing in a clean stay', () => {
      expect(kit.ok('3102', encounter([order('R1', 2)]))).toEqual({ result: [] });
    });

    it('flags a drug over its limit, with the amount over it', () => {
      const { result } = kit.ok(
        '3102',
        encounter([order('R1', 15), order('R2', 10, '2024-05-07 10:00:00')]),
      ) as {
        result: Record<string, unknown>[];
      };
      expect(result).toEqual([
        expect.objectContaining({ rule_name: '超限定数量使用药品', vola_amt: 216, mdtrt_id: 'M1' }),
      ]);
    });

    it('flags a duplicate charge and a missing main diagnosis', () => {
      const { result } = kit.ok('3102', encounter([order('R1', 1), order('R2', 1)], [])) as {
        result: { rule_name: string }[];
      };
      expect(result.map((r) => r.rule_name).sort()).toEqual(['缺少主要诊断', '重复收费'].sort());
    });

    it('flags an item restricted to one sex or to children only when the patient’s gend or brdy says so', () => {
      const restricted = (rx_id: string, hilist_code: string) => ({
        rx_id,
        hilist_code,
        cnt: 2,
        pric: 4,
        sumamt: 8,
        drord_begn_date: '2024-05-06 10:00:00',
      });
      const audit = (patient: object) =>
        (
          kit.ok('3101', {
            data: {
              trig_scen: '4',
              patient_dtos: [
                {
                  patn_id: PSN_NO,
                  ...patient,
                  fsi_encounter_dtos: [
                    {
                      mdtrt_id: 'M1',
                      fsi_diagnose_dtos: [{ maindise_flag: '1', dise_codg: 'N40.x00' }],
                      fsi_order_dtos: [
                        restricted('R1', 'XG04CAT038E001010101445'),
                        restricted('R2', 'ZA09BAX0150010101499'),
                      ],
                    },
                  ],
                },
              ],
            },
          }) as {
            result: {
              rule_id: string;
              vola_cont: string;
              vola_amt: number;
              judge_result_detail_dtos: { rx_id: string }[];
            }[];
          }
        ).result;
      // Without sex and birth date the rules cannot fire.
      expect(audit({})).toEqual([]);
      // A man of 44: the children's item is flagged, the men's item is not.
      const man = audit({ gend: '1', brdy: '1980-01-01' });
      expect(man.map((f) => [f.rule_id, f.judge_result_detail_dtos.map((d) => d.rx_id)])).toEqual([
        ['SIM-R005', ['R2']],
      ]);
      expect(man[0]!.vola_cont).toContain('患者年龄44岁');
      // A girl of 8: the men's item is flagged (8.00 of it), the children's item is hers.
      const girl = audit({ gend: '2', brdy: '2016-03-01' });
      expect(girl.map((f) => [f.rule_id, f.vola_amt])).toEqual([['SIM-R004', 8]]);
      expect(girl[0]!.vola_cont).toContain('限男性使用');
    });

    it('refuses a trig_scen that belongs to the other analysis', () => {
      expect(kit.refused('3101', encounter([]))).toContain('触发场景[9]不适用于交易[3101]');
    });
  });

  describe('reports', () => {
    it('4101A answers a setl_list_id for a standing settlement and refuses a second upload', () => {
      const mdtrt_id = dischargedVisitWithFees();
      const { setlinfo } = kit.ok('2304', kit.settlementData(mdtrt_id, '386.40')) as SettlementOutput;
      const list = {
        setlinfo: { mdtrt_id, setl_id: setlinfo['setl_id'], psn_no: PSN_NO, stas_type: '1' },
        diseinfo: [{ diag_code: 'J18.900' }],
      };
      expect(kit.ok('4101A', list)).toEqual({ setl_list_id: expect.stringMatching(/^420100QD/) });
      expect(kit.refused('4101A', list)).toContain('不能重复上传');
    });

    it('4102 withdraws a standing list once; a corrected list then goes up; it refuses a list that is not there', () => {
      const mdtrt_id = dischargedVisitWithFees();
      const { setlinfo } = kit.ok('2304', kit.settlementData(mdtrt_id, '386.40')) as SettlementOutput;
      const setl_id = setlinfo['setl_id'] as string;
      const list = { setlinfo: { mdtrt_id, setl_id, psn_no: PSN_NO, stas_type: '1' }, diseinfo: [{}] };
      const status = (stas_type: string, id = setl_id) => ({
        data: { stastinfo: [{ psn_no: PSN_NO, setl_id: id, stas_type }] },
      });
      expect(kit.refused('4102', status('0'))).toContain('不存在已上传的结算清单');
      const first = kit.ok('4101A', list) as { setl_list_id: string };
      expect(kit.refused('4102', status('1'))).toContain('已提交，不能重复提交');
      expect(kit.ok('4102', status('0'))).toBeNull();
      expect(kit.refused('4102', status('0'))).toContain('不存在已上传的结算清单');
      const second = kit.ok('4101A', list) as { setl_list_id: string };
      expect(second.setl_list_id).not.toBe(first.setl_list_id);
      expect(
        kit.ledger
          .snapshot()
          .reports.filter((r) => r.key === setl_id)
          .map((r) => r.vali_flag),
      ).toEqual(['0', '1']);
      // A list uploaded unsubmitted (stas_type 0) is submitted by 4102 1, and only then withdrawable.
      kit.ok('4102', status('0'));
      kit.ok('4101A', { ...list, setlinfo: { ...list.setlinfo, stas_type: '0' } });
      expect(kit.refused('4102', status('0'))).toContain('未提交，不能撤回');
      kit.ok('4102', status('1'));
      // The settlement cancelled (2305): its list can no longer be uploaded, and the standing one withdrawn.
      kit.ok('2305', { data: { mdtrt_id, setl_id, psn_no: PSN_NO } });
      kit.ok('4102', status('0'));
      expect(kit.refused('4101A', list)).toContain('已撤销，不能上传结算清单');
    });

    it('4401 follows vali_flag: 1 uploads once, 0 voids the valid record, 0 again has nothing to void', () => {
      const record = (vali_flag: string) => ({ baseinfo: { mdtrt_sn: 'H42010200123ZY001', vali_flag } });
      kit.ok('4401', record('1'));
      expect(kit.refused('4401', record('1'))).toContain('已上传');
      kit.ok('4401', record('0'));
      expect(kit.refused('4401', record('0'))).toContain('不存在有效的上传记录');
      expect(
        kit.refused('4402', { data: [{ mdtrt_sn: 'S1', medcas_drord_detl_id: 'D1', vali_flag: '2' }] }),
      ).toContain('vali_flag]取值[2]不在字典范围内');
    });
  });
});
