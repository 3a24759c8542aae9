import Decimal from 'decimal.js';
import { optionalString, requireNode, requireString, type JsonObject } from './input-fields';
import type { LedgerContext } from './ledger-context';
import type { LedgerState, Settlement } from './ledger-state';
import { reject } from './platform-rejection';
import type { YearToDate } from './settlement-split';
import { money } from './wire-amounts';

/**
 * A person's yearly totals (累计信息), derived from the settlements that stand: a cancelled (2305) or reversed
 * (2601) settlement no longer counts, so nothing has to be taken back by hand. 5206 人员累计信息查询 answers them.
 */
function standingOfYear(state: LedgerState, psn_no: string, year: string, throughYm?: string): Settlement[] {
  return [...state.settlements.values()].filter(
    (s) =>
      s.psn_no === psn_no &&
      s.status === 'settled' &&
      s.setl_time.startsWith(year) &&
      (throughYm === undefined || yearMonth(s.setl_time) <= throughYm),
  );
}

const yearMonth = (dateTime: string) => dateTime.slice(0, 4) + dateTime.slice(5, 7);
const sum = (settlements: Settlement[], pick: (s: Settlement) => Decimal) =>
  settlements.reduce((total, s) => total.plus(pick(s)), new Decimal(0));

/** What the person's settlements of the year took of the deductible and of the pool, for one insurance type. */
export function yearToDate(state: LedgerState, psn_no: string, insutype: string, year: string): YearToDate {
  const standing = standingOfYear(state, psn_no, year).filter((s) => s.insutype === insutype);
  return { deductible: sum(standing, (s) => s.act_pay_dedc), pool: sum(standing, (s) => s.hifp_pay) };
}

/**
 * 累计类别代码 the sandbox answers. Q0000 (起付线累计), S0000 (医疗费累计) and C0000 (住院次数) are the codes HIS
 * code reading 5206 looks for; J0000 (统筹基金支付累计) is the sandbox's own choice (no public source names it).
 */
export const CUMULATIVE_TYPES = {
  deductible: 'Q0000',
  medicalFees: 'S0000',
  stays: 'C0000',
  pool: 'J0000',
} as const;

/**
 * 5206 人员累计信息查询: input `data` {psn_no, cum_ym (yyyyMM, optional: this month)}; output `cuminfo[]`, one row
 * per insurance type and 累计类别, the year's totals through cum_ym. A stay counts once, at its discharge
 * settlement (mid_setl_flag 0); its mid-way settlements add to the amounts only.
 */
export function queryPersonTotals(ctx: LedgerContext): JsonObject {
  const data = requireNode(ctx.req.input, 'data');
  const psn_no = requireString(data, 'psn_no', 'data.');
  if (!ctx.state.persons.has(psn_no)) reject(`人员编号[${psn_no}]不存在`);
  const cum_ym = optionalString(data, 'cum_ym') ?? yearMonth(ctx.dateTime);
  if (!/^\d{4}(0[1-9]|1[0-2])$/.test(cum_ym)) reject(`入参[data.cum_ym]格式错误，应为yyyyMM: ${cum_ym}`);
  const year = cum_ym.slice(0, 4);
  const standing = standingOfYear(ctx.state, psn_no, year, cum_ym);
  const cuminfo: JsonObject[] = [];
  for (const insutype of [...new Set(standing.map((s) => s.insutype))].sort()) {
    const ofType = standing.filter((s) => s.insutype === insutype);
    const row = (cum_type_code: string, cum: Decimal | number) => ({
      insutype,
      year,
      cum_ym,
      cum_type_code,
      cum: typeof cum === 'number' ? cum : money(cum),
    });
    cuminfo.push(
      row(
        CUMULATIVE_TYPES.deductible,
        sum(ofType, (s) => s.act_pay_dedc),
      ),
      row(
        CUMULATIVE_TYPES.medicalFees,
        sum(ofType, (s) => s.medfee_sumamt),
      ),
      row(
        CUMULATIVE_TYPES.pool,
        sum(ofType, (s) => s.hifp_pay),
      ),
      row(CUMULATIVE_TYPES.stays, ofType.filter((s) => s.mid_setl_flag !== '1').length),
    );
  }
  return { cuminfo };
}
