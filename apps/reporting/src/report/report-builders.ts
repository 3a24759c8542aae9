import { type MessageOf } from '@yb/contracts';
import { createHash } from 'node:crypto';
import { paymentMethodFor, type NewbornFieldNames, type ReportingConfig } from '../reporting-config';
import { type NewbornFacts, type VisitFacts } from '../visit/reporting-visit';
import { type ReportInfno, type ValiFlag } from './report.events';

// Pure builders: from what reporting knows of a visit and a report's source, either the platform input of
// the upload (spec §5) or the list of what is missing, each entry naming the node and the field.

/** The sources of the clinical reports, as the HIS events carry them (without the visit key). */
type Homepage = MessageOf<'MedicalRecordHomepageRecorded'>['data'];

interface Sources {
  homepage: Omit<Homepage, 'ipt_no'>;
  order: MessageOf<'MedicalOrdersRecorded'>['data']['orders'][number];
  exam: Omit<MessageOf<'ExamReportIssued'>['data'], 'ipt_no'>;
  lab: Omit<MessageOf<'LabReportIssued'>['data'], 'ipt_no'>;
  pathology: Omit<MessageOf<'PathologyReportIssued'>['data'], 'ipt_no'>;
  unstructured: Omit<MessageOf<'UnstructuredReportIssued'>['data'], 'ipt_no'>;
}

export interface Hospital {
  readonly fixmedins_code: string;
  readonly fixmedins_name: string;
}

export interface BuildContext {
  readonly ipt_no: string;
  readonly visit: VisitFacts;
  readonly hospital: Hospital;
  readonly config: Pick<ReportingConfig, 'settlementList' | 'dueDays'>;
}

export type BuiltReport =
  | {
      readonly complete: true;
      /** The platform input with the given vali_flag (4101A has none: its list is withdrawn by 4102). */
      readonly input: (vali_flag: ValiFlag) => Record<string, unknown>;
      /** Identifies the content: a correction changes it, a repeat does not. */
      readonly input_digest: string;
      readonly psn_no: string;
      readonly insuplc_admdvs: string;
      readonly due_date: string;
    }
  | {
      readonly complete: false;
      readonly reason: string;
      readonly waiting_for: string[];
      readonly due_date: string;
    };

export const AREA_MISSING =
  'insuplc_admdvs: 参保地医保区划 (admission registered the visit without naming it, AdmissionRegistered v1, and the HIS named none: send AdmissionChanged with insuplc_admdvs)';

/**
 * 参保地医保区划 of the visit (the envelope of every upload, 4101A setlinfo.insuplc): the area admission
 * registered, else the HIS's; undefined when neither said (the report waits: never the hospital's area).
 */
export function insuredArea(visit: VisitFacts): string | undefined {
  return visit.registration?.insuplc_admdvs ?? visit.admission?.insuplc_admdvs;
}

/** Builds the upload of `infno` from its source (see ReportSources in report-sources.ts). */
export function buildReport(infno: ReportInfno, source: unknown, ctx: BuildContext): BuiltReport {
  const missing: string[] = [];
  const registration = ctx.visit.registration;
  if (!registration) missing.push('mdtrt_id: 就诊ID (入院办理 2401 未完成)');
  const insuplc_admdvs = insuredArea(ctx.visit);
  if (registration && insuplc_admdvs === undefined) missing.push(AREA_MISSING);
  const due_date = dueDate(infno, source, ctx);
  const nodes = BUILDERS[infno](source as never, ctx, missing);
  if (missing.length > 0 || !registration || insuplc_admdvs === undefined) {
    return { complete: false, reason: reasonOf(missing), waiting_for: missing, due_date };
  }
  const keys = { mdtrt_sn: mdtrtSn(ctx), mdtrt_id: registration.mdtrt_id, psn_no: registration.psn_no };
  const input = (vali_flag: ValiFlag) => nodes(keys, vali_flag);
  return {
    complete: true,
    input,
    input_digest: createHash('sha256')
      .update(JSON.stringify(input('1')))
      .digest('hex'),
    psn_no: registration.psn_no,
    insuplc_admdvs,
    due_date,
  };
}

/** The interface that uploads a record (vali_flag 1) or takes it off (0): a 4101A list is withdrawn by 4102. */
export function wireInfno(infno: ReportInfno, vali_flag: ValiFlag): ReportInfno | '4102' {
  return infno === '4101A' && vali_flag === '0' ? '4102' : infno;
}

/**
 * 4102 withdrawing the list of settlement `setl_id` (stas_type 0): it needs only the person and the settlement,
 * so a cancelled settlement's list can be withdrawn whatever else its content would now need.
 */
export function settlementListWithdrawal(setl_id: string, psn_no: string): Record<string, unknown> {
  return { data: { stastinfo: [{ psn_no, setl_id, stas_type: WITHDRAWN }] } };
}

/** 4101A / 4102 stas_type: 1 已提交 (a list goes up submitted), 0 未提交 (4102 withdraws it). */
const SUBMITTED = '1';
const WITHDRAWN = '0';

/** The record's key in a wire input, as the platform identifies it (to match a journal row to a report). */
export function wireReportRef(infno: ReportInfno | '4102', input: unknown): string | undefined {
  const node = (name: string) => {
    const value = (input as Record<string, unknown> | null)?.[name];
    return (Array.isArray(value) ? value[0] : value) as Record<string, unknown> | undefined;
  };
  if (infno === '4102') {
    const [row] = ((input as { data?: { stastinfo?: { setl_id?: unknown }[] } } | null)?.data?.stastinfo ??
      []) as { setl_id?: unknown }[];
    return typeof row?.setl_id === 'string' ? row.setl_id : undefined;
  }
  const field: Record<ReportInfno, [string, string]> = {
    '4101A': ['setlinfo', 'setl_id'],
    '4401': ['baseinfo', 'medcasno'],
    '4402': ['data', 'medcas_drord_detl_id'],
    '4501': ['examinfo', 'rpotc_no'],
    '4502': ['labinfo', 'rpotc_no'],
    '4503': ['data', 'rpotc_no'],
    '4504': ['data', 'rpotc_no'],
    '4505': ['data', 'palg_no'],
    '4506': ['data', 'file_name'],
  };
  const [name, key] = field[infno];
  const value = node(name)?.[key];
  return typeof value === 'string' ? value : undefined;
}

type RecordKeys = { mdtrt_sn: string; mdtrt_id: string; psn_no: string };
type Nodes = (keys: RecordKeys, vali_flag: ValiFlag) => Record<string, unknown>;
type Builder<S> = (source: S, ctx: BuildContext, missing: string[]) => Nodes;

/** 就医流水号 = fixmedins_code + the HIS's unique visit serial (spec §5.2). */
const mdtrtSn = (ctx: BuildContext) => `${ctx.hospital.fixmedins_code}${ctx.ipt_no}`;

function reasonOf(missing: readonly string[]): string {
  if (missing.some((m) => m.includes('2401'))) return '入院登记未完成';
  if (missing.some((m) => m.includes('病案首页'))) return '病案首页未完成';
  return `缺少必填项: ${missing.join('；')}`.slice(0, 4000);
}

function needed<T>(value: T | undefined | null, what: string, missing: string[]): T | undefined {
  if (value === undefined || value === null || value === '') {
    missing.push(what);
    return undefined;
  }
  return value;
}

const dateOf = (dateTime: string) => dateTime.slice(0, 10);

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Settlement date + the allowed days; a clinical record of an unsettled visit counts from its own date. */
function dueDate(infno: ReportInfno, source: unknown, ctx: BuildContext): string {
  const settlements = Object.values(ctx.visit.settlements);
  const settledOn =
    infno === '4101A'
      ? ctx.visit.settlements[(source as { setl_id: string }).setl_id]?.setl_time
      : settlements[settlements.length - 1]?.setl_time;
  const s = source as Record<string, unknown>;
  const own = [s['rpt_date'], s['rpot_date'], s['dscg_date'], s['drord_isu_no']].find(
    (v): v is string => typeof v === 'string',
  );
  const basis = settledOn ?? own ?? ctx.visit.discharge?.endtime ?? ctx.visit.admission?.begntime;
  return addDays(basis ? dateOf(basis) : '1970-01-01', ctx.config.dueDays);
}

/** "天 时 分" between two platform date-times (ICU stays). */
function duration(from: string, to: string): string {
  const minutes = Math.max(
    0,
    Math.round((Date.parse(to.replace(' ', 'T') + 'Z') - Date.parse(from.replace(' ', 'T') + 'Z')) / 60_000),
  );
  return `${Math.floor(minutes / 1440)} ${Math.floor((minutes % 1440) / 60)} ${minutes % 60}`;
}

/**
 * 4101A's own setlinfo (see libs/platform-client settlement-list.ts): the stay from the homepage (v2 adds the
 * admission route, treatment type, nursing days, responsible nurse and the operations' times), the admission
 * diagnosis as the outpatient one, a newborn's type and weights, the bill and filling details, and hi_paymtd —
 * the fund's payment method for the patient's insured area and insutype (REPORTING_HI_PAYMTD). The list goes up
 * submitted (stas_type 1). What the platform holds from 2401/2304 (insutype, area, amounts) is not repeated.
 */
const settlementList: Builder<{ setl_id: string }> = (source, ctx, missing) => {
  const { visit, config } = ctx;
  const settlement = needed(visit.settlements[source.setl_id], 'setlinfo: setl_id 结算信息 (2304)', missing);
  const admission = needed(
    visit.admission,
    'setlinfo: adm_time/chfpdr_code 入院信息 (PatientAdmitted)',
    missing,
  );
  const homepage = needed(visit.homepage, 'diseinfo: 出院诊断 (病案首页)', missing);
  if (homepage && !homepage.diagnoses.some((d) => d.maindiag_flag === '1')) {
    missing.push('diseinfo: 主要诊断 (maindiag_flag 1)');
  }
  homepage?.operations.forEach((o, i) => {
    if (!o.oper_dr_code) missing.push(`oprninfo[${i}]: oper_dr_code 术者医师代码 (病案首页未提供)`);
    if (!o.oprn_oprt_begntime || !o.oprn_oprt_endtime) {
      missing.push(
        `oprninfo[${i}]: oprn_oprt_begntime/oprn_oprt_endtime 手术操作起止时间 (病案首页 v2 未提供)`,
      );
    }
  });
  const list = config.settlementList;
  const bill_code = needed(list.bill_code, 'setlinfo: bill_code 票据代码 (REPORTING_BILL_CODE)', missing);
  const fill_dept = needed(
    list.medins_fill_dept,
    'setlinfo: medins_fill_dept 填报部门 (REPORTING_FILL_DEPT)',
    missing,
  );
  const fill_psn = needed(
    list.medins_fill_psn,
    'setlinfo: medins_fill_psn 填报人 (REPORTING_FILL_PSN)',
    missing,
  );
  const bill_no = needed(
    visit.settlementRequest?.invono,
    'setlinfo: bill_no 票据号码 (结算申请 invono)',
    missing,
  );
  const area = insuredArea(visit);
  const insutype = visit.registration?.insutype ?? admission?.insutype;
  const hi_paymtd =
    area !== undefined && insutype !== undefined
      ? needed(
          paymentMethodFor(list.hi_paymtd, area, insutype),
          `setlinfo: hi_paymtd 医保支付方式 (REPORTING_HI_PAYMTD has no entry for ${area}:${insutype})`,
          missing,
        )
      : undefined;
  const newborn = newbornFields(admission?.newborn, list.newbornFieldNames);
  const departments = visit.departments;
  return (keys) => {
    const s = settlement!;
    const a = admission!;
    const h = homepage!;
    const transfers = departments.slice(1).filter((d) => d !== h.dscg_caty);
    return {
      setlinfo: {
        psn_no: keys.psn_no,
        mdtrt_id: keys.mdtrt_id,
        setl_id: s.setl_id,
        medcasno: h.medcasno,
        ...newborn,
        ...(h.adm_way_code && { adm_way: h.adm_way_code }),
        ...(h.trt_type && { trt_type: h.trt_type }),
        adm_time: h.adm_date,
        ...(transfers.length > 0 && { refldept_dept: transfers.join('→') }),
        dscg_time: h.dscg_date,
        dscg_caty: h.dscg_caty,
        // 门（急）诊诊断: the diagnosis the patient was admitted with.
        ...(a.adm_diag_dscr && { otp_wm_dise: a.adm_diag_dscr }),
        ...(a.adm_diag_code && { wm_dise_code: a.adm_diag_code }),
        ...nursingDays(h),
        dscg_way: h.dscg_way,
        bill_code,
        bill_no,
        // 业务流水号: the settlement's own serial, the msgid of its 2304.
        biz_sn: s.medins_setl_id,
        chfpdr_code: a.atddr_no,
        setl_begn_date: dateOf(a.begntime),
        setl_end_date: dateOf(s.setl_time),
        medins_fill_dept: fill_dept,
        medins_fill_psn: fill_psn,
        ...(h.resp_nurs_code && { resp_nurs_code: h.resp_nurs_code }),
        stas_type: SUBMITTED,
        hi_paymtd,
      },
      diseinfo: h.diagnoses.map((d) => ({
        diag_type: d.ipt_patn_disediag_type_code,
        diag_code: d.diag_code,
        diag_name: d.diag_name,
        maindiag_flag: d.maindiag_flag,
        ...(d.adm_cond_code && /^[1-4]$/.test(d.adm_cond_code) && { adm_cond_type: d.adm_cond_code }),
      })),
      ...(h.operations.length > 0 && {
        oprninfo: h.operations.map((o) => ({
          // 手术操作类型: 1 main operation, 2 others.
          oprn_oprt_type: o.main_oprn_flag === '1' ? '1' : '2',
          oprn_oprt_name: o.oprn_oprt_name,
          oprn_oprt_code: o.oprn_oprt_code,
          ...(o.anst_mtd_code && { anst_way: o.anst_mtd_code }),
          oper_dr_code: o.oper_dr_code!,
          ...(o.anst_dr_code && { anst_dr_code: o.anst_dr_code }),
          oprn_oprt_begntime: o.oprn_oprt_begntime!,
          oprn_oprt_endtime: o.oprn_oprt_endtime!,
          ...(o.anst_begntime && { anst_begntime: o.anst_begntime }),
          ...(o.anst_endtime && { anst_endtime: o.anst_endtime }),
        })),
      }),
      ...(h.icu_stays.length > 0 && {
        icuinfo: h.icu_stays.map((icu) => ({
          scs_cutd_ward_type: icu.icu_codeid,
          scs_cutd_inpool_time: icu.inpool_icu_time,
          scs_cutd_exit_time: icu.out_icu_time,
          scs_cutd_sum_dura: duration(icu.inpool_icu_time, icu.out_icu_time),
        })),
      }),
    };
  };
};

const NURSING_DAYS = [
  'spga_nurscare_days',
  'lv1_nurscare_days',
  'scd_nurscare_days',
  'lv3_nurscare_days',
] as const;

/** 特级/一级/二级/三级护理天数, as the homepage (v2) gives them. */
function nursingDays(h: Omit<Homepage, 'ipt_no'>) {
  return Object.fromEntries(NURSING_DAYS.filter((f) => h[f] !== undefined).map((f) => [f, h[f]]));
}

/** The newborn's fields in the spelling the region's platform takes (REPORTING_NWB_FIELD_NAMES). */
function newbornFields(newborn: NewbornFacts | undefined, names: NewbornFieldNames): Record<string, string> {
  if (!newborn) return {};
  const spelt: Record<string, string | undefined> =
    names === 'nwb_admtype'
      ? { nwb_admtype: newborn.nwb_adm_type, nwbbirwt: newborn.nwb_bir_wt, nwbadmwt: newborn.nwb_adm_wt }
      : {
          nwb_adm_type: newborn.nwb_adm_type,
          nwb_bir_wt: newborn.nwb_bir_wt,
          nwb_adm_wt: newborn.nwb_adm_wt,
        };
  const all = { ...spelt, mul_nwb_bir_wt: newborn.mul_nwb_bir_wt, mul_nwb_adm_wt: newborn.mul_nwb_adm_wt };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

const homepage: Builder<Sources['homepage']> = (h, ctx, missing) => {
  needed(h.psn_name, 'baseinfo: psn_name 姓名', missing);
  // The nursing days, the responsible nurse and the operations' times are the settlement list's (4101A).
  const { diagnoses, icu_stays, resp_nurs_code: _nurse, ...fields } = h;
  const base = Object.fromEntries(
    Object.entries(fields).filter(
      ([f]) => !(NURSING_DAYS as readonly string[]).includes(f) && f !== 'operations',
    ),
  );
  const operations = h.operations.map(
    ({ oprn_oprt_begntime: _b, oprn_oprt_endtime: _e, anst_dr_code: _a, ...o }) => o,
  );
  return (keys, vali_flag) => {
    const rowKeys = { ...keys, vali_flag, ipt_medcas_hmpg_sn: h.medcasno };
    return {
      baseinfo: {
        ...keys,
        ...base,
        patn_ipt_cnt: String(h.patn_ipt_cnt),
        ipt_no: ctx.ipt_no,
        fixmedins_code: ctx.hospital.fixmedins_code,
        vali_flag,
      },
      diseinfo: diagnoses.map((d) => ({ ...rowKeys, ...d })),
      // The platform refuses an empty node: a stay without operations or ICU sends none.
      ...(operations.length > 0 && { oprninfo: operations.map((o) => ({ ...rowKeys, ...o })) }),
      ...(icu_stays.length > 0 && { icuinfo: icu_stays.map((i) => ({ ...rowKeys, ...i })) }),
    };
  };
};

const order: Builder<Sources['order']> = (o) => (keys, vali_flag) => ({
  data: [{ ...keys, ...o, vali_flag }],
});

const exam: Builder<Sources['exam']> =
  ({ study_uids, ...e }) =>
  (keys, vali_flag) => ({
    examinfo: { ...keys, ...e, vali_flag },
    ...(study_uids.length > 0 && {
      imageinfo: study_uids.map((study_uid) => ({ rpotc_no: e.rpotc_no, study_uid })),
    }),
  });

const lab: Builder<Sources['lab']> =
  ({ items, ...l }) =>
  (keys, vali_flag) => ({
    labinfo: { ...keys, ...l, vali_flag },
    iteminfo: items,
  });

const oneRecord: Builder<Record<string, unknown>> = (r) => (keys, vali_flag) => ({
  data: [{ ...keys, ...r, vali_flag }],
});

const pathology: Builder<Sources['pathology']> = (p, _ctx, missing) => {
  needed(p.frozen_no, 'data: frozen_no 冰冻号', missing);
  needed(p.sabc, 'data: sabc 免疫组化', missing);
  return (keys, vali_flag) => ({ data: { ...keys, ...p, vali_flag } });
};

const unstructured: Builder<Sources['unstructured']> = (u) => (keys, vali_flag) => ({
  // 2: an inpatient record (otp_ipt_flag).
  data: { ...keys, otp_ipt_flag: '2', ...u, vali_flag },
});

const BUILDERS: { [I in ReportInfno]: Builder<never> } = {
  '4101A': settlementList,
  '4401': homepage,
  '4402': order,
  '4501': exam,
  '4502': lab,
  '4503': oneRecord,
  '4504': oneRecord,
  '4505': pathology,
  '4506': unstructured,
};
