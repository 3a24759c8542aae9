import { type ReportEvent, type ReportIdentity, type ValiFlag } from './report.events';
import { type RerunCause } from './report.commands';

export interface ReportState {
  readonly identity: ReportIdentity | null;
  readonly source: unknown;
  readonly withdrawn: string | null;
  readonly waiting: { reason: string; waiting_for: readonly string[]; due_date: string } | null;
  readonly attempts: number;
  /** An attempt recorded before its call whose outcome is not recorded yet (a crash in between). */
  readonly inFlight: { attempt: number; vali_flag: ValiFlag; input_digest: string; at: string } | null;
  /** The record standing on the platform. */
  readonly uploaded: { msgid: string; input_digest: string; setl_list_id?: string } | null;
  /** The msgid of the upload a void (vali_flag 0) removed, named by the replacing upload. */
  readonly replacedMsgid: string | null;
  readonly rejection: {
    msgid?: string;
    input_digest: string;
    will_retry: boolean;
    retry_after?: string;
    err_msg: string;
  } | null;
  readonly rerunRequested: boolean;
  /** The message of the person who asked for the rerun, while it is pending: the upload continues it. */
  readonly rerunCause: RerunCause | null;
  /** The last attempt's outcome is unknown (timeout, reset): the platform may hold the record already. */
  readonly lastOutcomeUnknown: boolean;
  /** Why the uploaded record is to be looked at again (its facts changed), until rechecked. */
  readonly recheck: string | null;
}

export const initialReportState: ReportState = {
  identity: null,
  source: null,
  withdrawn: null,
  waiting: null,
  attempts: 0,
  inFlight: null,
  uploaded: null,
  replacedMsgid: null,
  rejection: null,
  rerunRequested: false,
  rerunCause: null,
  lastOutcomeUnknown: false,
  recheck: null,
};

export function evolveReport(state: ReportState, event: ReportEvent): ReportState {
  switch (event.type) {
    case 'ReportSourceRecorded': {
      const { source, ...identity } = event.data;
      return { ...state, identity, source };
    }
    case 'ReportSourceCorrected':
      return { ...state, source: event.data.source };
    case 'ReportWithdrawn':
      return { ...state, withdrawn: event.data.reason, waiting: null };
    case 'ReportWaiting':
      return { ...state, waiting: event.data };
    case 'UploadAttempted':
      return { ...state, attempts: event.data.attempt, inFlight: event.data, waiting: null };
    case 'UploadAccepted': {
      const { vali_flag, msgid, input_digest, setl_list_id } = event.data;
      const base = {
        ...state,
        inFlight: null,
        rejection: null,
        rerunRequested: false,
        rerunCause: null,
        lastOutcomeUnknown: false,
        recheck: null,
      };
      return vali_flag === '1'
        ? {
            ...base,
            uploaded: { msgid, input_digest, ...(setl_list_id && { setl_list_id }) },
            replacedMsgid: null,
          }
        : { ...base, uploaded: null, replacedMsgid: state.uploaded?.msgid ?? state.replacedMsgid };
    }
    case 'UploadRejected': {
      const { msgid, input_digest, will_retry, retry_after, err_msg } = event.data;
      return {
        ...state,
        inFlight: null,
        rerunRequested: false,
        rerunCause: null,
        lastOutcomeUnknown: will_retry,
        rejection: {
          input_digest,
          will_retry,
          err_msg,
          ...(msgid && { msgid }),
          ...(retry_after && { retry_after }),
        },
      };
    }
    case 'RerunRequested':
      return { ...state, rerunRequested: true, rerunCause: event.data.cause ?? null };
    case 'RecheckRequested':
      return { ...state, recheck: event.data.reason };
    case 'UploadConfirmed':
      return { ...state, recheck: null };
  }
}
