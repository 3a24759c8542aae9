import { type LedgerRow } from './ledger-row';

export type SettlementLedgerEvent =
  | {
      type: 'VisitInsuredNoted';
      data: { mdtrt_id: string; psn_no: string; insutype?: string; insuplc_admdvs?: string };
    }
  | { type: 'SettlementRecorded'; data: LedgerRow }
  | { type: 'RefundRecorded'; data: LedgerRow };

/** The event types that carry a ledger row (the read model's). */
export const ROW_EVENT_TYPES = ['SettlementRecorded', 'RefundRecorded'] as const;
