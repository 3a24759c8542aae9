import Decimal from 'decimal.js';
import { priceFeeLine, unmatchedMedListItem } from './fee-catalogue';
import { optionalString, requireDecimal, requireRows, requireString, type JsonObject } from './input-fields';
import type { LedgerContext } from './ledger-context';
import type { FeeLine } from './ledger-state';
import { reject } from './platform-rejection';
import { openVisit } from './visits';
import { activeFeeLines, sumOf } from './visit-queries';
import { money, ratio } from './wire-amounts';

const REVOKE_ALL = '0000';

/**
 * 2301 住院费用明细上传. The batch is all-or-nothing: every line is checked (visit open, feedetl_sn unique
 * among the visit's active lines and within the batch, sumamt = cnt × pric, refunds pointing at a line they
 * do not exceed) before any line is stored.
 */
export function uploadFeeDetails(ctx: LedgerContext): JsonObject {
  const rows = requireRows(ctx.req.input, 'feedetail');
  const batch: FeeLine[] = [];
  rows.forEach((row, i) => batch.push(checkLine(ctx, row, `feedetail[${i}].`, batch)));
  ctx.state.feeLines.push(...batch);
  return {
    result: batch.map((line) => {
      const listed = ctx.catalogueItem(line.med_list_codg);
      const item = listed ?? unmatchedMedListItem(line.med_list_codg);
      return {
        feedetl_sn: line.feedetl_sn,
        det_item_fee_sumamt: money(line.det_item_fee_sumamt),
        cnt: Number(line.cnt.toFixed(4)),
        pric: Number(line.pric.toFixed(6)),
        pric_uplmt_amt: Number(new Decimal(item.pric_uplmt_amt).toFixed(6)),
        selfpay_prop: ratio(new Decimal(item.selfpay_prop)),
        fulamt_ownpay_amt: money(line.fulamt_ownpay_amt),
        overlmt_amt: money(line.overlmt_amt),
        preselfpay_amt: money(line.preselfpay_amt),
        inscp_scp_amt: money(line.inscp_scp_amt),
        chrgitm_lv: item.chrgitm_lv,
        med_chrgitm_type: item.med_chrgitm_type,
        bas_medn_flag: '0',
        hi_nego_drug_flag: '0',
        chld_medc_flag: '0',
        list_sp_item_flag: '0',
        lmt_used_flag: item.lmt_used_flag,
        drt_reim_flag: '0',
        memo: listed ? null : `医疗目录编码[${line.med_list_codg}]未匹配医保目录，按全自费处理`,
      };
    }),
  };
}

function checkLine(ctx: LedgerContext, row: JsonObject, where: string, batch: readonly FeeLine[]): FeeLine {
  const visit = openVisit(ctx, row, where);
  const feedetl_sn = requireString(row, 'feedetl_sn', where);
  const existing = [
    ...activeFeeLines(ctx.state, visit.mdtrt_id),
    ...batch.filter((l) => l.mdtrt_id === visit.mdtrt_id),
  ];
  if (existing.some((l) => l.feedetl_sn === feedetl_sn)) {
    reject(`就诊ID[${visit.mdtrt_id}]下费用明细流水号[${feedetl_sn}]已存在，不能重复上传`);
  }
  const cnt = requireDecimal(row, 'cnt', where);
  const pric = requireDecimal(row, 'pric', where);
  const sumamt = requireDecimal(row, 'det_item_fee_sumamt', where);
  if (!cnt.times(pric).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).eq(sumamt)) {
    reject(
      `费用明细[${feedetl_sn}]明细项目费用总额[${sumamt.toFixed(2)}]不等于数量[${cnt.toString()}]乘以单价[${pric.toString()}]`,
    );
  }
  if (pric.isNegative()) reject(`费用明细[${feedetl_sn}]单价不能为负数`);
  const med_list_codg = requireString(row, 'med_list_codg', where);
  const init_feedetl_sn = optionalString(row, 'init_feedetl_sn');
  if (init_feedetl_sn !== undefined) checkRefund(feedetl_sn, init_feedetl_sn, med_list_codg, cnt, existing);
  else if (!cnt.isPositive())
    reject(`费用明细[${feedetl_sn}]数量必须大于0，退费明细须传原费用流水号[init_feedetl_sn]`);

  // As the platform does (refuseCodesOutsideCatalogue): a code outside its catalogue is a client's mapping
  // error, refused; otherwise priced as 丙类 (full self-pay) with a memo.
  const item =
    ctx.catalogueItem(med_list_codg) ??
    (ctx.refuseCodesOutsideCatalogue
      ? reject(`费用明细[${feedetl_sn}]医疗目录编码[${med_list_codg}]在医保目录中不存在`)
      : unmatchedMedListItem(med_list_codg));
  const pricing = priceFeeLine(item, cnt, pric, sumamt);
  return {
    feedetl_sn,
    init_feedetl_sn,
    mdtrt_id: visit.mdtrt_id,
    psn_no: visit.psn_no,
    med_list_codg,
    medins_list_codg: requireString(row, 'medins_list_codg', where),
    fee_ocur_time: requireString(row, 'fee_ocur_time', where),
    cnt,
    pric,
    det_item_fee_sumamt: sumamt,
    fulamt_ownpay_amt: pricing.fulamt_ownpay_amt,
    overlmt_amt: pricing.overlmt_amt,
    preselfpay_amt: pricing.preselfpay_amt,
    inscp_scp_amt: pricing.inscp_scp_amt,
    chrgitm_lv: item.chrgitm_lv,
    msgid: ctx.req.msgid,
    status: 'uploaded',
  };
}

/** A refund (退单) line carries a negative cnt and names the line it refunds; together they never go below zero. */
function checkRefund(
  feedetl_sn: string,
  init_feedetl_sn: string,
  med_list_codg: string,
  cnt: Decimal,
  lines: readonly FeeLine[],
): void {
  const original = lines.find((l) => l.feedetl_sn === init_feedetl_sn && l.init_feedetl_sn === undefined);
  if (!original) reject(`退费明细[${feedetl_sn}]的原费用流水号[${init_feedetl_sn}]不存在`);
  if (original.med_list_codg !== med_list_codg)
    reject(`退费明细[${feedetl_sn}]的医疗目录编码与原费用明细不一致`);
  if (!cnt.isNegative()) reject(`退费明细[${feedetl_sn}]数量必须为负数`);
  const refunded = sumOf(
    lines.filter((l) => l.init_feedetl_sn === init_feedetl_sn),
    (l) => l.cnt,
  );
  if (original.cnt.plus(refunded).plus(cnt).isNegative()) {
    reject(`退费明细[${feedetl_sn}]退费数量超过原费用明细[${init_feedetl_sn}]的剩余数量`);
  }
}

/** 2302 住院费用明细撤销: one line, or "0000" for every line the visit has not settled yet. */
export function revokeFeeDetails(ctx: LedgerContext): null {
  const rows = requireRows(ctx.req.input, 'data');
  const toRevoke = new Set<FeeLine>();
  rows.forEach((row, i) => {
    const where = `data[${i}].`;
    const visit = openVisit(ctx, row, where);
    const feedetl_sn = requireString(row, 'feedetl_sn', where);
    const lines = activeFeeLines(ctx.state, visit.mdtrt_id);
    if (feedetl_sn === REVOKE_ALL) {
      lines.filter((l) => l.setl_id === undefined).forEach((l) => toRevoke.add(l));
      return;
    }
    const line =
      lines.find((l) => l.feedetl_sn === feedetl_sn) ?? reject(`费用明细流水号[${feedetl_sn}]不存在或已撤销`);
    if (line.setl_id !== undefined) reject(`费用明细[${feedetl_sn}]已结算，不能撤销`);
    const unlistedRefunds = lines.filter(
      (l) => l.init_feedetl_sn === feedetl_sn && !rows.some((r) => r['feedetl_sn'] === l.feedetl_sn),
    );
    if (unlistedRefunds.length > 0) {
      reject(`费用明细[${feedetl_sn}]存在关联的退费明细，请先撤销退费明细`);
    }
    toRevoke.add(line);
  });
  for (const line of toRevoke) {
    line.status = 'revoked';
    line.revokedByMsgid = ctx.req.msgid;
  }
  return null;
}
