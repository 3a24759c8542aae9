import { MessageHeaders, parseMessage, type Envelope } from '@yb/contracts';
import { type OutboxMessage } from '@yb/event-store';
import { currentTraceparent } from '@yb/messaging';

/**
 * A service's message for the outbox: the envelope validated against its contract first (a result that breaks
 * its contract fails the transaction instead of reaching a consumer), keyed by the envelope's key (the visit),
 * with the headers every consumer routes on. An envelope built without a traceparent gets the active one (the
 * handler's span, which the relay's publish span and so the record's traceparent header descend from): a reader
 * of the payload alone (an export, the dead-letter topic) still finds the trace.
 */
export function outboxMessageOf(topic: string, envelope: Envelope): OutboxMessage {
  const traced = { ...envelope, traceparent: envelope.traceparent ?? currentTraceparent() };
  parseMessage(traced);
  return {
    messageId: traced.id,
    topic,
    key: traced.key,
    payload: JSON.stringify(traced),
    headers: {
      [MessageHeaders.messageType]: traced.type,
      [MessageHeaders.schemaVersion]: String(traced.schemaVersion),
      [MessageHeaders.contentType]: 'application/json',
    },
  };
}
