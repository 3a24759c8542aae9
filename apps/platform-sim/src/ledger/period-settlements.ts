import type { LedgerContext } from './ledger-context';
import { optionalString, requireDecimal, requireRows, requireString, type JsonObject } from './input-fields';
import { reject } from './platform-rejection';
import { rowsOf, type StatementRow } from './statements';
import { money } from './wire-amounts';

// Hubei's 5262 结算信息按时间段查询 (the hospital's own area's insured) and 5267 异地结算信息时间段查询 (every other
// area's), answered from the platform's own settlement rows (statements.ts: a settlement on its day, a 2305 refund
// a row of its own, a 2601-reversed one no row). No public field list exists; the fields are the README's choice
// after Dongguan's 90502 (apps/reconciliation/README.md): begntime / endtime and page_num / page_size in,
// totalRow / totalPage and setlinfo[] (5203's fields) out, rows in setl_time then setl_id order.

/** The most rows one page holds (the national paged queries' usual limit). */
export const WINDOW_PAGE_LIMIT = 100;

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export function listSettlementsInWindow(scope: 'local' | 'cross-area') {
  return (ctx: LedgerContext): JsonObject => {
    const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
    const begntime = requireString(data, 'begntime', 'data.');
    const endtime = requireString(data, 'endtime', 'data.');
    for (const [name, value] of [
      ['begntime', begntime],
      ['endtime', endtime],
    ])
      if (!DATETIME.test(value)) reject(`[${name}]格式应为yyyy-MM-dd HH:mm:ss：${value}`);
    if (endtime < begntime) reject(`结束时间[${endtime}]不能早于开始时间[${begntime}]`);
    const page_num = requireDecimal(data, 'page_num', 'data.');
    const page_size = requireDecimal(data, 'page_size', 'data.');
    if (!page_num.isInteger() || page_num.lt(1)) reject(`当前页数[${page_num.toFixed()}]应为正整数`);
    if (!page_size.isInteger() || page_size.lt(1) || page_size.gt(WINDOW_PAGE_LIMIT))
      reject(`本页数据量[${page_size.toFixed()}]应为1至${WINDOW_PAGE_LIMIT}的整数`);
    const clr_type = optionalString(data, 'clr_type');
    const insutype = optionalString(data, 'insutype');
    const own = ctx.req.mdtrtarea_admvs;
    const rows = rowsOf(ctx.state, ctx.req.fixmedins_code)
      .filter(
        (row) =>
          (scope === 'local' ? row.setl_optins === own : row.setl_optins !== own) &&
          row.setl_time >= begntime &&
          row.setl_time <= endtime &&
          (clr_type === undefined || row.clr_type === clr_type) &&
          (insutype === undefined || row.insutype === insutype),
      )
      .sort((a, b) => a.setl_time.localeCompare(b.setl_time) || a.setl_id.localeCompare(b.setl_id));
    const size = page_size.toNumber();
    const first = (page_num.toNumber() - 1) * size;
    return {
      totalRow: rows.length,
      totalPage: Math.ceil(rows.length / size),
      setlinfo: rows.slice(first, first + size).map((row) => setlinfoOf(row, scope)),
    };
  };
}

function setlinfoOf(row: StatementRow, scope: 'local' | 'cross-area'): JsonObject {
  return {
    setl_id: row.setl_id,
    mdtrt_id: row.mdtrt_id,
    psn_no: row.psn_no,
    insutype: row.insutype,
    setl_time: row.setl_time,
    clr_type: row.clr_type,
    clr_optins: row.setl_optins,
    // 支付地点类别: 2 本地 (as 5203 answers); 异地 the cross-area class (spec part 2 §2.6: pay_loc 3/4).
    pay_loc: scope === 'local' ? '2' : '3',
    medfee_sumamt: money(row.medfee_sumamt),
    fund_pay_sumamt: money(row.fund_pay_sumamt),
    acct_pay: money(row.acct_pay),
    cash_payamt: money(row.cash_payamt),
    psn_pay: money(row.psn_pay),
    medins_setl_id: row.msgid,
    refd_setl_flag: row.refd_setl_flag,
  };
}
