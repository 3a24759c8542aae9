import { INPUT_RULES, refusalOfInput } from './input-rules';

// Each table, given a request the platform takes (written from the spec's tables) and the refusals it gives
// when that request is changed. A refusal is prefixed like every platform input check.

type Input = Record<string, unknown>;
const PSN_NO = '42000019800101123456';
const MDTRT_ID = '420100202405061234567890';

/** A copy of `input` with `fields` set in the first row of `node` (undefined deletes the field). */
function changed(input: Input, nodeName: string, fields: Record<string, unknown>): Input {
  const copy = structuredClone(input);
  const target = copy[nodeName];
  const row = (Array.isArray(target) ? target[0] : target) as Record<string, unknown>;
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) delete row[k];
    else row[k] = v;
  }
  return copy;
}

const refusal = (problem: string) => `入参校验失败：${problem}`;

const diagnosis = {
  psn_no: PSN_NO,
  diag_type: '1',
  maindiag_flag: '1',
  diag_srt_no: '1',
  diag_code: 'J18.900',
  diag_name: '肺炎',
  diag_dept: '呼吸内科',
  dise_dor_no: 'D001',
  dise_dor_name: '李医生',
  diag_time: '2024-05-06 09:30:00',
};

const REQUESTS: Record<string, Input> = {
  '9001': { signIn: { opter_no: 'OP001', ip: '10.1.1.1' } },
  '9002': { signOut: { sign_no: '420100202405150930000000001', opter_no: 'OP001' } },
  '1101': { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '420102198001011234' } },
  '2001': {
    data: {
      psn_no: PSN_NO,
      insutype: '310',
      fixmedins_code: 'H42010200123',
      med_type: '21',
      begntime: '2024-05-06 09:12:00',
    },
  },
  '2401': {
    mdtrtinfo: {
      psn_no: PSN_NO,
      insutype: '310',
      begntime: '2024-05-06 09:12:00',
      mdtrt_cert_type: '02',
      mdtrt_cert_no: '420102198001011234',
      med_type: '21',
      ipt_no: 'ZY001',
      atddr_no: 'D001',
      chfpdr_name: '李医生',
      adm_diag_dscr: '肺炎',
      adm_dept_codg: 'A03',
      adm_dept_name: '呼吸内科',
      adm_bed: '12',
      dscg_maindiag_code: 'J18.900',
      dscg_maindiag_name: '肺炎',
    },
    diseinfo: [diagnosis],
  },
  '2402': {
    dscginfo: {
      mdtrt_id: MDTRT_ID,
      psn_no: PSN_NO,
      insutype: '310',
      endtime: '2024-05-15 09:00:00',
      dscg_dept_codg: 'A03',
      dscg_dept_name: '呼吸内科',
      dscg_way: '1',
    },
    diseinfo: [],
  },
  '2301': {
    feedetail: [
      {
        feedetl_sn: 'FY1',
        mdtrt_id: MDTRT_ID,
        psn_no: PSN_NO,
        med_type: '21',
        fee_ocur_time: '2024-05-06 10:00:00',
        med_list_codg: 'XJ01DDA068B002010101445',
        medins_list_codg: 'YP000123',
        det_item_fee_sumamt: 86.4,
        cnt: '2',
        pric: '43.2',
        bilg_dept_codg: 'A03',
        bilg_dept_name: '呼吸内科',
        bilg_dr_codg: 'D001',
        bilg_dr_name: '李医生',
      },
    ],
  },
  '2302': { data: [{ feedetl_sn: '0000', mdtrt_id: MDTRT_ID, psn_no: PSN_NO }] },
  '2304': {
    data: {
      psn_no: PSN_NO,
      mdtrt_cert_type: '02',
      mdtrt_cert_no: '420102198001011234',
      medfee_sumamt: '386.40',
      psn_setlway: '01',
      mdtrt_id: MDTRT_ID,
      acct_used_flag: '1',
      insutype: '310',
      mid_setl_flag: '0',
    },
  },
  '2305': { data: { mdtrt_id: MDTRT_ID, setl_id: '420100202405150000012345', psn_no: PSN_NO } },
  '2601': { data: { psn_no: PSN_NO, omsgid: 'H42010200123202405150930120001', oinfno: '2304' } },
  '3101': { data: { trig_scen: '3', patient_dtos: [{ patn_id: PSN_NO, fsi_encounter_dtos: [] }] } },
  '4101A': {
    setlinfo: {
      psn_no: PSN_NO,
      mdtrt_id: MDTRT_ID,
      setl_id: '420100202405150000012345',
      medcasno: 'BA001',
      dscg_caty: 'A03.01',
      bill_code: '42010024',
      bill_no: 'FP0001',
      biz_sn: 'H42010200123202405150930000001',
      setl_begn_date: '2024-05-06',
      setl_end_date: '2024-05-15',
      medins_fill_dept: '病案室',
      medins_fill_psn: '赵填报',
      stas_type: '1',
      hi_paymtd: '4',
    },
    diseinfo: [{ diag_type: '1', diag_code: 'J18.900', diag_name: '肺炎' }],
  },
  '4102': { data: { stastinfo: [{ psn_no: PSN_NO, setl_id: '420100202405150000012345', stas_type: '0' }] } },
  '4401': {
    baseinfo: {
      mdtrt_sn: 'H42010200123ZY001',
      medcasno: 'BA001',
      psn_name: '张三',
      medfee_sumamt: 386.4,
      vali_flag: '1',
      fixmedins_code: 'H42010200123',
    },
    diseinfo: [{ vali_flag: '1', ipt_medcas_hmpg_sn: 'SY1', mdtrt_sn: 'H42010200123ZY001' }],
  },
  '4402': { data: [{ mdtrt_sn: 'H42010200123ZY001', vali_flag: '1', medcas_drord_detl_id: 'YZ1' }] },
  '4501': {
    examinfo: { mdtrt_sn: 'H42010200123ZY001', vali_flag: '1' },
    imageinfo: [{ rpotc_no: 'R1', study_uid: '1.2.840.1' }],
  },
  '4505': {
    data: {
      mdtrt_sn: 'H42010200123ZY001',
      vali_flag: '1',
      palg_no: 'BL001',
      frozen_no: 'BD001',
      cma_date: '2024-05-08',
      rpot_date: '2024-05-10',
      cma_matl: '肺组织',
      clnc_dise: '肺炎',
      exam_fnd: '见炎细胞浸润',
      sabc: 'CK(+)',
      palg_diag: '慢性炎症',
    },
  },
  '5201': { data: { psn_no: PSN_NO, begntime: '2024-05-01 00:00:00', med_type: '21' } },
  '5202': { data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO } },
  '5204': { data: { psn_no: PSN_NO, setl_id: '420100202405150000012345', mdtrt_id: MDTRT_ID } },
  '5205': { data: { psn_no: PSN_NO, begntime: '2024-01-01 00:00:00' } },
  '5206': { data: { psn_no: PSN_NO, cum_ym: '202405' } },
  '5301': { data: { psn_no: PSN_NO } },
  '5302': { data: { psn_no: PSN_NO, biz_appy_type: '03' } },
  '5303': { data: { begntime: '2024-05-01 00:00:00', endtime: '2024-05-31 23:59:59' } },
  '5304': { data: { psn_no: PSN_NO, begntime: '2024-01-01 00:00:00' } },
  '4103': { data: { psn_no: PSN_NO, setl_id: '420100202405150000012345' } },
};

describe('the sandbox input rules', () => {
  it('hold a table for every interface the sandbox serves with typed input', () => {
    expect(Object.keys(INPUT_RULES).sort()).toEqual(
      [
        '1101',
        '1307',
        '1308',
        '1310',
        '1311',
        '1312',
        '1312A',
        '1313',
        '1314',
        '1315',
        '1318',
        '1319',
        '1901',
        '2001',
        '2301',
        '2302',
        '2303',
        '2304',
        '2305',
        '2401',
        '2402',
        '2403',
        '2404',
        '2405',
        '2406',
        '2407',
        '2601',
        '3101',
        '3102',
        '3201',
        '3202',
        '3203',
        '3204',
        '3301',
        '3302',
        '4101A',
        '4102',
        '4401',
        '4402',
        '4501',
        '4502',
        '4503',
        '4504',
        '4505',
        '4506',
        '4103',
        '5201',
        '5202',
        '5203',
        '5204',
        '5205',
        '5206',
        '5301',
        '5302',
        '5303',
        '5304',
        '9101',
        '9102',
        '9001',
        '9002',
      ].sort(),
    );
  });

  it.each(Object.keys(REQUESTS))('given a request the spec allows, %s is accepted', (infno) => {
    expect(refusalOfInput(infno, REQUESTS[infno]!)).toBeUndefined();
  });

  it('leave interfaces without a table to the ledger', () => {
    expect(refusalOfInput('1201', {})).toBeUndefined();
  });

  describe('sign-in (9001/9002)', () => {
    it('refuses a sign-in without ip, or an operator number over 20 characters', () => {
      expect(refusalOfInput('9001', changed(REQUESTS['9001']!, 'signIn', { ip: '' }))).toBe(
        refusal('入参[signIn.ip]不能为空'),
      );
      expect(refusalOfInput('9001', changed(REQUESTS['9001']!, 'signIn', { opter_no: 'O'.repeat(21) }))).toBe(
        refusal('入参[signIn.opter_no]长度不能超过20位'),
      );
    });
  });

  describe('person (1101/2001)', () => {
    it('refuses a certificate type outside 01/02/03', () => {
      expect(refusalOfInput('1101', changed(REQUESTS['1101']!, 'data', { mdtrt_cert_type: '04' }))).toBe(
        refusal('入参[data.mdtrt_cert_type]取值[04]不在字典范围内'),
      );
    });

    it('wants the card identification code with a social-security card (03)', () => {
      const card = changed(REQUESTS['1101']!, 'data', {
        mdtrt_cert_type: '03',
        mdtrt_cert_no: 'H42010200001',
      });
      expect(refusalOfInput('1101', card)).toBe(
        refusal('入参[data.card_sn]不能为空：就诊凭证类型为社会保障卡时必须传卡识别码'),
      );
      expect(refusalOfInput('1101', changed(card, 'data', { card_sn: 'A1B2C3' }))).toBeUndefined();
    });

    it('2001 needs the medical type and start time', () => {
      expect(refusalOfInput('2001', changed(REQUESTS['2001']!, 'data', { med_type: null }))).toBe(
        refusal('入参[data.med_type]不能为空'),
      );
    });
  });

  describe('admission (2401–2407)', () => {
    it('refuses a 2401 without the admitting doctor, naming the field', () => {
      expect(refusalOfInput('2401', changed(REQUESTS['2401']!, 'mdtrtinfo', { atddr_no: '' }))).toBe(
        refusal('入参[mdtrtinfo.atddr_no]不能为空'),
      );
    });

    it('refuses an unknown insurance type and a date where a date-time belongs', () => {
      expect(refusalOfInput('2401', changed(REQUESTS['2401']!, 'mdtrtinfo', { insutype: '311' }))).toBe(
        refusal('入参[mdtrtinfo.insutype]取值[311]不在字典范围内'),
      );
      expect(
        refusalOfInput('2401', changed(REQUESTS['2401']!, 'mdtrtinfo', { begntime: '2024-05-06' })),
      ).toBe(refusal('入参[mdtrtinfo.begntime]格式错误，应为yyyy-MM-dd HH:mm:ss：2024-05-06'));
    });

    it('takes diseinfo as a single object (as real 2401 traffic sends it) and its numbers as numbers', () => {
      const single = { ...REQUESTS['2401']!, diseinfo: { ...diagnosis, diag_srt_no: 1 } };
      expect(refusalOfInput('2401', single)).toBeUndefined();
      expect(refusalOfInput('2401', { ...single, diseinfo: [] })).toBe(refusal('入参节点[diseinfo]不能为空'));
    });

    it('refuses a discharge way outside the dictionary, and 2402 without discharge diagnoses is taken', () => {
      expect(refusalOfInput('2402', changed(REQUESTS['2402']!, 'dscginfo', { dscg_way: '6' }))).toBe(
        refusal('入参[dscginfo.dscg_way]取值[6]不在字典范围内'),
      );
      expect(refusalOfInput('2402', { dscginfo: REQUESTS['2402']!['dscginfo'] })).toBeUndefined();
    });

    it('2403 uses ipt_otp_no, 2404/2405 name the visit, 2406 the attribute', () => {
      const amended = {
        adminfo: { ...(REQUESTS['2401']!['mdtrtinfo'] as Input), mdtrt_id: MDTRT_ID, ipt_otp_no: 'ZY001' },
      };
      expect(refusalOfInput('2403', amended)).toBeUndefined();
      expect(refusalOfInput('2403', changed(amended, 'adminfo', { ipt_otp_no: undefined }))).toBe(
        refusal('入参[adminfo.ipt_otp_no]不能为空'),
      );
      expect(refusalOfInput('2404', { data: { psn_no: PSN_NO } })).toBe(
        refusal('入参[data.mdtrt_id]不能为空'),
      );
      expect(refusalOfInput('2405', { data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO } })).toBeUndefined();
      expect(
        refusalOfInput('2406', { data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO, ipt_psn_sp_flag_type: '1' } }),
      ).toBe(refusal('入参[data.ipt_psn_sp_flag]不能为空'));
      expect(refusalOfInput('2407', { data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO } })).toBeUndefined();
    });
  });

  describe('fee details (2301/2302)', () => {
    it('names the row and field of a missing billing doctor', () => {
      const twoLines = {
        feedetail: [
          (REQUESTS['2301']!['feedetail'] as Input[])[0],
          { ...(REQUESTS['2301']!['feedetail'] as Input[])[0], feedetl_sn: 'FY2', bilg_dr_name: null },
        ],
      };
      expect(refusalOfInput('2301', twoLines)).toBe(refusal('入参[feedetail[1].bilg_dr_name]不能为空'));
    });

    it('holds amounts to 16,2, quantities to 16,4 and prices to 16,6', () => {
      const line = (fields: Input) => changed(REQUESTS['2301']!, 'feedetail', fields);
      expect(refusalOfInput('2301', line({ det_item_fee_sumamt: '86.401' }))).toBe(
        refusal('入参[feedetail[0].det_item_fee_sumamt]小数位数不能超过2位'),
      );
      expect(refusalOfInput('2301', line({ cnt: '0.33333' }))).toBe(
        refusal('入参[feedetail[0].cnt]小数位数不能超过4位'),
      );
      expect(refusalOfInput('2301', line({ cnt: '-2', pric: '43.200000' }))).toBeUndefined();
      expect(refusalOfInput('2301', line({ pric: 'abc' }))).toBe(
        refusal('入参[feedetail[0].pric]不是有效数字：abc'),
      );
    });

    it('refuses an unknown approval flag; 2302 takes data as an object too', () => {
      expect(refusalOfInput('2301', changed(REQUESTS['2301']!, 'feedetail', { hosp_appr_flag: '3' }))).toBe(
        refusal('入参[feedetail[0].hosp_appr_flag]取值[3]不在字典范围内'),
      );
      expect(
        refusalOfInput('2302', { data: { feedetl_sn: '0000', mdtrt_id: MDTRT_ID, psn_no: PSN_NO } }),
      ).toBeUndefined();
      expect(refusalOfInput('2302', { data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO } })).toBe(
        refusal('入参[data.feedetl_sn]不能为空'),
      );
    });
  });

  describe('settlement (2303–2305)', () => {
    it('2304 needs acct_used_flag; a 2303 trial may leave it out', () => {
      const withoutFlag = changed(REQUESTS['2304']!, 'data', { acct_used_flag: '' });
      expect(refusalOfInput('2304', withoutFlag)).toBe(refusal('入参[data.acct_used_flag]不能为空'));
      expect(refusalOfInput('2303', withoutFlag)).toBeUndefined();
    });

    it('refuses an unknown settlement way or mid-settlement flag, and a total that is not a number', () => {
      const data = (fields: Input) => changed(REQUESTS['2304']!, 'data', fields);
      expect(refusalOfInput('2304', data({ psn_setlway: '03' }))).toBe(
        refusal('入参[data.psn_setlway]取值[03]不在字典范围内'),
      );
      expect(refusalOfInput('2303', data({ mid_setl_flag: '2' }))).toBe(
        refusal('入参[data.mid_setl_flag]取值[2]不在字典范围内'),
      );
      expect(refusalOfInput('2304', data({ medfee_sumamt: '386.4元' }))).toBe(
        refusal('入参[data.medfee_sumamt]不是有效数字：386.4元'),
      );
    });

    it('2305 needs the settlement id', () => {
      expect(refusalOfInput('2305', changed(REQUESTS['2305']!, 'data', { setl_id: '' }))).toBe(
        refusal('入参[data.setl_id]不能为空'),
      );
    });
  });

  describe('reversal (2601)', () => {
    it('takes a five-character "A" oinfno and refuses a missing omsgid', () => {
      expect(refusalOfInput('2601', changed(REQUESTS['2601']!, 'data', { oinfno: '2207A' }))).toBeUndefined();
      expect(refusalOfInput('2601', changed(REQUESTS['2601']!, 'data', { omsgid: null }))).toBe(
        refusal('入参[data.omsgid]不能为空'),
      );
    });
  });

  describe('audit (3101/3102)', () => {
    it('needs trig_scen or rule_ids, and the patients', () => {
      expect(
        refusalOfInput('3102', changed(REQUESTS['3101']!, 'data', { trig_scen: '', rule_ids: 'R1' })),
      ).toBeUndefined();
      expect(refusalOfInput('3101', changed(REQUESTS['3101']!, 'data', { trig_scen: '' }))).toBe(
        refusal('入参[data.trig_scen]与[data.rule_ids]不能同时为空'),
      );
      expect(refusalOfInput('3101', changed(REQUESTS['3101']!, 'data', { patient_dtos: [] }))).toBe(
        refusal('入参节点[data.patient_dtos]不能为空'),
      );
    });

    it('checks nested encounters: a settlement count over 4 digits is refused', () => {
      const deep = changed(REQUESTS['3101']!, 'data', {
        patient_dtos: [
          { patn_id: PSN_NO, fsi_encounter_dtos: [{ mdtrt_id: MDTRT_ID, setl_totlnum: 12345 }] },
        ],
      });
      expect(refusalOfInput('3101', deep)).toBe(
        refusal('入参[data.patient_dtos[0].fsi_encounter_dtos[0].setl_totlnum]整数位数不能超过4位'),
      );
    });
  });

  describe('settlement list (4101A)', () => {
    it('needs the settlement id and the diagnoses; an operation row names its surgeon', () => {
      expect(refusalOfInput('4101A', changed(REQUESTS['4101A']!, 'setlinfo', { setl_id: '' }))).toBe(
        refusal('入参[setlinfo.setl_id]不能为空'),
      );
      expect(refusalOfInput('4101A', { setlinfo: REQUESTS['4101A']!['setlinfo'] })).toBe(
        refusal('入参节点[diseinfo]不能为空'),
      );
      // 4101A's operations: the surgeon by code, begin and end times (4101's date and surgeon's name are not its).
      const operation = {
        oprn_oprt_type: '1',
        oprn_oprt_name: '肺叶切除术',
        oprn_oprt_code: '32.4100',
        oprn_oprt_begntime: '2024-05-08 09:00:00',
        oprn_oprt_endtime: '2024-05-08 11:30:00',
      };
      expect(refusalOfInput('4101A', { ...REQUESTS['4101A']!, oprninfo: [operation] })).toBe(
        refusal('入参[oprninfo[0].oper_dr_code]不能为空'),
      );
      const { oprn_oprt_endtime: _end, ...unfinished } = operation;
      expect(
        refusalOfInput('4101A', { ...REQUESTS['4101A']!, oprninfo: [{ ...unfinished, oper_dr_code: 'D1' }] }),
      ).toBe(refusal('入参[oprninfo[0].oprn_oprt_endtime]不能为空'));
    });

    it("refuses a list without the fund's payment method, or with the patient's settlement method in it", () => {
      expect(refusalOfInput('4101A', changed(REQUESTS['4101A']!, 'setlinfo', { hi_paymtd: undefined }))).toBe(
        refusal('入参[setlinfo.hi_paymtd]不能为空'),
      );
      // psn_setlway 01 (按项目结算) is not a code of 医保支付方式.
      expect(refusalOfInput('4101A', changed(REQUESTS['4101A']!, 'setlinfo', { hi_paymtd: '01' }))).toBe(
        refusal('入参[setlinfo.hi_paymtd]取值[01]不在字典范围内'),
      );
      expect(refusalOfInput('4101A', changed(REQUESTS['4101A']!, 'setlinfo', { stas_type: '2' }))).toBe(
        refusal('入参[setlinfo.stas_type]取值[2]不在字典范围内'),
      );
    });

    it('4102 needs a settlement and a status of 0 or 1 per row', () => {
      expect(refusalOfInput('4102', { data: {} })).toBe(refusal('入参节点[data.stastinfo]不能为空'));
      expect(
        refusalOfInput('4102', { data: { stastinfo: [{ psn_no: PSN_NO, setl_id: 'S1', stas_type: '3' }] } }),
      ).toBe(refusal('入参[data.stastinfo[0].stas_type]取值[3]不在字典范围内'));
    });

    it('refuses an admission-condition code outside 1–4', () => {
      expect(refusalOfInput('4101A', changed(REQUESTS['4101A']!, 'diseinfo', { adm_cond_type: '5' }))).toBe(
        refusal('入参[diseinfo[0].adm_cond_type]取值[5]不在字典范围内'),
      );
    });
  });

  describe('medical record (4401/4402)', () => {
    it('refuses a homepage without medcasno and a diagnosis row without its homepage serial', () => {
      expect(refusalOfInput('4401', changed(REQUESTS['4401']!, 'baseinfo', { medcasno: '' }))).toBe(
        refusal('入参[baseinfo.medcasno]不能为空'),
      );
      expect(
        refusalOfInput('4401', changed(REQUESTS['4401']!, 'diseinfo', { ipt_medcas_hmpg_sn: null })),
      ).toBe(refusal('入参[diseinfo[0].ipt_medcas_hmpg_sn]不能为空'));
    });

    it('refuses an order without its record id and a vali_flag outside 0/1', () => {
      expect(refusalOfInput('4402', changed(REQUESTS['4402']!, 'data', { medcas_drord_detl_id: '' }))).toBe(
        refusal('入参[data[0].medcas_drord_detl_id]不能为空'),
      );
      expect(refusalOfInput('4402', changed(REQUESTS['4402']!, 'data', { vali_flag: '2' }))).toBe(
        refusal('入参[data[0].vali_flag]取值[2]不在字典范围内'),
      );
    });
  });

  describe('clinical reports (4501–4506)', () => {
    it('refuses an image without its DICOM study uid and a pathology number over 18 characters', () => {
      expect(refusalOfInput('4501', changed(REQUESTS['4501']!, 'imageinfo', { study_uid: '' }))).toBe(
        refusal('入参[imageinfo[0].study_uid]不能为空'),
      );
      expect(refusalOfInput('4505', changed(REQUESTS['4505']!, 'data', { palg_no: 'B'.repeat(19) }))).toBe(
        refusal('入参[data.palg_no]长度不能超过18位'),
      );
    });

    it('needs the report node of 4502–4504 and 4506', () => {
      for (const infno of ['4503', '4504', '4506']) {
        expect(refusalOfInput(infno, {})).toBe(refusal('入参节点[data]不能为空'));
      }
      expect(refusalOfInput('4502', { labinfo: { mdtrt_sn: 'S1' } })).toBe(
        refusal('入参[labinfo.vali_flag]不能为空'),
      );
    });
  });

  describe('queries (5201–5206, 5301–5304, 4103)', () => {
    it('refuses a query without its person, naming the field', () => {
      for (const infno of ['5201', '5202', '5204', '5205', '5206', '5301', '5302', '5304', '4103']) {
        expect(refusalOfInput(infno, changed(REQUESTS[infno]!, 'data', { psn_no: '' }))).toBe(
          refusal('入参[data.psn_no]不能为空'),
        );
      }
    });

    it('5303 needs both ends of its admission window; 5201 a med_type of the dictionary', () => {
      expect(refusalOfInput('5303', changed(REQUESTS['5303']!, 'data', { endtime: undefined }))).toBe(
        refusal('入参[data.endtime]不能为空'),
      );
      expect(refusalOfInput('5201', changed(REQUESTS['5201']!, 'data', { med_type: '77' }))).toBe(
        refusal('入参[data.med_type]取值[77]不在字典范围内'),
      );
      expect(refusalOfInput('5204', changed(REQUESTS['5204']!, 'data', { setl_id: '4'.repeat(31) }))).toBe(
        refusal('入参[data.setl_id]长度不能超过30位'),
      );
    });
  });
});
