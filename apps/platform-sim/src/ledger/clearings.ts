import Decimal from 'decimal.js';
import { requireDecimal, requireRows, requireString, type JsonObject } from './input-fields';
import type { LedgerContext } from './ledger-context';
import { reject } from './platform-rejection';
import { rowsOf } from './statements';

// 3203 清算申请 / 3204 清算撤销 (spec part 2 §3.1, §3.2). No source states the platform's checks; the sandbox
// keeps those a clearing agency would: the period lies in the month, one standing application per month and
// clr_type, and the declared count and sums are the platform's own for the period (every setl_optins and
// insutype of the clr_type, refunds as their rows).

/** 3203: the month's application, accepted when it declares what the platform holds; its clr_appy_evt_id. */
export function applyForClearing(ctx: LedgerContext): JsonObject {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const clr_type = requireString(data, 'clr_type', 'data.');
  const setlym = requireString(data, 'setlym', 'data.');
  const begndate = requireString(data, 'begndate', 'data.');
  const enddate = requireString(data, 'enddate', 'data.');
  const month = `${setlym.slice(0, 4)}-${setlym.slice(4, 6)}`;
  if (!begndate.startsWith(month) || !enddate.startsWith(month) || enddate < begndate) {
    reject(`清算起止日期[${begndate}至${enddate}]不在清算年月[${setlym}]内`);
  }
  const standing = [...ctx.state.clearings.values()].find(
    (c) =>
      c.fixmedins_code === ctx.req.fixmedins_code &&
      c.clr_type === clr_type &&
      c.setlym === setlym &&
      c.status === 'applied',
  );
  if (standing)
    reject(
      `清算年月[${setlym}]清算类别[${clr_type}]已存在清算申请[${standing.clr_appy_evt_id}]，不能重复申请`,
    );
  const rows = rowsOf(ctx.state, ctx.req.fixmedins_code).filter((row) => {
    const day = row.setl_time.slice(0, 10);
    return row.clr_type === clr_type && day >= begndate && day <= enddate;
  });
  const sum = (field: 'medfee_sumamt' | 'fund_pay_sumamt' | 'acct_pay' | 'cash_payamt') =>
    rows.reduce((total, row) => total.plus(row[field]), new Decimal(0));
  const declared: [string, Decimal, Decimal][] = [
    ['清算人次', requireDecimal(data, 'psntime', 'data.'), new Decimal(rows.length)],
    ['医疗费总额', requireDecimal(data, 'medfee_sumamt', 'data.'), sum('medfee_sumamt')],
    ['基金申报总额', requireDecimal(data, 'fund_appy_sum', 'data.'), sum('fund_pay_sumamt')],
    ['个人账户支出', requireDecimal(data, 'acct_pay', 'data.'), sum('acct_pay')],
    ['现金支付金额', requireDecimal(data, 'cash_payamt', 'data.'), sum('cash_payamt')],
  ];
  const differing = declared.filter(([, theirs, ours]) => !theirs.eq(ours));
  if (differing.length > 0) {
    reject(
      `清算申报数据与中心结算数据不一致：${differing
        .map(([name, theirs, ours]) => `${name}申报[${theirs.toFixed()}]，中心[${ours.toFixed()}]`)
        .join('；')}`,
    );
  }
  const clr_appy_evt_id = `${ctx.req.mdtrtarea_admvs}${ctx.stamp}${ctx.nextSerial(6)}`;
  ctx.state.clearings.set(clr_appy_evt_id, {
    clr_appy_evt_id,
    fixmedins_code: ctx.req.fixmedins_code,
    clr_type,
    setlym,
    msgid: ctx.req.msgid,
    status: 'applied',
  });
  return { result: { clr_appy_evt_id } };
}

/** 3204: withdraws a standing application of the hospital's. */
export function withdrawClearing(ctx: LedgerContext): null {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const clr_appy_evt_id = requireString(data, 'clr_appy_evt_id', 'data.');
  const application = ctx.state.clearings.get(clr_appy_evt_id);
  if (!application || application.fixmedins_code !== ctx.req.fixmedins_code) {
    reject(`清算申请事件ID[${clr_appy_evt_id}]不存在`);
  }
  if (application.status !== 'applied') reject(`清算申请事件ID[${clr_appy_evt_id}]已撤销，不能重复撤销`);
  application.status = 'withdrawn';
  return null;
}
