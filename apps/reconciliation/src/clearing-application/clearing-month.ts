import Decimal from 'decimal.js';
import { pairKey, type ReconciliationDayState } from '../reconciliation-day/reconciliation-day.state';
import { type DeclaredTotals, type MonthReconciliation } from './clearing-application.events';

/** The month's first and last day (`yyyy-MM-dd`) of a setlym (`yyyyMM`). */
export function monthPeriod(setlym: string): { begndate: string; enddate: string } {
  const year = Number(setlym.slice(0, 4));
  const month = Number(setlym.slice(4, 6));
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const prefix = `${setlym.slice(0, 4)}-${setlym.slice(4, 6)}`;
  return { begndate: `${prefix}-01`, enddate: `${prefix}-${String(last).padStart(2, '0')}` };
}

/**
 * How far a clr_type × setl_optins is reconciled over its settlement days: a day is reconciled when its latest
 * run has completed and checked the pair's groups, all balanced or the pair's details compared (the platform
 * then knows what differs); a difference of the pair nobody resolved stays open.
 */
export function monthReconciliation(
  pair: { clr_type: string; setl_optins: string },
  days: readonly { stmt_date: string; state: ReconciliationDayState }[],
): MonthReconciliation {
  const unreconciled_days: string[] = [];
  let open_differences = 0;
  for (const { stmt_date, state } of days) {
    const groups = [...state.groups.values()].filter(
      (g) => g.clr_type === pair.clr_type && g.setl_optins === pair.setl_optins,
    );
    const reconciled =
      state.run > 0 &&
      !state.running &&
      groups.length > 0 &&
      (groups.every((g) => g.balanced) || state.compared.has(pairKey(pair)));
    if (!reconciled) unreconciled_days.push(stmt_date);
    open_differences += [...state.differences.values()].filter(
      (d) =>
        d.clr_type === pair.clr_type && d.setl_optins === pair.setl_optins && d.resolved_by === undefined,
    ).length;
  }
  return { unreconciled_days, open_differences };
}

/**
 * The application's totals from our ledger's exact sums: 医保认可费用总额 (med_sumfee) is declared as the
 * medical fee total, which our ledger does not split (README); 基金申报总额 is the funds' total paid.
 */
export function declaredTotals(
  count: number,
  sums: Record<'medfee' | 'fund' | 'acct' | 'cash', string>,
): DeclaredTotals {
  const fen = (amount: string) => new Decimal(amount).toFixed(2);
  return {
    psntime: count,
    medfee_sumamt: fen(sums.medfee),
    med_sumfee: fen(sums.medfee),
    fund_appy_sum: fen(sums.fund),
    cash_payamt: fen(sums.cash),
    acct_pay: fen(sums.acct),
  };
}
