import { SettledV1, type MessageOf } from '@yb/contracts';
import { TEST_HOSPITAL } from '@yb/testing';
import { validateInput } from '@yb/platform-client';
import {
  initialVisitFacts,
  evolveVisitFacts,
  type VisitEvent,
  type VisitFacts,
} from '../visit/reporting-visit';
import { AREA_MISSING, buildReport, wireReportRef, type BuildContext } from './report-builders';
import { type ReportInfno } from './report.events';
import { clinicalRecords } from './report.test-kit';

const IPT_NO = 'ZY20240501001';
const records = clinicalRecords(IPT_NO);
const settled = SettledV1.example as MessageOf<'Settled'>['data'];
const { ipt_no: _ipt, ...settlement } = settled;
const { ipt_no: _h, ...homepage } = records.homepage;

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
  },
};
const transferred: VisitEvent = {
  type: 'AdmissionNoted',
  data: { ...admitted.data, adm_dept_codg: 'A04.02' },
};
const registered: VisitEvent = {
  type: 'RegistrationNoted',
  data: { mdtrt_id: settled.mdtrt_id, psn_no: '42000019800101123456' },
};
const requested: VisitEvent = {
  type: 'SettlementRequestNoted',
  data: { psn_setlway: '01', invono: 'FP0001' },
};
const settledFact: VisitEvent = { type: 'SettlementNoted', data: settlement };
const homepageFact: VisitEvent = { type: 'HomepageNoted', data: homepage };
const complete = facts([admitted, transferred, registered, requested, settledFact, homepageFact]);

const context = (visit: VisitFacts): BuildContext => ({
  ipt_no: IPT_NO,
  visit,
  hospital: TEST_HOSPITAL,
  config: {
    dueDays: 7,
    settlementList: {
      bill_code: '42010024',
      hsorg: '武汉市医疗保障局',
      hsorg_opter: '王经办',
      medins_fill_dept: '病案室',
      medins_fill_psn: '赵填报',
    },
  },
});

describe('report builders', () => {
  it('assembles a 4101A from the settlement, the stay and the homepage, accepted by the 4101A schema', () => {
    const built = buildReport('4101A', { setl_id: settled.setl_id }, context(complete));
    if (!built.complete) throw new Error(built.waiting_for.join(', '));
    const input = validateInput('4101A', built.input('1'));
    expect(input.setlinfo).toMatchObject({
      setl_id: settled.setl_id,
      mdtrt_id: settled.mdtrt_id,
      biz_sn: settled.medins_setl_id,
      medcasno: records.homepage.medcasno,
      refldept_dept: 'A04.02',
      acct_pay: settled.acct_pay,
      bill_no: 'FP0001',
      hi_paymtd: '1',
      setl_end_date: settled.setl_time.slice(0, 10),
    });
    expect(input.diseinfo).toEqual([
      { diag_type: '1', diag_code: 'J18.900', diag_name: '肺炎', maindiag_flag: '1' },
    ]);
    expect(input.icuinfo).toEqual([expect.objectContaining({ scs_cutd_sum_dura: '1 13 24' })]);
    expect(built.due_date).toBe('2024-05-15');
    expect(wireReportRef('4101A', input)).toBe(settled.setl_id);
  });

  it('routes a cross-area patient by the area admission registered: the envelope and setlinfo.insuplc', () => {
    const crossArea: VisitEvent = {
      type: 'RegistrationNoted',
      data: { ...registered.data, insuplc_admdvs: '110000' },
    };
    const visit = facts([admitted, transferred, crossArea, requested, settledFact, homepageFact]);
    const built = buildReport('4101A', { setl_id: settled.setl_id }, context(visit));
    if (!built.complete) throw new Error(built.reason);
    expect(built.insuplc_admdvs).toBe('110000');
    expect(validateInput('4101A', built.input('1')).setlinfo).toMatchObject({ insuplc: '110000' });
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

  it("lists the homepage's operations in 4101A with their surgeon's code, and waits for a code not given", () => {
    const operation = {
      oprn_oprt_code: '51.2300x001',
      oprn_oprt_name: '腹腔镜下胆囊切除术',
      oprn_oprt_date: '2024-05-03 09:00:00',
      oper_name: '李主任',
      oper_dr_code: 'D420100000123',
      anst_mtd_code: '01',
      main_oprn_flag: '1' as const,
    };
    const operated = (op: typeof operation | Omit<typeof operation, 'oper_dr_code'>): VisitEvent => ({
      type: 'HomepageNoted',
      data: { ...homepage, operations: [op] },
    });
    const withCode = facts([admitted, registered, requested, settledFact, operated(operation)]);
    const built = buildReport('4101A', { setl_id: settled.setl_id }, context(withCode));
    if (!built.complete) throw new Error(built.waiting_for.join(', '));
    expect(validateInput('4101A', built.input('1')).oprninfo).toEqual([
      expect.objectContaining({
        oprn_oprt_type: '1',
        oprn_oprt_code: '51.2300x001',
        oper_dr_name: '李主任',
        oper_dr_code: 'D420100000123',
        anst_way: '01',
      }),
    ]);

    const { oper_dr_code: _code, ...withoutCode } = operation;
    const waiting = buildReport(
      '4101A',
      { setl_id: settled.setl_id },
      context(facts([admitted, registered, requested, settledFact, operated(withoutCode)])),
    );
    expect(!waiting.complete && waiting.waiting_for).toEqual([
      'oprninfo[0]: oper_dr_code 术者医师代码 (病案首页未提供)',
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
    const ctx = context(facts([admitted, registered, settledFact, noMain]));
    const built = buildReport(
      '4101A',
      { setl_id: settled.setl_id },
      { ...ctx, config: { ...ctx.config, settlementList: {} } },
    );
    expect(built.complete).toBe(false);
    expect(!built.complete && built.waiting_for).toEqual(
      expect.arrayContaining([
        'diseinfo: 主要诊断 (maindiag_flag 1)',
        'setlinfo: bill_code 票据代码 (REPORTING_BILL_CODE)',
        'setlinfo: bill_no 票据号码 (结算申请 invono)',
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

  it('keeps a pathology report without its frozen section number waiting, naming the field', () => {
    const { frozen_no: _f, ...withoutFrozen } = records.pathology;
    const built = buildReport('4505', withoutFrozen, context(complete));
    expect(!built.complete && built.waiting_for).toEqual(['data: frozen_no 冰冻号']);
  });
});
