import Decimal from 'decimal.js';
import { requireDecimal, requireRows, requireString, type JsonObject } from './input-fields';
import { yearsBetween, type InsuredPerson } from './insured-persons';
import type { LedgerContext } from './ledger-context';
import type { LedgerState, Registration, Settlement } from './ledger-state';
import { reject } from './platform-rejection';
import { HOSPITAL_SHARE_FUND, policyFor, splitSettlement, type SettlementSplit } from './settlement-split';
import { unsettledFeeLines, sumOf } from './visit-queries';
import { findVisit, openVisit } from './visits';
import { money, ratio } from './wire-amounts';
import { yearToDate } from './yearly-totals';

/** 2303 住院预结算: the same split as 2304, nothing stored. */
export function preSettle(ctx: LedgerContext): JsonObject {
  const { split, visit, person, data } = computeSplit(ctx);
  return {
    setlinfo: setlinfo(ctx, split, visit, person, data),
    setldetail: setldetail(split),
  };
}

/** 2304 住院结算: settles every uploaded line not yet settled; a discharge settlement (mid_setl_flag 0) closes the visit. */
export function settle(ctx: LedgerContext): JsonObject {
  const { split, visit, person, data, lines } = computeSplit(ctx);
  const mid_setl_flag = requireString(data, 'mid_setl_flag', 'data.');
  if (mid_setl_flag !== '1' && visit.status !== 'discharged') {
    reject(`就诊ID[${visit.mdtrt_id}]未办理出院，不能办理出院结算`);
  }
  const setl_id = `${ctx.req.mdtrtarea_admvs}${ctx.stamp}${ctx.nextSerial(10)}`;
  const output = {
    setlinfo: {
      setl_id,
      ...setlinfo(ctx, split, visit, person, data),
      clr_optins: person.insuplc_admdvs,
      clr_way: '1',
      clr_type: '21',
    },
    setldetail: setldetail(split),
  };
  ctx.state.settlements.set(setl_id, {
    setl_id,
    mdtrt_id: visit.mdtrt_id,
    psn_no: visit.psn_no,
    msgid: ctx.req.msgid,
    mid_setl_flag,
    setl_time: ctx.dateTime,
    insutype: visit.insutype,
    medfee_sumamt: split.medfee_sumamt,
    act_pay_dedc: split.act_pay_dedc,
    hifp_pay: split.hifp_pay,
    fund_pay_sumamt: split.fund_pay_sumamt,
    psn_part_amt: split.psn_part_amt,
    acct_pay: split.acct_pay,
    psn_cash_pay: split.psn_cash_pay,
    hosp_part_amt: split.hosp_part_amt,
    feedetl_sns: lines.map((l) => l.feedetl_sn),
    output,
    visitStatusBefore: visit.status,
    status: 'settled',
  });
  lines.forEach((l) => (l.setl_id = setl_id));
  ctx.state.balances.set(person.psn_no, split.balc);
  if (mid_setl_flag !== '1') visit.status = 'settled';
  ctx.state.applied.set(ctx.req.msgid, {
    msgid: ctx.req.msgid,
    infno: '2304',
    psn_no: visit.psn_no,
    mdtrt_id: visit.mdtrt_id,
    setl_id,
  });
  return output;
}

/** 2305 住院结算撤销: answers the settlement's amounts negated and reopens the visit and its lines. */
export function cancelSettlement(ctx: LedgerContext): JsonObject {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const visit = findVisit(ctx, data, 'data.');
  const setl_id = requireString(data, 'setl_id', 'data.');
  const settlement = ctx.state.settlements.get(setl_id);
  if (!settlement || settlement.mdtrt_id !== visit.mdtrt_id) reject(`结算ID[${setl_id}]对应的结算信息不存在`);
  if (settlement.status !== 'settled') reject(`结算ID[${setl_id}]的结算信息已撤销，不能重复撤销`);
  undoSettlement(ctx.state, settlement);
  const cancelSetlId = `${ctx.req.mdtrtarea_admvs}${ctx.stamp}${ctx.nextSerial(10)}`;
  Object.assign(settlement, {
    status: 'cancelled',
    cancelMsgid: ctx.req.msgid,
    cancelSetlId,
    cancelSetlTime: ctx.dateTime,
  });
  ctx.state.applied.set(ctx.req.msgid, {
    msgid: ctx.req.msgid,
    infno: '2305',
    psn_no: visit.psn_no,
    mdtrt_id: visit.mdtrt_id,
    setl_id,
  });
  const original = settlement.output as { setlinfo: JsonObject; setldetail: JsonObject[] };
  return {
    setlinfo: {
      ...negateAmounts(original.setlinfo),
      setl_id: cancelSetlId,
      balc: money(ctx.state.balances.get(visit.psn_no) ?? new Decimal(0)),
      setl_time: ctx.dateTime,
      medins_setl_id: ctx.req.msgid,
      hifdm_pay: 0,
    },
    setldetail: original.setldetail.map(negateAmounts),
  };
}

/** Takes a standing settlement back: its lines become settleable again, the account is refunded, the visit reopens. */
export function undoSettlement(state: LedgerState, settlement: Settlement): void {
  state.feeLines.filter((l) => l.setl_id === settlement.setl_id).forEach((l) => delete l.setl_id);
  const balance = state.balances.get(settlement.psn_no) ?? new Decimal(0);
  state.balances.set(settlement.psn_no, balance.plus(settlement.acct_pay));
  const visit = state.registrations.get(settlement.mdtrt_id);
  if (visit && settlement.mid_setl_flag !== '1') visit.status = settlement.visitStatusBefore;
}

/** Puts a cancelled settlement back (2601 of its 2305), provided nothing touched its lines in between. */
export function restoreSettlement(state: LedgerState, settlement: Settlement): void {
  const lines = state.feeLines.filter(
    (l) =>
      l.mdtrt_id === settlement.mdtrt_id &&
      l.status === 'uploaded' &&
      settlement.feedetl_sns.includes(l.feedetl_sn),
  );
  const visit = state.registrations.get(settlement.mdtrt_id);
  const untouched =
    lines.length === settlement.feedetl_sns.length &&
    lines.every((l) => l.setl_id === undefined) &&
    visit?.status === settlement.visitStatusBefore;
  if (!untouched) reject(`结算ID[${settlement.setl_id}]撤销后费用明细或就诊状态已变更，不能冲正结算撤销交易`);
  lines.forEach((l) => (l.setl_id = settlement.setl_id));
  const balance = state.balances.get(settlement.psn_no) ?? new Decimal(0);
  state.balances.set(settlement.psn_no, balance.minus(settlement.acct_pay));
  if (visit && settlement.mid_setl_flag !== '1') visit.status = 'settled';
}

function computeSplit(ctx: LedgerContext) {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const visit = openVisit(ctx, data, 'data.');
  const person = ctx.state.persons.get(visit.psn_no) ?? reject(`人员编号[${visit.psn_no}]不存在`);
  const insutype = requireString(data, 'insutype', 'data.');
  if (insutype !== visit.insutype) reject(`险种类型[${insutype}]与入院登记险种类型[${visit.insutype}]不一致`);
  requireString(data, 'psn_setlway', 'data.');
  requireString(data, 'mdtrt_cert_type', 'data.');
  const medfee_sumamt = requireDecimal(data, 'medfee_sumamt', 'data.');
  const lines = unsettledFeeLines(ctx.state, visit.mdtrt_id);
  if (lines.length === 0) reject(`就诊ID[${visit.mdtrt_id}]无待结算的费用明细`);
  const uploaded = sumOf(lines, (l) => l.det_item_fee_sumamt);
  if (!uploaded.eq(medfee_sumamt)) {
    reject(
      `医疗费总额[${medfee_sumamt.toFixed(2)}]与已上传费用明细总额[${uploaded.toFixed(2)}]不一致，请核对费用明细`,
    );
  }
  const policy = policyFor(insutype) ?? reject(`险种类型[${insutype}]不支持住院结算`);
  const split = splitSettlement({
    totals: {
      medfee_sumamt: uploaded,
      fulamt_ownpay_amt: sumOf(lines, (l) => l.fulamt_ownpay_amt),
      overlmt_selfpay: sumOf(lines, (l) => l.overlmt_amt),
      preselfpay_amt: sumOf(lines, (l) => l.preselfpay_amt),
      inscp_scp_amt: sumOf(lines, (l) => l.inscp_scp_amt),
    },
    policy,
    retired: person.psn_type.startsWith('12') || person.psn_type === '1300',
    hospitalBearsOverlimit: ctx.hospitalBearsOverlimit,
    useAccount: data['acct_used_flag'] === '1',
    accountBalance: ctx.state.balances.get(person.psn_no) ?? new Decimal(0),
    yearToDate: yearToDate(ctx.state, person.psn_no, insutype, ctx.dateTime.slice(0, 4)),
  });
  return { split, visit, person, data, lines };
}

function setlinfo(
  ctx: LedgerContext,
  split: SettlementSplit,
  visit: Registration,
  person: InsuredPerson,
  data: JsonObject,
): JsonObject {
  return {
    mdtrt_id: visit.mdtrt_id,
    psn_no: person.psn_no,
    psn_name: person.psn_name,
    psn_cert_type: person.psn_cert_type,
    certno: person.certno,
    gend: person.gend,
    naty: person.naty,
    brdy: person.brdy,
    age: yearsBetween(person.brdy, ctx.dateTime),
    insutype: visit.insutype,
    psn_type: person.psn_type,
    cvlserv_flag: person.cvlserv_flag,
    setl_time: ctx.dateTime,
    mdtrt_cert_type: data['mdtrt_cert_type'],
    med_type: visit.med_type,
    medfee_sumamt: money(split.medfee_sumamt),
    fulamt_ownpay_amt: money(split.fulamt_ownpay_amt),
    overlmt_selfpay: money(split.overlmt_selfpay),
    preselfpay_amt: money(split.preselfpay_amt),
    inscp_scp_amt: money(split.inscp_scp_amt),
    act_pay_dedc: money(split.act_pay_dedc),
    hifp_pay: money(split.hifp_pay),
    pool_prop_selfpay: ratio(split.pool_prop_selfpay),
    cvlserv_pay: 0,
    hifes_pay: 0,
    hifmi_pay: money(split.hifmi_pay),
    hifob_pay: money(split.hifob_pay),
    maf_pay: 0,
    hosp_part_amt: money(split.hosp_part_amt),
    oth_pay: 0,
    fund_pay_sumamt: money(split.fund_pay_sumamt),
    psn_part_amt: money(split.psn_part_amt),
    acct_pay: money(split.acct_pay),
    psn_cash_pay: money(split.psn_cash_pay),
    balc: money(split.balc),
    acct_mulaid_pay: 0,
    medins_setl_id: ctx.req.msgid,
  };
}

function setldetail(split: SettlementSplit): JsonObject[] {
  return split.funds.map((f) => ({
    fund_pay_type: f.fund_pay_type,
    inscp_scp_amt: money(f.inscp_scp_amt),
    crt_payb_lmt_amt: money(f.crt_payb_lmt_amt),
    fund_payamt: money(f.fund_payamt),
    fund_pay_type_name: FUND_NAMES[f.fund_pay_type] ?? f.fund_pay_type,
    setl_proc_info: null,
  }));
}

const FUND_NAMES: Record<string, string> = {
  '310100': '职工基本医疗保险统筹基金',
  '310200': '职工基本医疗保险个人账户基金',
  '330100': '职工大额医疗费用补助基金',
  '390100': '城乡居民基本医疗保险基金',
  '390200': '城乡居民大病医疗保险资金',
  [HOSPITAL_SHARE_FUND]: '医院负担',
};

/** Amount fields of a settlement answer, negated for the 2305 answer; everything else kept as it was. */
const AMOUNT_FIELDS = new Set([
  'medfee_sumamt',
  'fulamt_ownpay_amt',
  'overlmt_selfpay',
  'preselfpay_amt',
  'inscp_scp_amt',
  'act_pay_dedc',
  'hifp_pay',
  'cvlserv_pay',
  'hifes_pay',
  'hifmi_pay',
  'hifob_pay',
  'maf_pay',
  'hosp_part_amt',
  'oth_pay',
  'fund_pay_sumamt',
  'psn_part_amt',
  'acct_pay',
  'psn_cash_pay',
  'acct_mulaid_pay',
  'fund_payamt',
]);

function negateAmounts(row: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      AMOUNT_FIELDS.has(k) && typeof v === 'number' ? money(new Decimal(v).neg()) : v,
    ]),
  );
}
