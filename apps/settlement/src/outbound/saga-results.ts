import { createEnvelope, type Envelope, type MessageType } from '@yb/contracts';
import { type OutboxMessage } from '@yb/event-store';
import { outboxMessageOf } from '@yb/service-runtime';
import { type SettlementTopics } from '../settlement-topics';
import { type SagaEvent, type SentCommand } from '../saga/saga.events';
import { type SagaState } from '../saga/saga.state';

export type Cause = Pick<Envelope, 'id' | 'correlationId'> | undefined;

const COMMAND_SERVICE: Record<SentCommand['type'], 'fee-detail' | 'quality' | 'admission'> = {
  ReconcileFeeTotals: 'fee-detail',
  AuditSettlement: 'quality',
  DischargePatient: 'admission',
  UndoDischarge: 'admission',
};

const TIMELINE: readonly SagaEvent['type'][] = [
  'StepStarted',
  'StepAnswered',
  'SagaWaiting',
  'SagaWaitingForPlatform',
  'ConfirmationRequested',
];

/**
 * The messages of a decision, for the outbox (same transaction as its events): the commands the saga sends
 * other services, one SettlementSagaProgressed per timeline entry (the last one of the decision carries the
 * state the saga is left in), and the results on insurance.inpatient. Each is validated against its contract.
 */
export function sagaMessages(
  topics: SettlementTopics,
  ipt_no: string,
  events: readonly SagaEvent[],
  state: SagaState,
  cause: Cause,
): OutboxMessage[] {
  const lastTimeline = events.map((e) => TIMELINE.includes(e.type)).lastIndexOf(true);
  const mdtrt_id = state.visit.mdtrt_id ?? undefined;
  const visit = { ipt_no, ...(mdtrt_id !== undefined && { mdtrt_id }) };
  const saga = state.saga;
  const mid_setl_flag = (saga?.mid_setl_flag ?? '0') as '0' | '1';
  const out: OutboxMessage[] = [];
  // What follows a held request's release answers that request, not the message that released it.
  let causedBy = cause;
  const publish = (topic: string, type: MessageType, data: unknown, id?: string) =>
    out.push(outboxMessage(topic, ipt_no, type, data, causedBy, id));

  events.forEach((event, index) => {
    switch (event.type) {
      case 'StepStarted':
      case 'StepAnswered':
      case 'SagaWaiting':
      case 'SagaWaitingForPlatform':
      case 'ConfirmationRequested': {
        const { saga_id, seq, step, attempt, infno, msgid, detail } = event.data;
        const status =
          event.type === 'StepStarted'
            ? event.data.retrying
              ? 'RETRYING'
              : 'STARTED'
            : event.type === 'SagaWaiting' || event.type === 'ConfirmationRequested'
              ? 'WAITING_FOR_PERSON'
              : event.type === 'SagaWaitingForPlatform'
                ? 'WAITING_FOR_PLATFORM'
                : event.data.status;
        publish(topics.insuranceInpatient, 'SettlementSagaProgressed', {
          ...visit,
          saga_id,
          seq,
          step,
          status,
          attempt,
          ...(infno !== undefined && { infno }),
          ...(msgid !== undefined && { msgid }),
          detail,
          saga_state: index === lastTimeline && saga ? saga.status : 'RUNNING',
          mid_setl_flag,
        });
        if (event.type === 'StepStarted' && event.data.command) {
          const { command } = event.data;
          publish(topics.commands[COMMAND_SERVICE[command.type]], command.type, command.data, command.id);
        }
        if (event.type === 'StepAnswered' && event.data.result) {
          const { result } = event.data;
          switch (result.kind) {
            case 'pre-settlement':
              publish(topics.insuranceInpatient, 'PreSettled', {
                ...visit,
                mid_setl_flag,
                msgid: event.data.msgid,
                ...result.amounts,
              });
              break;
            case 'settlement':
              publish(topics.insuranceInpatient, 'Settled', {
                ...visit,
                mid_setl_flag,
                ...result.settlement,
              });
              break;
            case 'cancellation':
              publish(topics.insuranceInpatient, 'SettlementCancelled', { ...visit, ...result.cancellation });
              break;
            case 'reversal':
            case 'discharge-undone': {
              const { kind: _kind, ...compensation } = result;
              publish(topics.insuranceInpatient, 'SettlementCompensated', { ...visit, ...compensation });
              break;
            }
          }
        }
        break;
      }
      case 'SagaEnded': {
        const {
          saga_id,
          state: ended,
          step,
          reason,
          needs_person,
          compensation_failure,
          unreadable,
        } = event.data;
        if (ended === 'APPLIED_UNREADABLE' && unreadable) {
          publish(topics.insuranceInpatient, 'PlatformAnswerUnreadable', {
            ...visit,
            ...unreadable,
            needs_person: true,
          });
        }
        if (ended === 'FAILED') {
          publish(topics.insuranceInpatient, 'SettlementFailed', {
            ...visit,
            step: step === 'REVERSAL' || step === 'DISCHARGE_UNDO' ? 'SETTLEMENT' : step,
            reason,
            needs_person,
          });
        }
        if (ended === 'COMPENSATION_FAILED' && compensation_failure) {
          publish(topics.insuranceInpatient, 'SettlementCompensationFailed', {
            ...visit,
            saga_id,
            ...compensation_failure,
            needs_person: true,
          });
        }
        break;
      }
      case 'SettlementReversedLocally': {
        // The reversed settlement's saga (not always the latest: a mid-way settlement's) leaves SETTLED.
        const { setl_id, stmt_date, reason, reversed_by, reversed_at: _at, ...entry } = event.data;
        const reversed = { ...entry, mid_setl_flag: entry.mid_setl_flag as '0' | '1' };
        publish(topics.insuranceInpatient, 'SettlementSagaProgressed', {
          ...visit,
          ...reversed,
          status: 'SUCCEEDED',
          saga_state: 'REVERSED_LOCALLY',
        });
        publish(topics.insuranceInpatient, 'SettlementLocalReversalRecorded', {
          ...visit,
          saga_id: reversed.saga_id,
          setl_id,
          mid_setl_flag: reversed.mid_setl_flag,
          stmt_date,
          reason,
          reversed_by,
        });
        break;
      }
      case 'RequestRefused':
        publish(topics.insuranceInpatient, 'SettlementRequestRefused', { ipt_no, ...event.data });
        break;
      case 'HeldRequestReleased':
      case 'QueuedRequestTaken':
        causedBy = event.data.cause ?? cause;
        break;
      default:
        break;
    }
  });
  return out;
}

function outboxMessage(
  topic: string,
  ipt_no: string,
  type: MessageType,
  data: unknown,
  cause: Cause,
  id?: string,
): OutboxMessage {
  const envelope = createEnvelope({
    type,
    schemaVersion: 1,
    key: ipt_no,
    data,
    ...(cause && { causedBy: cause }),
    ...(id !== undefined && { id }),
  });
  return outboxMessageOf(topic, envelope);
}
