import {
  optionalRows,
  optionalString,
  requireNode,
  requireRows,
  requireString,
  type JsonObject,
} from './input-fields';
import { insuranceStatusRefusal } from './eligibility';
import type { LedgerContext } from './ledger-context';
import { claimFromAdmission, enrol, fictitiousPerson } from './person-enrolment';
import type { RecordedDiagnosis, Registration } from './ledger-state';
import { reject } from './platform-rejection';
import { activeFeeLines, activeSettlements } from './visit-queries';

/** 2401 入院办理 … 2407 就医特殊属性查询: the registration's life cycle and the platform's refusals. */

export function admit(ctx: LedgerContext): JsonObject {
  const info = requireNode(ctx.req.input, 'mdtrtinfo');
  const psn_no = requireString(info, 'psn_no', 'mdtrtinfo.');
  const insutype = requireString(info, 'insutype', 'mdtrtinfo.');
  const known = ctx.state.persons.get(psn_no);
  if (!known && !ctx.enrolUnknownPersons) reject(`人员编号[${psn_no}]不存在，请核实参保信息`);
  // Enrolled only once every rule below has passed: a refused 2401 changes nothing.
  const person = known ?? fictitiousPerson(claimFromAdmission(ctx, info, psn_no, insutype), ctx.dateTime);
  if (person.insutype !== insutype)
    reject(`参保人险种类型[${person.insutype}]与传入险种类型[${insutype}]不一致`);
  const notInsured = insuranceStatusRefusal(person);
  if (notInsured) reject(`${notInsured}，不能办理入院登记`);
  const open = [...ctx.state.registrations.values()].find(
    (r) => r.psn_no === psn_no && (r.status === 'admitted' || r.status === 'discharged'),
  );
  if (open) reject(`该参保人存在未结算的住院登记信息[${open.mdtrt_id}]，不能重复办理入院登记`);
  const diagnoses = diagnosesOf(requireRows(ctx.req.input, 'diseinfo'), '1');

  const mdtrt_id = `${ctx.req.mdtrtarea_admvs}${ctx.stamp.slice(0, 8)}${ctx.nextSerial(10)}`;
  const registration: Registration = {
    mdtrt_id,
    psn_no,
    insutype,
    med_type: requireString(info, 'med_type', 'mdtrtinfo.'),
    ipt_no: requireString(info, 'ipt_no', 'mdtrtinfo.'),
    begntime: requireString(info, 'begntime', 'mdtrtinfo.'),
    adm_dept_codg: optionalString(info, 'adm_dept_codg') ?? '',
    dscg_maindiag_code: optionalString(info, 'dscg_maindiag_code') ?? '',
    msgid: ctx.req.msgid,
    status: 'admitted',
    history: [],
    specialAttributes: [],
    maternity: maternityOf(info),
    diagnoses,
  };
  if (!known) enrol(ctx, person);
  ctx.state.registrations.set(mdtrt_id, registration);
  ctx.state.applied.set(ctx.req.msgid, { msgid: ctx.req.msgid, infno: '2401', psn_no, mdtrt_id });
  return { result: { mdtrt_id } };
}

export function discharge(ctx: LedgerContext): null {
  const info = requireNode(ctx.req.input, 'dscginfo');
  const visit = openVisit(ctx, info, 'dscginfo.');
  if (visit.status !== 'admitted') reject(`就诊ID[${visit.mdtrt_id}]已办理出院，不能重复办理出院`);
  const endtime = requireString(info, 'endtime', 'dscginfo.');
  const dscg_way = requireString(info, 'dscg_way', 'dscginfo.');
  requireString(info, 'dscg_dept_codg', 'dscginfo.');
  const maternity = maternityOf(info);
  // The maternity fund pays a 生育住院 by its 生育类别: the discharge must say what the delivery was.
  if (visit.med_type === MATERNITY_STAY && maternity['matn_type'] === undefined)
    reject(`就诊ID[${visit.mdtrt_id}]为生育住院，出院办理时生育类别[dscginfo.matn_type]不能为空`);
  Object.assign(visit.maternity, maternity);
  Object.assign(visit, { endtime, dscg_way, status: 'discharged' });
  visit.diagnoses = [
    ...visit.diagnoses.filter((d) => d.inout_diag_type === '1'),
    // Discharge diagnoses may be empty (the sandbox's rules take an empty diseinfo).
    ...diagnosesOf(
      isEmptyList(ctx.req.input['diseinfo']) ? [] : optionalRows(ctx.req.input, 'diseinfo'),
      '2',
    ),
  ];
  record(ctx, visit);
  return null;
}

export function amendAdmission(ctx: LedgerContext): null {
  const info = requireNode(ctx.req.input, 'adminfo');
  const visit = openVisit(ctx, info, 'adminfo.');
  const changes: Partial<Registration> = {
    begntime: requireString(info, 'begntime', 'adminfo.'),
    med_type: requireString(info, 'med_type', 'adminfo.'),
    ipt_no: requireString(info, 'ipt_otp_no', 'adminfo.'),
    adm_dept_codg: optionalString(info, 'adm_dept_codg') ?? visit.adm_dept_codg,
    dscg_maindiag_code: optionalString(info, 'dscg_maindiag_code') ?? visit.dscg_maindiag_code,
  };
  const admissionDiagnoses = optionalRows(ctx.req.input, 'diseinfo');
  Object.assign(visit, changes);
  // Diagnoses sent replace the admission's; none sent leave them as they were.
  if (admissionDiagnoses.length > 0) {
    visit.diagnoses = [
      ...diagnosesOf(admissionDiagnoses, '1'),
      ...visit.diagnoses.filter((d) => d.inout_diag_type === '2'),
    ];
  }
  Object.assign(visit.maternity, maternityOf(info));
  record(ctx, visit);
  return null;
}

export function cancelAdmission(ctx: LedgerContext): null {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const visit = openVisit(ctx, data, 'data.');
  if (visit.status === 'discharged')
    reject(`就诊ID[${visit.mdtrt_id}]已办理出院，请先撤销出院后再撤销入院登记`);
  if (activeSettlements(ctx.state, visit.mdtrt_id).length > 0) {
    reject(`就诊ID[${visit.mdtrt_id}]存在有效结算信息，不能撤销入院登记`);
  }
  const remaining = activeFeeLines(ctx.state, visit.mdtrt_id).length;
  if (remaining > 0)
    reject(`就诊ID[${visit.mdtrt_id}]存在${remaining}条未撤销的费用明细，请先撤销费用明细后再撤销入院登记`);
  visit.status = 'cancelled';
  record(ctx, visit);
  return null;
}

export function undoDischarge(ctx: LedgerContext): null {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const visit = findVisit(ctx, data, 'data.');
  if (visit.status === 'settled') reject(`就诊ID[${visit.mdtrt_id}]已办理出院结算，请先撤销结算后再撤销出院`);
  if (visit.status !== 'discharged') reject(`就诊ID[${visit.mdtrt_id}]未办理出院，不能撤销出院`);
  visit.status = 'admitted';
  delete visit.endtime;
  delete visit.dscg_way;
  visit.diagnoses = visit.diagnoses.filter((d) => d.inout_diag_type === '1');
  record(ctx, visit);
  return null;
}

export function uploadSpecialAttribute(ctx: LedgerContext): JsonObject {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const visit = openVisit(ctx, data, 'data.');
  const ipt_psn_sp_flag_detl_id = `${ctx.req.mdtrtarea_admvs}SP${ctx.nextSerial(12)}`;
  visit.specialAttributes.push({
    ipt_psn_sp_flag_detl_id,
    ipt_psn_sp_flag_type: requireString(data, 'ipt_psn_sp_flag_type', 'data.'),
    ipt_psn_sp_flag: requireString(data, 'ipt_psn_sp_flag', 'data.'),
    memo: optionalString(data, 'memo'),
    msgid: ctx.req.msgid,
  });
  record(ctx, visit);
  return { data: { ipt_psn_sp_flag_detl_id } };
}

export function querySpecialAttributes(ctx: LedgerContext): JsonObject {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const visit = findVisit(ctx, data, 'data.');
  return {
    data: visit.specialAttributes.map((a) => ({
      mdtrt_id: visit.mdtrt_id,
      psn_no: visit.psn_no,
      ipt_otp_no: visit.ipt_no,
      ipt_psn_sp_flag_detl_id: a.ipt_psn_sp_flag_detl_id,
      ipt_psn_sp_flag_type: a.ipt_psn_sp_flag_type,
      ipt_psn_sp_flag: a.ipt_psn_sp_flag,
      admdvs: ctx.req.mdtrtarea_admvs,
      fixmedins_code: ctx.req.fixmedins_code,
      fixmedins_name: ctx.req.fixmedins_name,
    })),
  };
}

/** The visit named by mdtrt_id + psn_no, whatever its state; refused when unknown or not the person's. */
export function findVisit(ctx: LedgerContext, row: JsonObject, where: string): Registration {
  const mdtrt_id = requireString(row, 'mdtrt_id', where);
  const psn_no = requireString(row, 'psn_no', where);
  const visit = ctx.state.registrations.get(mdtrt_id);
  if (!visit || visit.status === 'cancelled' || visit.status === 'reversed') {
    reject(`就诊ID[${mdtrt_id}]对应的住院登记信息不存在或已撤销`);
  }
  if (visit.psn_no !== psn_no) reject(`就诊ID[${mdtrt_id}]与人员编号[${psn_no}]不匹配`);
  return visit;
}

/** A visit that still accepts changes: registered, not yet closed by a discharge settlement. */
export function openVisit(ctx: LedgerContext, row: JsonObject, where: string): Registration {
  const visit = findVisit(ctx, row, where);
  if (visit.status === 'settled') reject(`就诊ID[${visit.mdtrt_id}]已办理出院结算，不能办理该业务`);
  return visit;
}

/** med_type 52 生育住院. */
const MATERNITY_STAY = '52';

/** The 生育 / 计划生育 fields 2401, 2403 and 2402 share (spec §3.1–§3.3). */
const MATERNITY_FIELDS = [
  'fpsc_no',
  'matn_type',
  'birctrl_type',
  'latechb_flag',
  'geso_val',
  'fetts',
  'fetus_cnt',
  'pret_flag',
  'birctrl_matn_date',
] as const;

function maternityOf(info: JsonObject): Record<string, string> {
  const given = MATERNITY_FIELDS.map((field) => [field, optionalString(info, field)] as const);
  return Object.fromEntries(given.filter(([, value]) => value !== undefined)) as Record<string, string>;
}

/** The 诊断信息 fields of a 2401/2402/2403 diseinfo row the platform keeps and 5202 answers. */
const DIAGNOSIS_FIELDS = [
  'diag_type',
  'maindiag_flag',
  'diag_srt_no',
  'diag_code',
  'diag_name',
  'adm_cond',
  'diag_dept',
  'dise_dor_no',
  'dise_dor_name',
  'diag_time',
] as const;

const isEmptyList = (value: unknown) => Array.isArray(value) && value.length === 0;

function diagnosesOf(rows: readonly JsonObject[], inout_diag_type: '1' | '2'): RecordedDiagnosis[] {
  return rows.map((row) => {
    const given = DIAGNOSIS_FIELDS.map((field) => [field, optionalString(row, field)] as const);
    const fields = Object.fromEntries(given.filter(([, value]) => value !== undefined)) as Record<
      string,
      string
    >;
    return { inout_diag_type, fields };
  });
}

function record(ctx: LedgerContext, visit: Registration): void {
  visit.history.push({ infno: ctx.req.infno, msgid: ctx.req.msgid, at: ctx.dateTime });
}
