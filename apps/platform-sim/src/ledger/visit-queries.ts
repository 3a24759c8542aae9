import Decimal from 'decimal.js';
import type { FeeLine, LedgerState, Settlement } from './ledger-state';

/** Fee lines that count toward the visit's uploaded total: uploaded, not revoked. */
export function activeFeeLines(state: LedgerState, mdtrt_id: string): FeeLine[] {
  return state.feeLines.ofVisit(mdtrt_id).filter((l) => l.status === 'uploaded');
}

/** Active lines no standing settlement has covered yet: what the next 2303/2304 settles. */
export function unsettledFeeLines(state: LedgerState, mdtrt_id: string): FeeLine[] {
  return activeFeeLines(state, mdtrt_id).filter((l) => l.setl_id === undefined);
}

export function activeSettlements(state: LedgerState, mdtrt_id: string): Settlement[] {
  return [...state.settlements.values()].filter((s) => s.mdtrt_id === mdtrt_id && s.status === 'settled');
}

export function sumOf(lines: readonly FeeLine[], pick: (l: FeeLine) => Decimal): Decimal {
  return lines.reduce((sum, l) => sum.plus(pick(l)), new Decimal(0));
}
