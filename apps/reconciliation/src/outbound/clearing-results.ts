import { contractFor, createEnvelope, type Envelope } from '@yb/contracts';
import { type OutboxMessage } from '@yb/event-store';
import { currentTraceparent } from '@yb/messaging';
import { outboxMessageOf } from '@yb/service-runtime';
import {
  type ClearingApplicationEvent,
  type ClearingSubject,
} from '../clearing-application/clearing-application.events';
import { type ClearingApplicationState } from '../clearing-application/clearing-application.state';

/**
 * What the dashboard reads on insurance.clearing: each application made, refused (by us or the platform) or
 * withdrawn, and each withdrawal refused, with the application's status after it. Keyed by the month;
 * validated against its contract before it enters the outbox.
 */
export function clearingResultMessages(
  events: readonly ClearingApplicationEvent[],
  state: ClearingApplicationState,
  subject: ClearingSubject,
  topic: string,
  causedBy?: Pick<Envelope, 'id' | 'correlationId'>,
): OutboxMessage[] {
  const application = { ...subject, scope: state.scope! };
  const publish = (type: string, data: unknown): OutboxMessage => {
    const contract = contractFor(type, 1);
    const envelope = createEnvelope({
      type,
      schemaVersion: contract.version,
      key: subject.setlym,
      data: contract.data.parse(data),
      ...(causedBy && { causedBy }),
      traceparent: currentTraceparent(),
    });
    return outboxMessageOf(topic, envelope);
  };
  // The status before a refusal is the one it leaves; the events of one command end in `state`.
  const status = state.status;
  return events.flatMap((event): OutboxMessage[] => {
    switch (event.type) {
      case 'Applied':
        return [
          publish('ClearingApplied', {
            ...application,
            status: 'APPLIED',
            ...event.data,
            begndate: state.begndate,
            enddate: state.enddate,
            declared: state.declared,
          }),
        ];
      case 'ApplicationRefused': {
        const { scope: _scope, ...refusal } = event.data;
        return [publish('ClearingApplicationRefused', { ...application, status, ...refusal })];
      }
      case 'Withdrawn':
        return [
          publish('ClearingApplicationWithdrawn', {
            ...application,
            status: 'WITHDRAWN',
            ...event.data,
          }),
        ];
      case 'WithdrawalRefused':
        return [
          publish('ClearingWithdrawalRefused', {
            ...application,
            status,
            ...event.data,
            ...(state.clr_appy_evt_id && { clr_appy_evt_id: state.clr_appy_evt_id }),
          }),
        ];
      default:
        // A request is the application's own bookkeeping until the platform answers it.
        return [];
    }
  });
}
