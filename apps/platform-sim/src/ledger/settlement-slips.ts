import Decimal from 'decimal.js';
import { requireRows, requireString, type JsonObject } from './input-fields';
import type { LedgerContext } from './ledger-context';
import { storeFile } from './platform-files';
import { reject } from './platform-rejection';

// YH03 结算单据打印 (Hubei's catalogue: "通过此交易打印结算单"; no field table is public, spec part 2 §3.4). Played
// the way the platform's other print and query services are specified: the input keyed as 5203/5204/4103 are
// (psn_no, mdtrt_id, setl_id, §2.4, §8.2), and the document handed over as a file, as 3202's result and 9101's
// upload are (§4): its file_qury_no and filename directly under `output`, downloaded with 9102 by its owner.

/** YH03: the settlement's slip from the books, kept as a file to download with 9102. */
export function printSettlementSlip(ctx: LedgerContext): JsonObject {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const psn_no = requireString(data, 'psn_no', 'data.');
  const mdtrt_id = requireString(data, 'mdtrt_id', 'data.');
  const setl_id = requireString(data, 'setl_id', 'data.');
  const settlement = ctx.state.settlements.get(setl_id);
  if (!settlement || settlement.psn_no !== psn_no || settlement.mdtrt_id !== mdtrt_id) {
    reject(`结算ID[${setl_id}]对应的结算信息不存在`);
  }
  if (settlement.status !== 'settled') reject(`结算ID[${setl_id}]已撤销，不能打印结算单`);
  const file = storeFile(
    ctx,
    'pr',
    `${setl_id}.html`,
    Buffer.from(slipDocument(ctx, settlement.output), 'utf8'),
  );
  return {
    file_qury_no: file.file_qury_no,
    filename: file.filename,
    fixmedins_code: file.fixmedins_code,
    dld_endtime: file.dld_endtime,
  };
}

/** The slip as the platform prints it: the settlement's own answer (setlinfo, setldetail), nothing recomputed. */
function slipDocument(ctx: LedgerContext, output: JsonObject): string {
  const info = output['setlinfo'] as JsonObject;
  const funds = (output['setldetail'] as JsonObject[]) ?? [];
  const amount = (field: string) => new Decimal(String(info[field] ?? 0)).toFixed(2);
  const rows: [string, string][] = [
    ['结算ID', String(info['setl_id'])],
    ['就诊ID', String(info['mdtrt_id'])],
    ['定点医药机构', `${ctx.req.fixmedins_name} (${ctx.req.fixmedins_code})`],
    ['结算时间', String(info['setl_time'])],
    ['医疗费总额', amount('medfee_sumamt')],
    ['基金支付总额', amount('fund_pay_sumamt')],
    ['个人负担总金额', amount('psn_part_amt')],
    ['个人账户支出', amount('acct_pay')],
    ['个人现金支出', amount('psn_cash_pay')],
    ['医院负担金额', amount('hosp_part_amt')],
    ...funds.map((f): [string, string] => [
      String(f['fund_pay_type_name']),
      new Decimal(String(f['fund_payamt'])).toFixed(2),
    ]),
  ];
  const cells = rows.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('');
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>医保结算单 ${escape(String(info['setl_id']))}</title></head><body><h1>医疗保障基金结算单</h1><table>${cells}</table></body></html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
