import { type Operator } from '@yb/contracts';
import { type LedgerRow, type RowAmountsWithCash } from './ledger-row';

export type SettlementLedgerEvent =
  | {
      type: 'VisitInsuredNoted';
      data: { mdtrt_id: string; psn_no: string; insutype?: string; insuplc_admdvs?: string };
    }
  | { type: 'SettlementRecorded'; data: LedgerRow }
  | { type: 'RefundRecorded'; data: LedgerRow }
  /** A person adopted the platform's amounts for the row: both sides', who, when (Beijing time). */
  | {
      type: 'SettlementAmountsAdopted';
      data: {
        setl_id: string;
        ours: RowAmountsWithCash;
        platform: RowAmountsWithCash;
        adopted_by: Operator;
        adopted_at: string;
      };
    }
  /** A person confirmed the platform does not hold the row: it leaves our totals, kept here with why and who. */
  | {
      type: 'SettlementReversedLocally';
      data: { setl_id: string; reason: string; reversed_by: Operator; reversed_at: string };
    };

/** The event types that carry a ledger row (the read model's). */
export const ROW_EVENT_TYPES = ['SettlementRecorded', 'RefundRecorded'] as const;
/** The event types a person's action on a row records (the read model's too). */
export const ROW_ACTION_EVENT_TYPES = ['SettlementAmountsAdopted', 'SettlementReversedLocally'] as const;
