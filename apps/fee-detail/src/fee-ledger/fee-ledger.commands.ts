import { type Operator } from '@yb/contracts';
import {
  type HeldFeeLine,
  type HeldLineDecision,
  type HisFeeLine,
  type LineRefusal,
  type SelfPayRatios,
  type PlatformLineAnswer,
  type ReconciliationRequest,
  type VisitRegistration,
} from './fee-ledger.events';

/** What the visit's fee ledger is asked to do: by the HIS, the admission results, the saga, or the uploader. */
export type FeeLedgerCommand =
  | { type: 'NoteAdmission'; med_type: string; insuplc_admdvs?: string }
  | { type: 'RegisterVisit'; registration: VisitRegistration }
  | { type: 'CancelVisit' }
  /**
   * The catalogue check's verdicts: `lines` may go up, `held` wait for their item's mapping, `refusals` the
   * platform would refuse (made known with the others').
   */
  | {
      type: 'ChargeFeeLines';
      lines: HisFeeLine[];
      held?: HeldFeeLine[];
      refusals?: LineRefusal[];
      selfpay_props?: SelfPayRatios;
    }
  /**
   * Mappings arrived for held lines: `lines` (now with their national code) go up, `refusals` are the held lines
   * the mapping's terms refuse (validity), `held` stay held for another reason (a price above the limit, for a
   * person to decide). Lines no longer held are ignored (a redelivery).
   */
  | {
      type: 'ReleaseHeldLines';
      lines: HisFeeLine[];
      refusals: LineRefusal[];
      held?: HeldFeeLine[];
      selfpay_props?: SelfPayRatios;
    }
  /**
   * A person's decision on held lines (DecideHeldFeeLines from the dashboard): UPLOAD_ANYWAY lets a line held
   * for its price go up with its finding's national code; VOID refuses held lines. Lines no longer held are
   * ignored (decided already, released, voided by the HIS).
   */
  | {
      type: 'DecideHeldLines';
      feedetl_sns: string[];
      decision: HeldLineDecision;
      decided_by: Operator;
      comment: string;
    }
  /** feedetl_sns may be ["0000"]: every line of the visit. */
  | { type: 'VoidFeeLines'; feedetl_sns: string[] }
  | { type: 'RequestReconciliation'; request: ReconciliationRequest }
  /** The HIS's SettlementRequested (its envelope id), at its place among the visit's charges. */
  | { type: 'NoteSettlementRequest'; request_id: string; mid_setl_flag: string }
  /** settlement refused that request (SettlementRequestRefused caused by it). */
  | { type: 'DropSettlementRequest'; request_id: string }
  /** settlement's Settled: the 2304 answer's setl_id covers the unsettled lines its totals were agreed on. */
  | { type: 'SettleLines'; setl_id: string; mid_setl_flag: string; medfee_sumamt: string }
  /**
   * settlement's SettlementCancelled: 2305 took back `setl_id` (init_setl_id of the answer); or its
   * SettlementLocalReversalRecorded: the billing office reversed `setl_id` in our books (本地冲销).
   */
  | { type: 'UnsettleLines'; setl_id: string }
  // The uploader's commands: what it is about to send, and what the platform answered.
  | { type: 'StartBatch'; batch_size: number }
  | {
      type: 'RecordBatchUploaded';
      batch_no: number;
      msgid: string;
      answers: PlatformLineAnswer[];
      /** The platform applied the batch but its answer could not be read: what it lacks. */
      unreadable?: string[];
    }
  | { type: 'RecordBatchRejected'; batch_no: number; msgid: string; infcode: number; err_msg: string }
  | { type: 'RecordBatchUnknown'; batch_no: number; msgid: string; reason: string }
  | { type: 'RecordBatchUndone'; batch_no: number; revoked: string[]; absent: LineRefusal[] }
  | { type: 'RecordLinesRevoked'; msgid: string; feedetl_sns: string[] }
  | { type: 'RecordRevocationRejected'; msgid: string; feedetl_sns: string[]; err_msg: string }
  | { type: 'RecordAllLinesRevoked'; msgid: string }
  /** Answer the pending reconciliation; `failure` when the re-synchronisation itself could not run. */
  | { type: 'AnswerReconciliation'; failure?: string };
