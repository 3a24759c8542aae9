import { SettledV1, type MessageOf } from '@yb/contracts';
import { TEST_HOSPITAL } from '@yb/testing';
import { validateInput } from '@yb/platform-client';
import {
  initialVisitFacts,
  evolveVisitFacts,
  type VisitEvent,
  type VisitFacts,
} from '../visit/reporting-visit';
import {
  AREA_MISSING,
  buildReport,
  settlementListWithdrawal,
  wireInfno,
  wireReportRef,
  type BuildContext,
} from './report-builders';
import { type ReportInfno } from './report.events';
import { clinicalRecords } from './report.test-kit';

const IPT_NO = 'ZY20240501001';
const records = clinicalRecords(IPT_NO);
const settled = SettledV1.example as MessageOf<'Settled'>['data'];
const { ipt_no: _ipt, ...settlement } = settled;
const { ipt_no: _h, ...homepage } = records.homepage;
const operation = {
  oprn_oprt_code: '51.2300x001',
  oprn_oprt_name: '腹腔镜下胆囊切除术',
  oprn_oprt_date: '2024-05-03 09:00:00',
  oper_name: '李主任',
  oper_dr_code: 'D420100000123',
  anst_mtd_code: '01',
  main_oprn_flag: '1' as const,
  oprn_oprt_begntime: '2024-05-03 09:05:00',
  oprn_oprt_endtime: '2024-05-03 10:40:00',
  anst_dr_code: 'D420100000456',
};
/** The homepage v2: what the settlement list adds to the 病案首页. */
const homepageV2 = {
  ...homepage,
  adm_way_code: '2',
  trt_type: '1',
  lv1_nurscare_days: 2,
  scd_nurscare_days: 5,
  resp_nurs_code: 'N4201000031',
};

const facts = (events: VisitEvent[]): VisitFacts => events.reduce(evolveVisitFacts, initialVisitFacts);
const admitted: VisitEvent = {
  type: 'AdmissionNoted',
  data: {
    begntime: '2024-05-01 09:00:00',
    adm_dept_codg: 'A03.01',
    insutype: '310',
    med_type: '21',
    chfpdr_name: '王医生',
    atddr_no: 'D0012',
    insuplc_admdvs: '420100',
    adm_diag_dscr: '社区获得性肺炎',
    adm_diag_code: 'J18.900',
  },
};
const transferred: VisitEvent = {
  type: 'AdmissionNoted',
  data: { ...admitted.data, adm_dept_codg: 'A04.02' },
};
const registered: VisitEvent = {
  type: 'RegistrationNoted',
  data: { mdtrt_id: settled.mdtrt_id, psn_no: '42000019800101123456', insutype: '310' },
};
const requested: VisitEvent = { type: 'SettlementRequestNoted', data: { invono: 'FP0001' } };
const settledFact: VisitEvent = { type: 'SettlementNoted', data: settlement };
const homepageFact: VisitEvent = { type: 'HomepageNoted', data: homepageV2 };
const complete = facts([admitted, transferred, registered, requested, settledFact, homepageFact]);

/** The hospital is paid by DRG (4); Beijing's patients by item (1); residents by DIP (3). */
const PAYMENT_METHODS = { '*': '4', '110000': '1', '*:390': '3' } as const;

const context = (visit: VisitFacts, settlementList: Partial<BuildContext['config']['settlementList']> = {}) =>
  ({
    ipt_no: IPT_NO,
    visit,
    hospital: TEST_HOSPITAL,
    config: {
      dueDays: 7,
      settlementList: {
        bill_code: '42010024',
        medins_fill_dept: '病案室',
        medins_fill_psn: '赵填报',
        hi_paymtd: PAYMENT_METHODS,
        newbornFieldNames: 'nwb_admtype',
        ...settlementList,
      },
    },
  }) satisfies BuildContext;

const setlinfoOf = (
  visit: VisitFacts,
  settlementList?: Partial<BuildContext['config']['settlementList']>,
) => {
  const built = buildReport('4101A', { setl_id: settled.setl_id }, context(visit, settlementList));
  if (!built.complete) throw new Error(built.waiting_for.join(', '));
  return validateInput('4101A', built.input('1')).setlinfo;
};

describe('report builders', () => {
  it("assembles a 4101A of 4101A's own fields from the settlement, the stay and the homepage, accepted by its schema", () => {
    const built = buildReport('4101A', { setl_id: settled.setl_id }, context(complete));
    if (!built.complete) throw new Error(built.waiting_for.join(', '));
    const input = validateInput('4101A', built.input('1'));
    expect(input.setlinfo).toEqual({
      psn_no: '42000019800101123456',
      mdtrt_id: settled.mdtrt_id,
      setl_id: settled.setl_id,
      medcasno: records.homepage.medcasno,
      adm_way: '2',
      trt_type: '1',
      adm_time: records.homepage.adm_date,
      refldept_dept: 'A04.02',
      dscg_time: records.homepage.dscg_date,
      dscg_caty: records.homepage.dscg_caty,
      otp_wm_dise: '社区获得性肺炎',
      wm_dise_code: 'J18.900',
      lv1_nurscare_days: 2,
      scd_nurscare_days: 5,
      dscg_way: '1',
      bill_code: '42010024',
      bill_no: 'FP0001',
      biz_sn: settled.medins_setl_id,
      chfpdr_code: 'D0012',
      setl_begn_date: '2024-05-01',
      setl_end_date: settled.setl_time.slice(0, 10),
      medins_fill_dept: '病案室',
      medins_fill_psn: '赵填报',
      resp_nurs_code: 'N4201000031',
      // Submitted as it goes up; the fund's payment method, not the patient's settlement method.
      stas_type: '1',
      hi_paymtd: '4',
    });
    expect(input.diseinfo).toEqual([
      { diag_type: '1', diag_code: 'J18.900', diag_name: '肺炎', maindiag_flag: '1' },
    ]);
    expect(input.icuinfo).toEqual([expect.objectContaining({ scs_cutd_sum_dura: '1 13 24' })]);
    expect(built.due_date).toBe('2024-05-15');
    expect(wireReportRef('4101A', input)).toBe(settled.setl_id);
  });

  it("takes hi_paymtd from the hospital's payment methods for the insured area and insutype, or waits naming them", () => {
    // A Beijing patient (registered cross-area) is paid by item; a resident of the hospital's area by DIP.
    const crossArea: VisitEvent = {
      type: 'RegistrationNoted',
      data: { ...registered.data, insuplc_admdvs: '110000' },
    };
    const visit = facts([admitted, crossArea, requested, settledFact, homepageFact]);
    const built = buildReport('4101A', { setl_id: settled.setl_id }, context(visit));
    if (!built.complete) throw new Error(built.reason);
    expect(built.insuplc_admdvs).toBe('110000');
    expect(validateInput('4101A', built.input('1')).setlinfo.hi_paymtd).toBe('1');
    const resident: VisitEvent = { type: 'RegistrationNoted', data: { ...registered.data, insutype: '390' } };
    expect(setlinfoOf(facts([admitted, resident, requested, settledFact, homepageFact])).hi_paymtd).toBe('3');
    const unconfigured = buildReport(
      '4101A',
      { setl_id: settled.setl_id },
      context(complete, { hi_paymtd: { '110000': '1' } }),
    );
    expect(!unconfigured.complete && unconfigured.waiting_for).toEqual([
      'setlinfo: hi_paymtd 医保支付方式 (REPORTING_HI_PAYMTD has no entry for 420100:310)',
    ]);
  });

  it("reports a newborn's admission type and weights in the spelling the region takes", () => {
    const newborn: VisitEvent = {
      type: 'AdmissionNoted',
      data: {
        ...admitted.data,
        newborn: { nwb_adm_type: '2', nwb_bir_wt: '2450', nwb_adm_wt: '2400', mul_nwb_bir_wt: '2380' },
      },
    };
    const visit = facts([newborn, registered, requested, settledFact, homepageFact]);
    expect(setlinfoOf(visit)).toMatchObject({
      nwb_admtype: '2',
      nwbbirwt: '2450',
      nwbadmwt: '2400',
      mul_nwb_bir_wt: '2380',
    });
    const snake = setlinfoOf(visit, { newbornFieldNames: 'nwb_adm_type' });
    expect(snake).toMatchObject({ nwb_adm_type: '2', nwb_bir_wt: '2450', nwb_adm_wt: '2400' });
    expect(snake).not.toHaveProperty('nwbbirwt');
  });

  it('withdraws a list with 4102 (stas_type 0), naming only the person and the settlement', () => {
    expect(wireInfno('4101A', '0')).toBe('4102');
    expect(wireInfno('4101A', '1')).toBe('4101A');
    expect(wireInfno('4401', '0')).toBe('4401');
    const input = validateInput('4102', settlementListWithdrawal(settled.setl_id, '42000019800101123456'));
    expect(input).toEqual({
      data: { stastinfo: [{ psn_no: '42000019800101123456', setl_id: settled.setl_id, stas_type: '0' }] },
    });
    expect(wireReportRef('4102', input)).toBe(settled.setl_id);
  });

  it('keeps every upload waiting, with the reason, while neither admission nor the HIS named the area', () => {
    const { insuplc_admdvs: _area, ...withoutArea } = admitted.data as typeof admitted.data & {
      insuplc_admdvs?: string;
    };
    const visit = facts([
      { ...admitted, data: withoutArea } as VisitEvent,
      registered,
      requested,
      settledFact,
      homepageFact,
    ]);
    for (const [infno, source] of [
      ['4101A', { setl_id: settled.setl_id }],
      ['4401', homepage],
    ] as const) {
      const built = buildReport(infno, source, context(visit));
      expect(built).toMatchObject({ complete: false, waiting_for: [AREA_MISSING] });
    }
  });

  it("lists the homepage's operations in 4101A with their begin and end times, and waits for what is not given", () => {
    const operated = (op: Partial<typeof operation>): VisitEvent => ({
      type: 'HomepageNoted',
      data: { ...homepageV2, operations: [{ ...operation, ...op }] },
    });
    const withTimes = facts([admitted, registered, requested, settledFact, operated({})]);
    const built = buildReport('4101A', { setl_id: settled.setl_id }, context(withTimes));
    if (!built.complete) throw new Error(built.waiting_for.join(', '));
    // 4101A's own operation row: no date, no surgeon's name (4101's), the times and the doctors' codes.
    expect(validateInput('4101A', built.input('1')).oprninfo).toEqual([
      {
        oprn_oprt_type: '1',
        oprn_oprt_name: '腹腔镜下胆囊切除术',
        oprn_oprt_code: '51.2300x001',
        anst_way: '01',
        oper_dr_code: 'D420100000123',
        anst_dr_code: 'D420100000456',
        oprn_oprt_begntime: '2024-05-03 09:05:00',
        oprn_oprt_endtime: '2024-05-03 10:40:00',
      },
    ]);

    const waiting = buildReport(
      '4101A',
      { setl_id: settled.setl_id },
      context(
        facts([
          admitted,
          registered,
          requested,
          settledFact,
          operated({ oper_dr_code: undefined, oprn_oprt_endtime: undefined }),
        ]),
      ),
    );
    expect(!waiting.complete && waiting.waiting_for).toEqual([
      'oprninfo[0]: oper_dr_code 术者医师代码 (病案首页未提供)',
      'oprninfo[0]: oprn_oprt_begntime/oprn_oprt_endtime 手术操作起止时间 (病案首页 v2 未提供)',
    ]);
  });

  it('keeps a 4101A waiting without the homepage, naming the discharge diagnoses', () => {
    const built = buildReport(
      '4101A',
      { setl_id: settled.setl_id },
      context(facts([admitted, registered, requested, settledFact])),
    );
    expect(built).toMatchObject({
      complete: false,
      reason: '病案首页未完成',
      waiting_for: ['diseinfo: 出院诊断 (病案首页)'],
      due_date: '2024-05-15',
    });
  });

  it('names a missing main diagnosis and each missing filling detail', () => {
    const noMain: VisitEvent = {
      type: 'HomepageNoted',
      data: {
        ...homepage,
        diagnoses: homepage.diagnoses.map((d) => ({ ...d, maindiag_flag: '0' as const })),
      },
    };
    const built = buildReport(
      '4101A',
      { setl_id: settled.setl_id },
      context(facts([admitted, registered, settledFact, noMain]), {
        bill_code: undefined,
        medins_fill_dept: undefined,
        medins_fill_psn: undefined,
      }),
    );
    expect(built.complete).toBe(false);
    expect(!built.complete && built.waiting_for).toEqual(
      expect.arrayContaining([
        'diseinfo: 主要诊断 (maindiag_flag 1)',
        'setlinfo: bill_code 票据代码 (REPORTING_BILL_CODE)',
        'setlinfo: bill_no 票据号码 (结算申请 invono)',
        'setlinfo: medins_fill_dept 填报部门 (REPORTING_FILL_DEPT)',
        'setlinfo: medins_fill_psn 填报人 (REPORTING_FILL_PSN)',
      ]),
    );
  });

  it('waits for the platform registration before any clinical upload', () => {
    const built = buildReport('4501', records.exam, context(facts([admitted])));
    expect(built).toMatchObject({ complete: false, reason: '入院登记未完成' });
  });

  const clinical: [ReportInfno, unknown, string][] = [
    ['4401', homepage, records.homepage.medcasno],
    ['4402', records.orders.orders[0], records.orders.orders[0].medcas_drord_detl_id],
    ['4501', records.exam, records.exam.rpotc_no],
    ['4502', records.lab, records.lab.rpotc_no],
    ['4503', records.culture, records.culture.rpotc_no],
    ['4504', records.sensitivity, records.sensitivity.rpotc_no],
    ['4505', records.pathology, records.pathology.palg_no],
    ['4506', records.unstructured, records.unstructured.file_name],
  ];

  it.each(clinical)('builds %s with mdtrt_sn and vali_flag, accepted by its schema', (infno, source, ref) => {
    const built = buildReport(infno, source, context(complete));
    if (!built.complete) throw new Error(built.waiting_for.join(', '));
    const valid = validateInput(infno as '4401', built.input('1'));
    expect(JSON.stringify(valid)).toContain(`"mdtrt_sn":"${TEST_HOSPITAL.fixmedins_code}${IPT_NO}"`);
    expect(JSON.stringify(built.input('0'))).toContain('"vali_flag":"0"');
    expect(wireReportRef(infno, built.input('1'))).toBe(ref);
    // The digest follows the content, not the vali_flag of one call.
    expect(buildReport(infno, source, context(complete))).toMatchObject({ input_digest: built.input_digest });
  });

  it("keeps the settlement list's own fields out of 4401: nursing days, the responsible nurse, operation times", () => {
    const operated = { ...homepageV2, operations: [operation] };
    const built = buildReport('4401', operated, context(complete));
    if (!built.complete) throw new Error(built.waiting_for.join(', '));
    const input = validateInput('4401', built.input('1'));
    expect(input.baseinfo).toMatchObject({ adm_way_code: '2', trt_type: '1' });
    for (const field of ['lv1_nurscare_days', 'scd_nurscare_days', 'resp_nurs_code']) {
      expect(input.baseinfo).not.toHaveProperty(field);
    }
    expect(input.oprninfo![0]).toMatchObject({ oprn_oprt_code: '51.2300x001', oper_name: '李主任' });
    for (const field of ['oprn_oprt_begntime', 'oprn_oprt_endtime', 'anst_dr_code']) {
      expect(input.oprninfo![0]).not.toHaveProperty(field);
    }
  });

  it('keeps a pathology report without its frozen section number waiting, naming the field', () => {
    const { frozen_no: _f, ...withoutFrozen } = records.pathology;
    const built = buildReport('4505', withoutFrozen, context(complete));
    expect(!built.complete && built.waiting_for).toEqual(['data: frozen_no 冰冻号']);
  });
});
