import { createEnvelope, type Envelope, type MessageType } from '@yb/contracts';
import { type OutboxMessage } from '@yb/event-store';
import { outboxMessageOf } from '@yb/service-runtime';
import { type ReportEvent } from '../report/report.events';
import { type ReportState } from '../report/report.state';

export type Cause = Pick<Envelope, 'id' | 'correlationId'>;

/** A result message for insurance.inpatient, validated against its contract before it reaches the outbox. */
export function resultMessage(
  topic: string,
  key: string,
  type: MessageType,
  data: unknown,
  cause?: Cause,
): OutboxMessage {
  const envelope = createEnvelope({ type, data, schemaVersion: 1, key, ...(cause && { causedBy: cause }) });
  return outboxMessageOf(topic, envelope);
}

/**
 * What a report's new events tell the HIS and the dashboard: ReportPending (what it waits for),
 * ReportUploaded (setl_list_id for 4101A; replaces_msgid for a corrected record), ReportWithdrawnFromPlatform
 * (an uploaded record that no longer stands taken off: 4102, or vali_flag 0) and ReportRejected (will_retry
 * false for the platform's refusals, true for transport failures). Sources, attempts, the void before a
 * correction and reruns only move the report along.
 */
export function reportResults(
  topic: string,
  events: readonly ReportEvent[],
  state: ReportState,
  cause?: Cause,
): OutboxMessage[] {
  const identity = state.identity;
  if (!identity) return [];
  const { ipt_no } = identity;
  return events.flatMap((event): OutboxMessage[] => {
    switch (event.type) {
      case 'ReportWaiting':
        return [resultMessage(topic, ipt_no, 'ReportPending', { ...identity, ...event.data }, cause)];
      case 'UploadAccepted': {
        const { vali_flag, msgid, setl_list_id, replaces_msgid } = event.data;
        if (vali_flag === '0') {
          // A correction's void is followed by the new upload (ReportUploaded names it); a record that no longer
          // stands is off the platform for good: say so.
          if (!state.withdrawn) return [];
          const data = {
            ...identity,
            msgid,
            ...(state.replacedMsgid && { withdrawn_msgid: state.replacedMsgid }),
            reason: state.withdrawn.slice(0, 500),
          };
          return [resultMessage(topic, ipt_no, 'ReportWithdrawnFromPlatform', data, cause)];
        }
        const data = {
          ...identity,
          msgid,
          ...(setl_list_id && { setl_list_id }),
          ...(replaces_msgid && { replaces_msgid }),
        };
        return [resultMessage(topic, ipt_no, 'ReportUploaded', data, cause)];
      }
      case 'UploadRejected': {
        const { attempt, msgid, infcode, err_msg, will_retry } = event.data;
        const data = {
          ...identity,
          ...(msgid && { msgid }),
          ...(infcode !== undefined && { infcode }),
          err_msg: err_msg.slice(0, 4000) || '平台未说明原因',
          will_retry,
          attempt,
        };
        return [resultMessage(topic, ipt_no, 'ReportRejected', data, cause)];
      }
      case 'ReportSourceRecorded':
      case 'ReportSourceCorrected':
      case 'ReportWithdrawn':
      case 'UploadAttempted':
      case 'RerunRequested':
      case 'RecheckRequested':
      case 'UploadConfirmed':
        return [];
    }
  });
}
