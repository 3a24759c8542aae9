import { MessageHeaders, parseMessage, type Envelope } from '@yb/contracts';
import { type OutboxMessage } from '@yb/event-store';

/**
 * A service's message for the outbox: the envelope validated against its contract first (a result that breaks
 * its contract fails the transaction instead of reaching a consumer), keyed by the envelope's key (the visit),
 * with the headers every consumer routes on.
 */
export function outboxMessageOf(topic: string, envelope: Envelope): OutboxMessage {
  parseMessage(envelope);
  return {
    messageId: envelope.id,
    topic,
    key: envelope.key,
    payload: JSON.stringify(envelope),
    headers: {
      [MessageHeaders.messageType]: envelope.type,
      [MessageHeaders.schemaVersion]: String(envelope.schemaVersion),
      [MessageHeaders.contentType]: 'application/json',
    },
  };
}
