import { type ReportIdentity, type ValiFlag } from './report.events';

export type ReportCommand =
  | { type: 'RecordSource'; identity: ReportIdentity; source: unknown }
  | { type: 'WithdrawReport'; reason: string }
  | { type: 'NoteWaiting'; reason: string; waiting_for: string[]; due_date: string }
  | { type: 'StartUpload'; vali_flag: ValiFlag; input_digest: string; at: string }
  | {
      type: 'RecordUploadOutcome';
      outcome:
        | {
            kind: 'accepted';
            msgid: string;
            setl_list_id?: string;
            learnt_from: 'answer' | 'journal' | 'repeat-refused-as-already-applied';
          }
        | {
            kind: 'rejected';
            msgid?: string;
            infcode?: number;
            err_msg: string;
            will_retry: boolean;
            retry_after?: string;
          };
    }
  /** `cause`: the person's message, which any upload of the report then continues (a run may send it first). */
  | { type: 'RequestRerun'; comment: string; requested_by: unknown; cause?: RerunCause }
  /** What an uploaded report is built from changed (a 4101A's visit facts): look at it again on the next run. */
  | { type: 'Recheck'; reason: string }
  /** A rechecked report builds as it was uploaded: nothing to send. */
  | { type: 'ConfirmUploaded' };

/** The message that asked for a rerun: its id and correlation, for the upload's result messages. */
export interface RerunCause {
  readonly id: string;
  readonly correlationId: string;
}
