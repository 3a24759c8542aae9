import { groupKey, type SettlementGroup } from '../settlement-ledger/ledger-row';
import { type PeriodInfno } from './reconciliation-day.events';
import { pairKey, pendingActions, type ReconciliationDayState } from './reconciliation-day.state';

const PERIOD_INFNOS: readonly PeriodInfno[] = ['5262', '5267'];

/** What a running reconciliation asks of the platform next. */
export type ReconciliationStep =
  | { kind: 'check-group'; group: SettlementGroup }
  | { kind: 'compare-details'; clr_type: string; setl_optins: string }
  | { kind: 'check-period'; infno: PeriodInfno }
  | { kind: 'look-up'; setl_id: string }
  | { kind: 'person-action'; setl_id: string }
  | { kind: 'complete' };

/**
 * The next step of the day's run: 3201 for every group the ledger knows (a group without a settlement that day
 * is asked with zeros: the platform may hold one we lack); 3202 for each clr_type × setl_optins with an
 * unbalanced group (3202 names no insutype, so its file holds every insutype's rows), when the run asks 3201;
 * Hubei's period checks it asks (5262, 5267); 5203 for each row only the platform holds (it is adopted into our
 * ledger); then the run completes. Refused steps are not asked again
 * in the run. A person's action (the platform's amounts adopted after 5203, our row reversed) comes first, run or not.
 * Null when nothing is owed.
 */
export function nextReconciliationStep(
  state: ReconciliationDayState,
  knownGroups: readonly SettlementGroup[],
): ReconciliationStep | null {
  const [action] = pendingActions(state);
  if (action) return { kind: 'person-action', setl_id: action.setl_id };
  if (!state.running) return null;
  if (state.checks.includes('3201')) {
    const group = knownGroups.find((g) => !state.groups.has(groupKey(g)) && !state.refused.has(groupKey(g)));
    if (group) return { kind: 'check-group', group };
    const unbalanced = [...state.groups.values()].find(
      (g) => !g.balanced && !state.compared.has(pairKey(g)) && !state.refused.has(pairKey(g)),
    );
    if (unbalanced)
      return { kind: 'compare-details', clr_type: unbalanced.clr_type, setl_optins: unbalanced.setl_optins };
  }
  const period = PERIOD_INFNOS.find(
    (infno) => state.checks.includes(infno) && !state.periodChecked.has(infno) && !state.refused.has(infno),
  );
  if (period) return { kind: 'check-period', infno: period };
  const platformOnly = [...state.differences.values()].find(
    (d) =>
      d.run === state.run &&
      d.kind === 'PLATFORM_ONLY' &&
      d.resolved_by === undefined &&
      !state.refused.has(d.setl_id),
  );
  if (platformOnly) return { kind: 'look-up', setl_id: platformOnly.setl_id };
  return { kind: 'complete' };
}
