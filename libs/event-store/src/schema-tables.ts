/** A PostgreSQL identifier we are willing to interpolate into SQL: lower-case, no quoting surprises. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: unknown, field = 'schema'): asserts schema is string {
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new TypeError(
      `${field} must be a lower-case PostgreSQL identifier (a-z, 0-9, _; at most 63 characters), got ${JSON.stringify(schema)}`,
    );
  }
}

/** The quoted, schema-qualified names of the event store's tables in one service's schema. */
export interface EventStoreTables {
  readonly schema: string;
  readonly events: string;
  readonly outbox: string;
  readonly inbox: string;
  readonly checkpoints: string;
  readonly pendingWork: string;
  /** Outbox rows Kafka refused as too large, with the reason (OutboxRelay). */
  readonly outboxQuarantine: string;
  /** Payloads of dead letters too large for their dead-letter topic (the service runtime's store). */
  readonly deadLetterPayloads: string;
}

export function eventStoreTables(schema: string): EventStoreTables {
  assertSchemaName(schema);
  const q = (table: string) => `"${schema}"."${table}"`;
  return {
    schema,
    events: q('events'),
    outbox: q('outbox'),
    inbox: q('inbox'),
    checkpoints: q('checkpoints'),
    pendingWork: q('pending_work'),
    outboxQuarantine: q('outbox_quarantine'),
    deadLetterPayloads: q('dead_letter_payloads'),
  };
}
