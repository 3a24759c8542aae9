import { type Decider } from '@yb/event-store';
import { type ReportCommand } from './report.commands';
import { type ReportEvent, type ReportInfno, type ValiFlag } from './report.events';
import { evolveReport, initialReportState, type ReportState } from './report.state';

/** A command the report's state does not allow (a programming error or a race the caller lost). */
export class ReportCommandRefused extends Error {
  override readonly name = 'ReportCommandRefused';
}

export const reportStreamId = (infno: ReportInfno, report_ref: string): string =>
  `report-${infno}-${report_ref}`;

/**
 * A clinical record is taken off by uploading it again with vali_flag 0, so its content must build; a 4101A list
 * is withdrawn by 4102, which names only the person and the settlement (a cancelled settlement's list too).
 */
const removalNeedsContent = (infno: ReportInfno): boolean => infno !== '4101A';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function decide(command: ReportCommand, state: ReportState): ReportEvent[] {
  switch (command.type) {
    case 'RecordSource':
      if (!state.identity) {
        return [{ type: 'ReportSourceRecorded', data: { ...command.identity, source: command.source } }];
      }
      if (state.withdrawn || same(state.source, command.source)) return [];
      return [{ type: 'ReportSourceCorrected', data: { source: command.source } }];
    case 'WithdrawReport':
      if (!state.identity) throw new ReportCommandRefused('cannot withdraw a report that was never recorded');
      return state.withdrawn ? [] : [{ type: 'ReportWithdrawn', data: { reason: command.reason } }];
    case 'NoteWaiting': {
      const { reason, waiting_for, due_date } = command;
      if (state.waiting && same(state.waiting, { reason, waiting_for, due_date })) return [];
      return [{ type: 'ReportWaiting', data: { reason, waiting_for, due_date } }];
    }
    case 'StartUpload':
      if (!state.identity) throw new ReportCommandRefused('cannot upload a report that was never recorded');
      if (state.inFlight) {
        throw new ReportCommandRefused(`attempt ${state.inFlight.attempt} has no recorded outcome yet`);
      }
      if (state.withdrawn && command.vali_flag === '1') {
        throw new ReportCommandRefused(`the report was withdrawn: ${state.withdrawn}`);
      }
      return [
        {
          type: 'UploadAttempted',
          data: {
            attempt: state.attempts + 1,
            vali_flag: command.vali_flag,
            input_digest: command.input_digest,
            at: command.at,
          },
        },
      ];
    case 'RecordUploadOutcome': {
      const inFlight = state.inFlight;
      if (!inFlight) throw new ReportCommandRefused('no upload attempt is waiting for its outcome');
      const { attempt, vali_flag, input_digest } = inFlight;
      const outcome = command.outcome;
      if (outcome.kind === 'accepted') {
        const replaces = vali_flag === '1' ? state.replacedMsgid : null;
        return [
          {
            type: 'UploadAccepted',
            data: {
              attempt,
              vali_flag,
              msgid: outcome.msgid,
              input_digest,
              learnt_from: outcome.learnt_from,
              ...(outcome.setl_list_id && { setl_list_id: outcome.setl_list_id }),
              ...(replaces && { replaces_msgid: replaces }),
            },
          },
        ];
      }
      const { kind: _kind, ...rejection } = outcome;
      return [{ type: 'UploadRejected', data: { attempt, input_digest, ...rejection } }];
    }
    case 'Recheck':
      // Only a record that stands on the platform can be out of date; a pending one is looked at on every run.
      if (!state.identity || !state.uploaded || state.withdrawn || state.recheck) return [];
      return [{ type: 'RecheckRequested', data: { reason: command.reason } }];
    case 'ConfirmUploaded':
      return state.recheck && state.uploaded
        ? [{ type: 'UploadConfirmed', data: { input_digest: state.uploaded.input_digest } }]
        : [];
    case 'RequestRerun':
      if (!state.identity) throw new ReportCommandRefused('there is no such report to upload again');
      return [
        {
          type: 'RerunRequested',
          data: {
            comment: command.comment,
            requested_by: command.requested_by,
            ...(command.cause && { cause: command.cause }),
          },
        },
      ];
  }
}

/** One report (one record on the platform): its source, what it waits for, and every upload attempt. */
export const reportDecider: Decider<ReportCommand, ReportEvent, ReportState> = {
  initialState: () => initialReportState,
  evolve: evolveReport,
  decide,
};

/** What a run does with a report next, given the input it builds now (null when incomplete). */
export type UploadStep =
  | { kind: 'none' }
  /** A previous attempt has no recorded outcome: find it out before sending anything. */
  | { kind: 'resolve' }
  | { kind: 'wait' }
  /** Refused by the platform for its content; only a correction or a person's rerun sends it again. */
  | { kind: 'blocked' }
  /** A transport failure: tried again on a run after retry_after. */
  | { kind: 'backoff' }
  | { kind: 'send'; vali_flag: ValiFlag };

export function nextUploadStep(
  state: ReportState,
  built: { input_digest: string } | null,
  now: Date,
): UploadStep {
  if (!state.identity) return { kind: 'none' };
  if (state.inFlight) return { kind: 'resolve' };
  if (state.withdrawn) {
    const removable = built !== null || !removalNeedsContent(state.identity.infno);
    return state.uploaded && removable ? { kind: 'send', vali_flag: '0' } : { kind: 'none' };
  }
  if (state.uploaded) {
    // A corrected record replaces the uploaded one: take it off (vali_flag 0, or 4102 for a 4101A list), then
    // upload the new content.
    const corrected = built !== null && built.input_digest !== state.uploaded.input_digest;
    return corrected ? { kind: 'send', vali_flag: '0' } : { kind: 'none' };
  }
  if (!built) return { kind: 'wait' };
  const rejection = state.rejection;
  if (rejection && !state.rerunRequested) {
    if (!rejection.will_retry && rejection.input_digest === built.input_digest) return { kind: 'blocked' };
    if (rejection.will_retry && rejection.retry_after && Date.parse(rejection.retry_after) > now.getTime()) {
      return { kind: 'backoff' };
    }
  }
  return { kind: 'send', vali_flag: '1' };
}
