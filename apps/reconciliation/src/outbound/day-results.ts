import { contractFor, createEnvelope, type Envelope } from '@yb/contracts';
import { type OutboxMessage } from '@yb/event-store';
import { currentTraceparent } from '@yb/messaging';
import { outboxMessageOf } from '@yb/service-runtime';
import { type ReconciliationDayEvent } from '../reconciliation-day/reconciliation-day.events';

/**
 * What the dashboard reads on insurance.reconciliation for a day's events: each group's 3201 verdict, each
 * difference with its suggested action, each resolution (and a row a person reversed in our books, for the
 * settlement saga), the run's end. Keyed by the day; validated against
 * its contract before it enters the outbox.
 */
export function dayResultMessages(
  events: readonly ReconciliationDayEvent[],
  stmt_date: string,
  topic: string,
  causedBy?: Pick<Envelope, 'id' | 'correlationId'>,
): OutboxMessage[] {
  const publish = (type: string, data: unknown): OutboxMessage => {
    const contract = contractFor(type, 1);
    const envelope = createEnvelope({
      type,
      schemaVersion: contract.version,
      key: stmt_date,
      data: contract.data.parse(data),
      ...(causedBy && { causedBy }),
      traceparent: currentTraceparent(),
    });
    return outboxMessageOf(topic, envelope);
  };
  return events.flatMap((event): OutboxMessage[] => {
    switch (event.type) {
      case 'GroupChecked':
        return [publish('ReconciliationGroupChecked', { stmt_date, ...event.data })];
      case 'DifferenceFound': {
        const { psn_no: _psn_no, ...difference } = event.data;
        return [publish('ReconciliationDifferenceFound', { stmt_date, ...difference })];
      }
      case 'DifferenceResolved': {
        const { reversed, ...resolved } = event.data;
        return [
          publish('ReconciliationDifferenceResolved', { stmt_date, ...resolved }),
          ...(reversed
            ? [
                publish('SettlementReversedLocally', {
                  stmt_date,
                  setl_id: resolved.setl_id,
                  ...reversed,
                  reason: resolved.explanation,
                  reversed_by: { username: resolved.resolved_by, role: resolved.role },
                }),
              ]
            : []),
        ];
      }
      case 'ReconciliationCompleted':
        return [publish('ReconciliationCompleted', { stmt_date, ...event.data })];
      default:
        // Requests, comparisons and refusals are the day's own bookkeeping.
        return [];
    }
  });
}
