import { type REPORT_INFNOS } from '@yb/contracts';
import { type RerunCause } from './report.commands';

export type ReportInfno = (typeof REPORT_INFNOS)[number];

/**
 * vali_flag 1 uploads a record, 0 takes the valid one off the platform (spec §5, dict vali_flag): a clinical record
 * with vali_flag 0, a 4101A list (which has no vali_flag) with 4102 stas_type 0.
 */
export type ValiFlag = '0' | '1';

export interface ReportIdentity {
  readonly ipt_no: string;
  readonly infno: ReportInfno;
  /** The HIS id of what is reported: setl_id (4101A), medcasno, medcas_drord_detl_id, rpotc_no, palg_no… */
  readonly report_ref: string;
}

export type ReportEvent =
  /** What the report is made of, as the HIS (or the settlement) first told it. */
  | { type: 'ReportSourceRecorded'; data: ReportIdentity & { source: unknown } }
  /** The HIS sent the same record again with other content (a correction). */
  | { type: 'ReportSourceCorrected'; data: { source: unknown } }
  /** The record no longer stands (a cancelled settlement, an order the HIS made invalid). */
  | { type: 'ReportWithdrawn'; data: { reason: string } }
  /** The report cannot be built yet: what it waits for, and by when it is owed. */
  | { type: 'ReportWaiting'; data: { reason: string; waiting_for: string[]; due_date: string } }
  /** Written before the platform call, so a crash leaves a trace of the attempt to resolve. */
  | {
      type: 'UploadAttempted';
      data: { attempt: number; vali_flag: ValiFlag; input_digest: string; at: string };
    }
  | {
      type: 'UploadAccepted';
      data: {
        attempt: number;
        vali_flag: ValiFlag;
        msgid: string;
        input_digest: string;
        setl_list_id?: string;
        replaces_msgid?: string;
        /** How the outcome was learnt: the answer, the journal after a crash, or the platform's refusal of a repeat. */
        learnt_from: 'answer' | 'journal' | 'repeat-refused-as-already-applied';
      };
    }
  | {
      type: 'UploadRejected';
      data: {
        attempt: number;
        msgid?: string;
        infcode?: number;
        err_msg: string;
        will_retry: boolean;
        input_digest: string;
        /** A transport failure is tried again on a run after this time. */
        retry_after?: string;
      };
    }
  | { type: 'RerunRequested'; data: { comment: string; requested_by: unknown; cause?: RerunCause } }
  /** The facts an uploaded report is built from changed since its upload (why, e.g. the homepage). */
  | { type: 'RecheckRequested'; data: { reason: string } }
  /** Rechecked: it builds as uploaded (the record on the platform stands as it is). */
  | { type: 'UploadConfirmed'; data: { input_digest: string } };
