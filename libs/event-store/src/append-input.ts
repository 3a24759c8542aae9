import { EventStoreInputError } from './errors';
import { type OutboxMessage } from './outbox-message';
import { type NewEvent } from './recorded-event';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string' || streamId.trim() === '') {
    throw new EventStoreInputError('streamId', 'must be a non-empty string');
  }
}

/** The expected version as a number, or null for 'any'. */
export function expectedVersionNumber(expected: unknown): number | null {
  if (expected === 'any') return null;
  if (expected === 'no-stream') return 0;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return expected;
  throw new EventStoreInputError(
    'expectedVersion',
    `must be a stream version >= 0, 'no-stream' or 'any', got ${JSON.stringify(expected)}`,
  );
}

/** JSON text for a jsonb column, or a clear error naming the field. */
export function toJsonText(value: unknown, field: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new EventStoreInputError(field, `is not JSON-serializable: ${(err as Error).message}`);
  }
  if (text === undefined)
    throw new EventStoreInputError(field, 'is not JSON-serializable (undefined or a function)');
  return text;
}

export function assertNewEvents(events: unknown): asserts events is readonly NewEvent[] {
  if (!Array.isArray(events)) throw new EventStoreInputError('events', 'must be an array');
  events.forEach((event: NewEvent, i) => {
    if (typeof event?.type !== 'string' || event.type === '') {
      throw new EventStoreInputError(`events[${i}].type`, 'must be a non-empty string');
    }
    const version = event.schemaVersion ?? 1;
    if (!Number.isInteger(version) || version < 1) {
      throw new EventStoreInputError(`events[${i}].schemaVersion`, `must be an integer >= 1, got ${version}`);
    }
  });
}

export function assertOutboxMessages(messages: unknown): asserts messages is readonly OutboxMessage[] {
  if (!Array.isArray(messages)) throw new EventStoreInputError('outbox', 'must be an array');
  messages.forEach((m: OutboxMessage, i) => {
    if (typeof m?.messageId !== 'string' || !UUID.test(m.messageId)) {
      throw new EventStoreInputError(`outbox[${i}].messageId`, 'must be a UUID');
    }
    if (typeof m.topic !== 'string' || m.topic === '') {
      throw new EventStoreInputError(`outbox[${i}].topic`, 'must be a non-empty string');
    }
    if (m.key !== null && typeof m.key !== 'string') {
      throw new EventStoreInputError(`outbox[${i}].key`, 'must be a string or null');
    }
    if (typeof m.payload !== 'string')
      throw new EventStoreInputError(`outbox[${i}].payload`, 'must be a string');
    if (m.traceparent !== undefined && m.traceparent !== null && typeof m.traceparent !== 'string') {
      throw new EventStoreInputError(`outbox[${i}].traceparent`, 'must be a string, null or absent');
    }
    for (const [name, value] of Object.entries(m.headers ?? {})) {
      if (typeof value !== 'string') {
        throw new EventStoreInputError(`outbox[${i}].headers.${name}`, 'must be a string');
      }
    }
  });
}

export function assertInbox(messageId: unknown, consumer: unknown): void {
  if (messageId === undefined && consumer === undefined) return;
  if (typeof messageId !== 'string' || messageId === '') {
    throw new EventStoreInputError(
      'inboxMessageId',
      'must be a non-empty string when inboxConsumer is given',
    );
  }
  if (typeof consumer !== 'string' || consumer === '') {
    throw new EventStoreInputError(
      'inboxConsumer',
      'must be a non-empty string when inboxMessageId is given',
    );
  }
}

/** Several messages handled by one consumer: distinct non-empty ids, and the consumer when there are any. */
export function assertInboxMessages(messageIds: unknown, consumer: unknown): void {
  if (!Array.isArray(messageIds)) throw new EventStoreInputError('inboxMessageIds', 'must be an array');
  const seen = new Set<unknown>();
  messageIds.forEach((id: unknown, i) => {
    if (typeof id !== 'string' || id === '') {
      throw new EventStoreInputError(`inboxMessageIds[${i}]`, 'must be a non-empty string');
    }
    if (seen.has(id)) throw new EventStoreInputError(`inboxMessageIds[${i}]`, `repeats ${id}`);
    seen.add(id);
  });
  if (messageIds.length > 0 && (typeof consumer !== 'string' || consumer === '')) {
    throw new EventStoreInputError(
      'inboxConsumer',
      'must be a non-empty string when inboxMessageIds are given',
    );
  }
}

/** A lease to take with a mark: a holder's name, and a whole number of milliseconds the int column takes. */
export function assertLease(lease: { holder: unknown; leaseMs: unknown }): void {
  if (typeof lease.holder !== 'string' || lease.holder === '') {
    throw new EventStoreInputError('takeLease.holder', 'must be a non-empty string');
  }
  const { leaseMs } = lease;
  if (typeof leaseMs !== 'number' || !Number.isInteger(leaseMs) || leaseMs < 1 || leaseMs > 2 ** 31 - 1) {
    throw new EventStoreInputError('takeLease.leaseMs', 'must be a whole number of milliseconds ≥ 1');
  }
}
