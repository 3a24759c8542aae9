import { optionalString, requireNode, requireString, type JsonObject } from './input-fields';
import { yearsBetween, type InsuredPerson } from './insured-persons';
import type { LedgerContext } from './ledger-context';
import type { LedgerState, Registration } from './ledger-state';
import { reject } from './platform-rejection';
import { standingList } from './report-uploads';
import { findVisit } from './visits';
import { money } from './wire-amounts';

// The platform's records of visits asked back (spec part 2 §7.2, §2.5, §8.2), answered from the sandbox's own
// books: 5201 就诊信息查询 and 5303 在院信息查询 from the registrations, 5202 诊断信息查询 from the diagnoses
// 2401 / 2403 / 2402 gave, 5204 费用明细查询 from the fee lines a settlement covers, 4103 结算清单信息查询 from
// the standing 4101A list and its settlement. A cancelled (2404) or reversed (2601) registration is no visit.

/** A registration that stands (not cancelled by 2404 nor reversed by 2601). */
const stands = (r: Registration) => r.status !== 'cancelled' && r.status !== 'reversed';

/** The person a query names, refused when the platform does not know them. */
export function knownPerson(ctx: LedgerContext, data: JsonObject): InsuredPerson {
  const psn_no = requireString(data, 'psn_no', 'data.');
  return ctx.state.persons.get(psn_no) ?? reject(`人员编号[${psn_no}]不存在`);
}

/** How the platform names a person in its answers (1101's baseinfo, 5201, 5303). */
export function identityOf(person: InsuredPerson): JsonObject {
  return {
    psn_cert_type: person.psn_cert_type,
    certno: person.certno,
    psn_name: person.psn_name,
    gend: person.gend,
    naty: person.naty,
    brdy: person.brdy,
  };
}

/** Whether `time` (yyyy-MM-dd[ HH:mm:ss]) lies in [begntime, endtime]; an open end takes everything after. */
function inWindow(time: string, begntime: string, endtime: string | undefined): boolean {
  return time >= begntime && (endtime === undefined || time <= endtime);
}

/**
 * 5201 就诊信息查询: the person's visits of med_type admitted in the window (or the one mdtrt_id), with 在院状态
 * inhosp_stas 1 until 2402, 0 after.
 */
export function queryVisits(ctx: LedgerContext): JsonObject {
  const data = requireNode(ctx.req.input, 'data');
  const person = knownPerson(ctx, data);
  const begntime = requireString(data, 'begntime', 'data.');
  const med_type = requireString(data, 'med_type', 'data.');
  const endtime = optionalString(data, 'endtime');
  const mdtrt_id = optionalString(data, 'mdtrt_id');
  const visits = [...ctx.state.registrations.values()].filter(
    (r) =>
      stands(r) &&
      r.psn_no === person.psn_no &&
      r.med_type === med_type &&
      (mdtrt_id === undefined || r.mdtrt_id === mdtrt_id) &&
      inWindow(r.begntime, begntime, endtime),
  );
  return {
    mdtrtinfo: visits.map((r) => ({
      mdtrt_id: r.mdtrt_id,
      psn_no: r.psn_no,
      ...identityOf(person),
      insutype: r.insutype,
      psn_type: person.psn_type,
      cvlserv_flag: person.cvlserv_flag,
      insu_optins: person.insuplc_admdvs,
      emp_name: person.emp_name,
      begntime: r.begntime,
      endtime: r.endtime ?? null,
      med_type: r.med_type,
      ipt_otp_no: r.ipt_no,
      adm_dept_codg: r.adm_dept_codg,
      dscg_maindiag_code: r.dscg_maindiag_code,
      dscg_way: r.dscg_way ?? null,
      inhosp_stas: r.status === 'admitted' ? '1' : '0',
    })),
  };
}

/** 5202 诊断信息查询: the visit's admission (inout_diag_type 1) and discharge (2) diagnoses as last sent. */
export function queryDiagnoses(ctx: LedgerContext): JsonObject {
  const data = requireNode(ctx.req.input, 'data');
  const visit = findVisit(ctx, data, 'data.');
  return {
    diseinfo: visit.diagnoses.map((d) => ({
      // The platform's id of the row: the visit, the class and the diagnosis's order (no serial is spent).
      diag_info_id: `${visit.mdtrt_id}D${d.inout_diag_type}${d.fields['diag_srt_no'] ?? ''}`,
      mdtrt_id: visit.mdtrt_id,
      psn_no: visit.psn_no,
      inout_diag_type: d.inout_diag_type,
      ...d.fields,
    })),
  };
}

/** 5204 费用明细查询: the fee lines a standing settlement covers, priced as 2301 answered them; no node name. */
export function querySettledFeeLines(ctx: LedgerContext): JsonObject[] {
  const data = requireNode(ctx.req.input, 'data');
  const visit = findVisit(ctx, data, 'data.');
  const setl_id = requireString(data, 'setl_id', 'data.');
  const settlement = ctx.state.settlements.get(setl_id);
  if (!settlement || settlement.mdtrt_id !== visit.mdtrt_id) reject(`结算ID[${setl_id}]对应的结算信息不存在`);
  if (settlement.status !== 'settled') reject(`结算ID[${setl_id}]的结算信息已撤销，无费用明细`);
  return ctx.state.feeLines
    .ofVisit(visit.mdtrt_id)
    .filter((line) => line.setl_id === setl_id)
    .map((line) => ({
      mdtrt_id: line.mdtrt_id,
      setl_id,
      feedetl_sn: line.feedetl_sn,
      med_type: visit.med_type,
      fee_ocur_time: line.fee_ocur_time,
      cnt: Number(line.cnt.toFixed(4)),
      pric: Number(line.pric.toFixed(6)),
      det_item_fee_sumamt: money(line.det_item_fee_sumamt),
      fulamt_ownpay_amt: money(line.fulamt_ownpay_amt),
      overlmt_amt: money(line.overlmt_amt),
      preselfpay_amt: money(line.preselfpay_amt),
      inscp_scp_amt: money(line.inscp_scp_amt),
      chrgitm_lv: line.chrgitm_lv,
      med_list_codg: line.med_list_codg,
      medins_list_codg: line.medins_list_codg,
    }));
}

/**
 * 5303 在院信息查询: this hospital's visits admitted in the window (on admission time) and not yet discharged,
 * optionally one person's; out_flag 1 for a person insured in another area than the hospital's.
 */
export function queryInpatients(ctx: LedgerContext): JsonObject {
  const data = requireNode(ctx.req.input, 'data');
  const begntime = requireString(data, 'begntime', 'data.');
  const endtime = requireString(data, 'endtime', 'data.');
  const psn_no = optionalString(data, 'psn_no');
  const inHospital = [...ctx.state.registrations.values()].filter(
    (r) =>
      r.status === 'admitted' &&
      hospitalOf(r) === ctx.req.fixmedins_code &&
      (psn_no === undefined || r.psn_no === psn_no) &&
      inWindow(r.begntime, begntime, endtime),
  );
  return { data: inHospital.map((r) => inpatientRow(ctx, ctx.state, r)) };
}

/** The hospital of a visit: its 2401 msgid begins with the fixmedins_code (as statements.ts reads it). */
const hospitalOf = (r: Registration) => r.msgid.slice(0, 12);

function inpatientRow(ctx: LedgerContext, state: LedgerState, r: Registration): JsonObject {
  const person = state.persons.get(r.psn_no)!;
  return {
    mdtrt_id: r.mdtrt_id,
    psn_no: r.psn_no,
    ...identityOf(person),
    age: yearsBetween(person.brdy, ctx.dateTime),
    insutype: r.insutype,
    begndate: r.begntime.slice(0, 10),
    med_type: r.med_type,
    ipt_otp_no: r.ipt_no,
    out_flag: person.insuplc_admdvs === ctx.req.mdtrtarea_admvs ? '0' : '1',
  };
}

/**
 * 4103 结算清单信息查询: the settlement's standing list (4101A, status as 4102 left it) with what the platform
 * holds of its settlement: the personal parts and the funds' payments (the 2304 answer's fund rows).
 */
export function querySettlementList(ctx: LedgerContext): JsonObject {
  const data = requireNode(ctx.req.input, 'data');
  const psn_no = requireString(data, 'psn_no', 'data.');
  const setl_id = requireString(data, 'setl_id', 'data.');
  const settlement = ctx.state.settlements.get(setl_id);
  if (!settlement || settlement.psn_no !== psn_no) reject(`结算ID[${setl_id}]对应的结算信息不存在`);
  const list = standingList(ctx, setl_id) ?? reject(`结算ID[${setl_id}]不存在已上传的结算清单`);
  const fundRows = (settlement.output['setldetail'] as JsonObject[] | undefined) ?? [];
  return {
    setlinfo: {
      setl_id,
      setl_list_id: list.setl_list_id,
      psn_no,
      mdtrt_id: settlement.mdtrt_id,
      stas_type: list.stas_type,
      acct_payamt: money(settlement.acct_pay),
      psn_cashpay: money(settlement.psn_cash_pay),
    },
    payinfo: fundRows.map((row) => ({
      fund_pay_type: row['fund_pay_type'],
      fund_payamt: row['fund_payamt'],
    })),
    opspdiseinfo: [],
    diseinfo: [],
    iteminfo: [],
    oprninfo: [],
    icuinfo: [],
    bldinfo: [],
  };
}
