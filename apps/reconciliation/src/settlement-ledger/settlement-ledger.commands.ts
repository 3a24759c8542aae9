import { type DataOf, type Operator } from '@yb/contracts';
import { type LedgerRow, type RowAmountsWithCash } from './ledger-row';

/** Commands of one visit's settlement ledger (stream per HIS visit, ipt_no). */
export type SettlementLedgerCommand =
  /** AdmissionRegistered: whose visit it is, for settlement results that do not say (older saga versions). */
  | {
      type: 'NoteInsured';
      mdtrt_id: string;
      psn_no: string;
      insutype?: string;
      insuplc_admdvs?: string;
    }
  | { type: 'RecordSettlement'; settled: DataOf<'Settled'> }
  /** `published_at`: when the result was published, Beijing time: the refund's time if the result lacks it. */
  | { type: 'RecordCancellation'; cancelled: DataOf<'SettlementCancelled'>; published_at: string }
  /** A row the platform holds and we did not (a lost 2304 answer), as 5203 gave it. */
  | { type: 'AdoptPlatformRow'; row: LedgerRow }
  /** A person adopts the platform's amounts (as 5203 gave them) for a row of ours that differs; `at` Beijing time. */
  | { type: 'AdoptPlatformAmounts'; setl_id: string; platform: RowAmountsWithCash; by: Operator; at: string }
  /** A person confirms the platform does not hold a row of ours (cancelled at its counter, never applied). */
  | { type: 'ReverseLocally'; setl_id: string; reason: string; by: Operator; at: string };
