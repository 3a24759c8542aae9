import { type LedgerRow } from './ledger-row';
import { type SettlementLedgerEvent } from './settlement-ledger.events';

export interface SettlementLedgerState {
  readonly insured: { mdtrt_id: string; psn_no: string; insutype?: string; insuplc_admdvs?: string } | null;
  /** The visit's rows by setl_id. */
  readonly rows: ReadonlyMap<string, LedgerRow>;
  /** Rows a person reversed in our books (the platform does not hold them). */
  readonly reversed: ReadonlySet<string>;
}

export const initialLedgerState = (): SettlementLedgerState => ({
  insured: null,
  rows: new Map(),
  reversed: new Set(),
});

export function evolveLedger(
  state: SettlementLedgerState,
  event: SettlementLedgerEvent,
): SettlementLedgerState {
  switch (event.type) {
    case 'VisitInsuredNoted':
      return { ...state, insured: event.data };
    case 'SettlementRecorded':
    case 'RefundRecorded':
      return { ...state, rows: new Map(state.rows).set(event.data.setl_id, event.data) };
    case 'SettlementAmountsAdopted': {
      const row = state.rows.get(event.data.setl_id)!;
      return { ...state, rows: new Map(state.rows).set(row.setl_id, { ...row, ...event.data.platform }) };
    }
    case 'SettlementReversedLocally':
      return { ...state, reversed: new Set(state.reversed).add(event.data.setl_id) };
  }
}
