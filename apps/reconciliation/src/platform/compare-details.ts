import Decimal from 'decimal.js';
import { type Difference, type RowAmounts } from '../reconciliation-day/reconciliation-day.events';
import { type LedgerRow } from '../settlement-ledger/ledger-row';
import { type ResultRow } from './statement-files';

const amountsOf = (row: LedgerRow): RowAmounts => ({
  medfee_sumamt: row.medfee_sumamt,
  fund_pay_sumamt: row.fund_pay_sumamt,
  acct_pay: row.acct_pay,
});

const sameAmounts = (a: RowAmounts, b: RowAmounts) =>
  new Decimal(a.medfee_sumamt).eq(b.medfee_sumamt) &&
  new Decimal(a.fund_pay_sumamt).eq(b.fund_pay_sumamt) &&
  new Decimal(a.acct_pay).eq(b.acct_pay);

/**
 * 3202's result compared with our rows, line by line by setl_id. The kind comes from who holds the row and
 * from the amounts, not from stmt_rslt's code alone (two prints give it different values): a row we lack is
 * the platform's only (a lost 2304 answer, a refund we never heard of: adopt the platform's record after
 * 5203); a row the platform answers without its amounts and not as balanced is ours only (cancelled or
 * reversed on the platform's side, or never applied: a person checks, then re-sends or reverses); a row both
 * hold with other amounts differs to the fen. A row marked 0 whose amounts agree (or are not given) balances.
 * A result row without setl_id (the centre holds several for one match, HN rule 7) cannot be placed and is
 * left to the next run.
 */
export function compareDetails(
  pair: { clr_type: string; setl_optins: string },
  ours: readonly LedgerRow[],
  result: readonly ResultRow[],
): Difference[] {
  const bySetlId = new Map(ours.map((row) => [row.setl_id, row]));
  const differences: Difference[] = [];
  for (const line of result) {
    if (!line.setl_id) continue;
    const row = bySetlId.get(line.setl_id);
    const refd_setl_flag = (row?.refd_setl_flag ?? line.refd_setl_flag) === '1' ? '1' : '0';
    const base = {
      setl_id: line.setl_id,
      ...pair,
      refd_setl_flag,
      ...(row && { insutype: row.insutype }),
      ...((row?.mdtrt_id ?? line.mdtrt_id) && { mdtrt_id: row?.mdtrt_id ?? line.mdtrt_id }),
      ...((row?.psn_no ?? line.psn_no) && { psn_no: row?.psn_no ?? line.psn_no }),
      ...(line.msgid && { msgid: line.msgid }),
      ...(row && { ours: amountsOf(row) }),
      ...(line.platform && { platform: line.platform }),
    } as const;
    if (!row) {
      differences.push({ ...base, kind: 'PLATFORM_ONLY', suggested_action: 'ADOPT_PLATFORM_RECORD' });
    } else if (line.stmt_rslt === '0' && (!line.platform || sameAmounts(amountsOf(row), line.platform))) {
      continue;
    } else if (!line.platform && line.stmt_rslt !== '3') {
      differences.push({ ...base, kind: 'HOSPITAL_ONLY', suggested_action: 'CHECK_AND_RESEND_OR_REVERSE' });
    } else {
      differences.push({ ...base, kind: 'AMOUNTS_DIFFER', suggested_action: 'CHECK_AMOUNTS' });
    }
  }
  return differences;
}

/** A row of the platform's 5262 / 5267 list, as the comparison reads it. */
export interface ListedSettlement {
  readonly setl_id: string;
  readonly mdtrt_id: string;
  readonly psn_no: string;
  readonly insutype: string;
  readonly clr_type: string;
  readonly setl_optins: string;
  readonly refd_setl_flag: '0' | '1';
  /** The platform's medins_setl_id (the 2304 / 2305 msgid): 2601's omsgid. */
  readonly msgid?: string;
  readonly amounts: RowAmounts;
}

/**
 * A period check (5262 / 5267) compared with our rows of the same window and scope, by setl_id, with 3202's
 * kinds: a listed row we lack is the platform's only (adopted after 5203), a row of ours the list lacks is ours
 * only, a row both hold with other amounts (to the fen) or another refd_setl_flag differs.
 */
export function comparePeriod(ours: readonly LedgerRow[], listed: readonly ListedSettlement[]): Difference[] {
  const bySetlId = new Map(ours.map((row) => [row.setl_id, row]));
  const listedIds = new Set(listed.map((line) => line.setl_id));
  const differences: Difference[] = [];
  for (const line of listed) {
    const row = bySetlId.get(line.setl_id);
    const base = {
      setl_id: line.setl_id,
      clr_type: row?.clr_type ?? line.clr_type,
      setl_optins: row?.setl_optins ?? line.setl_optins,
      insutype: row?.insutype ?? line.insutype,
      refd_setl_flag: row?.refd_setl_flag ?? line.refd_setl_flag,
      mdtrt_id: row?.mdtrt_id ?? line.mdtrt_id,
      psn_no: row?.psn_no ?? line.psn_no,
      ...(line.msgid && { msgid: line.msgid }),
      ...(row && { ours: amountsOf(row) }),
      platform: line.amounts,
    } as const;
    if (!row) differences.push({ ...base, kind: 'PLATFORM_ONLY', suggested_action: 'ADOPT_PLATFORM_RECORD' });
    else if (!sameAmounts(amountsOf(row), line.amounts) || row.refd_setl_flag !== line.refd_setl_flag)
      differences.push({ ...base, kind: 'AMOUNTS_DIFFER', suggested_action: 'CHECK_AMOUNTS' });
  }
  for (const row of ours) {
    if (listedIds.has(row.setl_id)) continue;
    differences.push({
      setl_id: row.setl_id,
      clr_type: row.clr_type,
      setl_optins: row.setl_optins,
      insutype: row.insutype,
      refd_setl_flag: row.refd_setl_flag,
      mdtrt_id: row.mdtrt_id,
      psn_no: row.psn_no,
      ours: amountsOf(row),
      kind: 'HOSPITAL_ONLY',
      suggested_action: 'CHECK_AND_RESEND_OR_REVERSE',
    });
  }
  return differences;
}

/** Our totals of rows, as 3201/3202 send them. */
export function totalsOf(rows: readonly LedgerRow[]) {
  const sum = (field: 'medfee_sumamt' | 'fund_pay_sumamt' | 'acct_pay' | 'cash_payamt') =>
    rows.reduce((total, row) => total.plus(row[field]), new Decimal(0)).toFixed(2);
  return {
    fixmedins_setl_cnt: rows.length,
    medfee_sumamt: sum('medfee_sumamt'),
    fund_pay_sumamt: sum('fund_pay_sumamt'),
    acct_pay: sum('acct_pay'),
    cash_payamt: sum('cash_payamt'),
  };
}
