import Decimal from 'decimal.js';
import { optionalString, requireDecimal, requireRows, requireString, type JsonObject } from './input-fields';
import type { LedgerContext } from './ledger-context';
import type { ClearingApplication } from './ledger-state';
import { reject } from './platform-rejection';
import { DETAILS, rowsOf, type StatementRow } from './statements';

// 3203 清算申请 / 3204 清算撤销 (spec part 2 §3.1, §3.2) and Hubei's 3202A / 3204A (local insured, by clearing
// agency) and 1608 / 1618 (异地 insured), which carry 3203's fields plus clr_optins (§3.4: no public field
// list; as the product's README records). No source states the platform's checks; the sandbox keeps those a
// clearing agency would: the period lies in the month, one standing application per month and clr_type (and
// agency), the declared count and sums are the platform's own for the period (refunds as their rows), Hubei's
// applications only for days the hospital has reconciled (3201 平, or 3202 asked), and no withdrawal once the
// agency has taken the application up (受理: from the day after it was made).

type Scope = 'national' | 'local' | 'cross-area';

/** 3203: the month's application for every agency of a clr_type. */
export const applyForClearing = (ctx: LedgerContext): JsonObject => apply(ctx, 'national');
/** 3202A: the month's application to our own area's agency (local insured). */
export const applyForLocalClearing = (ctx: LedgerContext): JsonObject => apply(ctx, 'local');
/** 1608: the month's application for 异地 insured, to their agency. */
export const applyForCrossAreaClearing = (ctx: LedgerContext): JsonObject => apply(ctx, 'cross-area');

function apply(ctx: LedgerContext, scope: Scope): JsonObject {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const clr_type = requireString(data, 'clr_type', 'data.');
  const setlym = requireString(data, 'setlym', 'data.');
  const begndate = requireString(data, 'begndate', 'data.');
  const enddate = requireString(data, 'enddate', 'data.');
  const clr_optins = scope === 'national' ? undefined : requireString(data, 'clr_optins', 'data.');
  if (scope === 'local' && clr_optins !== ctx.req.mdtrtarea_admvs)
    reject(`清算经办机构[${clr_optins}]不是本地经办机构，异地参保人员请通过[1608]申请`);
  if (scope === 'cross-area' && clr_optins === ctx.req.mdtrtarea_admvs)
    reject(`清算经办机构[${clr_optins}]是本地经办机构，本地参保人员请通过[3202A]申请`);
  const month = `${setlym.slice(0, 4)}-${setlym.slice(4, 6)}`;
  if (!begndate.startsWith(month) || !enddate.startsWith(month) || enddate < begndate) {
    reject(`清算起止日期[${begndate}至${enddate}]不在清算年月[${setlym}]内`);
  }
  const standing = [...ctx.state.clearings.values()].find(
    (c) =>
      c.fixmedins_code === ctx.req.fixmedins_code &&
      c.clr_type === clr_type &&
      c.setlym === setlym &&
      c.clr_optins === clr_optins &&
      c.status === 'applied',
  );
  if (standing)
    reject(
      `清算年月[${setlym}]清算类别[${clr_type}]已存在清算申请[${standing.clr_appy_evt_id}]，不能重复申请`,
    );
  const rows = rowsOf(ctx.state, ctx.req.fixmedins_code).filter((row) => {
    const day = row.setl_time.slice(0, 10);
    return (
      row.clr_type === clr_type &&
      (clr_optins === undefined || row.setl_optins === clr_optins) &&
      day >= begndate &&
      day <= enddate
    );
  });
  if (clr_optins !== undefined) {
    const unreconciled = unreconciledDays(ctx, rows);
    if (unreconciled.length > 0)
      reject(`清算期间内[${unreconciled.join('、')}]未完成对账或对账不平，不能申请清算`);
  }
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
    clr_optins,
    msgid: ctx.req.msgid,
    applied_at: ctx.dateTime,
    begndate,
    enddate,
    declared: Object.fromEntries(
      (['psntime', 'medfee_sumamt', 'med_sumfee', 'fund_appy_sum', 'cash_payamt', 'acct_pay'] as const).map(
        (field) => [field, requireDecimal(data, field, 'data.').toFixed(field === 'psntime' ? 0 : 2)],
      ),
    ) as ClearingApplication['declared'],
    status: 'applied',
  });
  return { result: { clr_appy_evt_id } };
}

/**
 * The days (with settlements of the application) the hospital has not reconciled: a day is reconciled when
 * every insutype's last 3201 of it answered 平, or a 3202 of its clr_type × setl_optins was asked after.
 */
function unreconciledDays(ctx: LedgerContext, rows: readonly StatementRow[]): string[] {
  const days = new Set<string>();
  for (const row of rows) {
    const day = row.setl_time.slice(0, 10);
    const checks = ctx.state.statementChecks;
    const group = `${ctx.req.fixmedins_code}|${row.clr_type}|${row.setl_optins}|${day}`;
    const totals = checks.get(`${group}|${row.insutype}`);
    const details = checks.get(`${group}|${DETAILS}`);
    const reconciled = totals !== undefined && (totals.balanced || (details?.at ?? '') >= totals.at);
    if (!reconciled) days.add(day);
  }
  return [...days].sort();
}

/** 3204: withdraws a standing 3203 application of the hospital's. */
export const withdrawClearing = (ctx: LedgerContext): null => withdraw(ctx, false);
/** 3204A / 1618: withdraws a standing 3202A / 1608 application, named with its agency. */
export const withdrawAgencyClearing = (ctx: LedgerContext): null => withdraw(ctx, true);

function withdraw(ctx: LedgerContext, byAgency: boolean): null {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const clr_appy_evt_id = requireString(data, 'clr_appy_evt_id', 'data.');
  const clr_optins = byAgency ? requireString(data, 'clr_optins', 'data.') : undefined;
  const application: ClearingApplication | undefined = ctx.state.clearings.get(clr_appy_evt_id);
  if (
    !application ||
    application.fixmedins_code !== ctx.req.fixmedins_code ||
    application.clr_optins !== clr_optins
  ) {
    reject(`清算申请事件ID[${clr_appy_evt_id}]不存在`);
  }
  if (application.status !== 'applied') reject(`清算申请事件ID[${clr_appy_evt_id}]已撤销，不能重复撤销`);
  if (ctx.dateTime.slice(0, 10) > application.applied_at.slice(0, 10))
    reject(`清算申请事件ID[${clr_appy_evt_id}]经办机构已受理，不能撤销`);
  application.status = 'withdrawn';
  return null;
}

/**
 * 3205A (Hubei: 申请单打印; Jilin: 清算申请状态查询, whose fields these are — the README's choice): the
 * hospital's standing applications to an agency for a month as the agency holds them (node clr_appys), or the
 * one named by clr_appy_evt_id; a withdrawn application has no form (refused). clr_stas as Jilin's client
 * codes it: 10 已申请, 20 已受理 (from the day after it was made); 50 已清算 never happens here.
 */
export function queryClearing(ctx: LedgerContext): JsonObject {
  const [data] = requireRows(ctx.req.input, 'data') as [JsonObject];
  const clr_optins = requireString(data, 'clr_optins', 'data.');
  const clr_ym = requireString(data, 'clr_ym', 'data.');
  const clr_type = optionalString(data, 'clr_type');
  const clr_appy_evt_id = optionalString(data, 'clr_appy_evt_id');
  const found = [...ctx.state.clearings.values()].filter(
    (c) =>
      c.fixmedins_code === ctx.req.fixmedins_code &&
      c.clr_optins === clr_optins &&
      c.setlym === clr_ym &&
      (clr_type === undefined || c.clr_type === clr_type) &&
      (clr_appy_evt_id === undefined || c.clr_appy_evt_id === clr_appy_evt_id),
  );
  if (clr_appy_evt_id !== undefined && found.length === 0) reject(`清算申请事件ID[${clr_appy_evt_id}]不存在`);
  if (clr_appy_evt_id !== undefined && found[0]!.status === 'withdrawn')
    reject(`清算申请事件ID[${clr_appy_evt_id}]已撤销`);
  const today = ctx.dateTime.slice(0, 10);
  return {
    clr_appys: found
      .filter((c) => c.status === 'applied')
      .map((c) => ({
        clr_appy_evt_id: c.clr_appy_evt_id,
        clr_stas: today > c.applied_at.slice(0, 10) ? '20' : '10',
        clr_ym: c.setlym,
        clr_type: c.clr_type,
        clr_optins: c.clr_optins ?? '',
        fixmedins_code: c.fixmedins_code,
        ...c.declared,
        hi_agre_sumfee: c.declared.med_sumfee,
        begndate: c.begndate,
        enddate: c.enddate,
        opt_time: c.applied_at,
      })),
  };
}
