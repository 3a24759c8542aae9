import { type DataSource, type EntityManager } from 'typeorm';
import {
  assertInbox,
  assertNewEvents,
  assertOutboxMessages,
  assertStreamId,
  expectedVersionNumber,
  toJsonText,
} from './append-input';
import { schemaOf } from './data-source-schema';
import { EventStoreInputError, ExpectedVersionConflictError } from './errors';
import { type OutboxMessage } from './outbox-message';
import { outboxChannel, outboxNotifyPayload, signalOutboxCommitted } from './outbox-signal';
import {
  LOG_START,
  type DuplicateMessage,
  type ExpectedVersion,
  type LogPosition,
  type NewEvent,
  type RecordedEvent,
} from './recorded-event';
import { eventStoreTables, type EventStoreTables } from './schema-tables';
import { activeTraceparent } from './trace-context';
import { UpcasterRegistry } from './upcasters';

export interface AppendOptions {
  /** Messages published by the OutboxRelay once this append commits. */
  outbox?: readonly OutboxMessage[];
  /** Id of the message that caused this append; recorded in the inbox so a redelivery has no effect. */
  inboxMessageId?: string;
  /** Who handled that message (a service's handler name); required with inboxMessageId. */
  inboxConsumer?: string;
  /**
   * Marks the stream as owing work outside the store (pendingWork), in this transaction, when events are
   * written: a worker that takes the work off the consumer path finds it again after a crash.
   */
  markPendingWork?: boolean;
}

export interface Appended {
  readonly kind: 'appended';
  /** The stream's version after the append: the version the next append should expect. */
  readonly nextExpectedVersion: number;
  /** Position of the last event written; null when no event was written (only inbox/outbox rows). */
  readonly lastPosition: LogPosition | null;
}

export type AppendResult = Appended | DuplicateMessage;

export interface ReadAllOptions {
  /** Read events after this position (default: from the start). */
  after?: LogPosition;
  /** At most this many events (default 500). */
  limit?: number;
  /** Read inside this transaction (a projection reads and writes its checkpoint in one). */
  manager?: EntityManager;
}

export interface ReadStreamOptions {
  /** Read only the events after this stream version (default 0: the whole stream). */
  afterVersion?: number;
}

export interface EventStoreOptions {
  upcasters?: UpcasterRegistry;
}

interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_version: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

const EVENT_COLUMNS =
  'global_position, transaction_id::text AS transaction_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at';

/** Streams of events in one service's PostgreSQL schema, with the outbox and inbox written alongside. */
export class EventStore {
  readonly tables: EventStoreTables;
  private readonly upcasters: UpcasterRegistry;

  constructor(
    readonly dataSource: DataSource,
    options: EventStoreOptions = {},
  ) {
    this.tables = eventStoreTables(schemaOf(dataSource));
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
  }

  /**
   * Appends events to a stream if it is at the expected version, in one transaction with the outbox
   * messages and the inbox record of the message that caused them. A stream's writers take turns on
   * a transaction-scoped advisory lock taken before anything is written, so that the order of their
   * transaction ids (what readAll orders by) is the order of the stream's versions.
   *
   * @throws ExpectedVersionConflictError when the stream is at another version.
   * @returns DuplicateMessage (and writes nothing) when the inbox already holds the message.
   */
  async appendToStream(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    assertStreamId(streamId);
    const expected = expectedVersionNumber(expectedVersion);
    assertNewEvents(events);
    const outbox = options.outbox ?? [];
    assertOutboxMessages(outbox);
    assertInbox(options.inboxMessageId, options.inboxConsumer);
    const rows = events.map((e, i) => ({
      type: e.type,
      schemaVersion: e.schemaVersion ?? this.upcasters.currentVersion(e.type),
      data: toJsonText(e.data, `events[${i}].data`),
      metadata: toJsonText(e.metadata ?? {}, `events[${i}].metadata`),
    }));
    const traceparent = outbox.length > 0 ? activeTraceparent() : null;

    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('READ COMMITTED');
      const db = runner.manager;
      const t = this.tables;
      await db.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [t.schema, streamId]);
      if (options.inboxMessageId !== undefined && options.inboxConsumer !== undefined) {
        const recorded = await db.query(
          `INSERT INTO ${t.inbox} (message_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING message_id`,
          [options.inboxMessageId, options.inboxConsumer],
        );
        if (recorded.length === 0) {
          await runner.rollbackTransaction();
          return {
            kind: 'duplicate-message',
            messageId: options.inboxMessageId,
            consumer: options.inboxConsumer,
          };
        }
      }
      const [{ version }] = await db.query(
        `SELECT coalesce(max(stream_version), 0)::bigint AS version FROM ${t.events} WHERE stream_id = $1`,
        [streamId],
      );
      const current = Number(version);
      if (expected !== null && expected !== current) {
        throw new ExpectedVersionConflictError(streamId, expectedVersion, current);
      }
      let lastPosition: LogPosition | null = null;
      if (rows.length > 0) {
        const written: { global_position: string; transaction_id: string }[] = await db.query(
          `INSERT INTO ${t.events} (stream_id, stream_version, type, schema_version, data, metadata)
           SELECT $1, $2::bigint + u.n, u.type, u.schema_version, u.data, u.metadata
           FROM unnest($3::text[], $4::int[], $5::jsonb[], $6::jsonb[]) WITH ORDINALITY
             AS u(type, schema_version, data, metadata, n)
           ORDER BY u.n
           RETURNING global_position, transaction_id::text AS transaction_id`,
          [
            streamId,
            current,
            rows.map((r) => r.type),
            rows.map((r) => r.schemaVersion),
            rows.map((r) => r.data),
            rows.map((r) => r.metadata),
          ],
        );
        const last = written.reduce((a, b) =>
          BigInt(a.global_position) > BigInt(b.global_position) ? a : b,
        );
        lastPosition = {
          transactionId: BigInt(last.transaction_id),
          globalPosition: BigInt(last.global_position),
        };
      }
      if (outbox.length > 0) {
        // The NOTIFY (delivered on commit only) wakes relays on other DataSources and in other processes.
        await db.query(
          `WITH written AS (
             INSERT INTO ${t.outbox} (message_id, topic, message_key, payload, headers, traceparent)
             SELECT u.message_id, u.topic, u.message_key, u.payload, u.headers, $6
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) WITH ORDINALITY
               AS u(message_id, topic, message_key, payload, headers, n)
             ORDER BY u.n
           )
           SELECT pg_notify($7, $8)`,
          [
            outbox.map((m) => m.messageId),
            outbox.map((m) => m.topic),
            outbox.map((m) => m.key),
            outbox.map((m) => m.payload),
            outbox.map((m, i) => toJsonText(m.headers ?? {}, `outbox[${i}].headers`)),
            traceparent,
            outboxChannel(t.schema),
            outboxNotifyPayload(this.dataSource),
          ],
        );
      }
      if (options.markPendingWork && rows.length > 0) {
        await db.query(
          `INSERT INTO ${t.pendingWork} (stream_id, stream_version) VALUES ($1, $2)
           ON CONFLICT (stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version, marked_at = now()`,
          [streamId, current + rows.length],
        );
      }
      await runner.commitTransaction();
      if (outbox.length > 0) signalOutboxCommitted(this.dataSource);
      return { kind: 'appended', nextExpectedVersion: current + rows.length, lastPosition };
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw asConflict(err, streamId, expectedVersion) ?? err;
    } finally {
      await runner.release();
    }
  }

  /**
   * The stream's events in version order (upcast to their newest shape), after `afterVersion` when given;
   * empty for an unknown stream.
   */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamId(streamId);
    const afterVersion = options.afterVersion ?? 0;
    if (!Number.isSafeInteger(afterVersion) || afterVersion < 0) {
      throw new EventStoreInputError('afterVersion', `must be an integer >= 0, got ${afterVersion}`);
    }
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM ${this.tables.events}
       WHERE stream_id = $1 AND stream_version > $2 ORDER BY stream_version`,
      [streamId, afterVersion],
    );
    return rows.map((row) => this.toRecordedEvent(row));
  }

  /**
   * Events of all streams after a position, in (transaction id, global position) order, and only
   * those written by transactions older than the oldest one still running. global_position is
   * taken at insert time, not at commit: reading "position > N" would move past an event whose
   * transaction commits later with a lower position, and never see it. A transaction below the
   * snapshot's xmin has finished, so nothing can appear before the last event read.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? LOG_START;
    const limit = options.limit ?? 500;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new EventStoreInputError('limit', `must be a positive integer, got ${limit}`);
    }
    const rows: EventRow[] = await (options.manager ?? this.dataSource.manager).query(
      `SELECT ${EVENT_COLUMNS} FROM ${this.tables.events}
       WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
         AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY transaction_id, global_position
       LIMIT $3`,
      [after.transactionId.toString(), after.globalPosition.toString(), limit],
    );
    return rows.map((row) => this.toRecordedEvent(row));
  }

  /** Whether the inbox already holds the message for this consumer (it was handled). */
  async isMessageProcessed(messageId: string, consumer: string): Promise<boolean> {
    assertInbox(messageId, consumer);
    const rows = await this.dataSource.query(
      `SELECT 1 FROM ${this.tables.inbox} WHERE message_id = $1 AND consumer = $2`,
      [messageId, consumer],
    );
    return rows.length > 0;
  }

  /** Streams marked as owing work (AppendOptions.markPendingWork) whose id starts with `prefix`, oldest mark first. */
  async pendingWork(prefix: string, limit = 1_000): Promise<string[]> {
    const rows: { stream_id: string }[] = await this.dataSource.query(
      `SELECT stream_id FROM ${this.tables.pendingWork}
       WHERE starts_with(stream_id, $1) ORDER BY marked_at LIMIT $2`,
      [prefix, limit],
    );
    return rows.map((row) => row.stream_id);
  }

  /**
   * Clears the stream's mark if it was made at `version` or before: the worker finished with the stream as of
   * that version, and a mark made by a later append (work owed since) stays. Returns whether it was cleared.
   */
  async clearPendingWork(streamId: string, version: number): Promise<boolean> {
    const [, deleted] = await this.dataSource.query(
      `DELETE FROM ${this.tables.pendingWork} WHERE stream_id = $1 AND stream_version <= $2`,
      [streamId, version],
    );
    return Number(deleted) > 0;
  }

  /**
   * Deletes up to `limit` inbox records processed more than `retentionDays` ago; returns how many. A
   * message redelivered after its record is gone would be handled again, so the retention must outlast
   * any redelivery (service-runtime's InboxAndJournalRetention says what it defaults to and why).
   */
  async pruneInbox(retentionDays: number, limit: number): Promise<number> {
    const [, deleted] = await this.dataSource.query(
      `DELETE FROM ${this.tables.inbox} WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM ${this.tables.inbox}
         WHERE processed_at < now() - make_interval(days => $1) LIMIT $2))`,
      [retentionDays, limit],
    );
    return Number(deleted);
  }

  private toRecordedEvent(row: EventRow): RecordedEvent {
    const { schemaVersion, data } = this.upcasters.upcast(
      row.type,
      row.schema_version,
      row.data,
      row.metadata,
    );
    return {
      streamId: row.stream_id,
      streamVersion: Number(row.stream_version),
      position: { transactionId: BigInt(row.transaction_id), globalPosition: BigInt(row.global_position) },
      type: row.type,
      schemaVersion,
      data,
      metadata: row.metadata,
      recordedAt: row.recorded_at,
    };
  }
}

/** A unique violation on (stream_id, stream_version): a writer that bypassed the lock got there first. */
function asConflict(
  err: unknown,
  streamId: string,
  expected: ExpectedVersion,
): ExpectedVersionConflictError | null {
  const driverError = (err as { driverError?: { code?: string; constraint?: string } }).driverError;
  if (driverError?.code === '23505' && driverError.constraint === 'events_stream_version_unique') {
    return new ExpectedVersionConflictError(streamId, expected, null);
  }
  return null;
}
