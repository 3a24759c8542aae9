import { createHash } from 'node:crypto';
import { escapeLiteral } from 'pg';
import { type DataSource, type EntityManager } from 'typeorm';
import { Keyring, openFields, sealFields, sealedIn } from '@yb/sealing';
import {
  assertInbox,
  assertInboxMessages,
  assertLease,
  assertNewEvents,
  assertOutboxMessages,
  assertStreamId,
  expectedVersionNumber,
  toJsonText,
} from './append-input';
import { poolOf } from './data-source-pool';
import { schemaOf } from './data-source-schema';
import { EventStoreInputError, ExpectedVersionConflictError } from './errors';
import { type OutboxMessage } from './outbox-message';
import {
  hasOutboxListener,
  outboxChannel,
  outboxNotifyPayload,
  signalOutboxCommitted,
} from './outbox-signal';
import {
  LOG_START,
  type DuplicateMessage,
  type DuplicateMessages,
  type ExpectedVersion,
  type LogPosition,
  type NewEvent,
  type RecordedEvent,
} from './recorded-event';
import { eventStoreTables, type EventStoreTables } from './schema-tables';
import { asStoreEvent, inStoreSpan } from './store-span';
import { activeTraceparent } from './trace-context';
import { UpcasterRegistry } from './upcasters';
import { WriteGroups, type GroupAnswer } from './write-groups';

export interface AppendOptions {
  /** Messages published by the OutboxRelay once this append commits. */
  outbox?: readonly OutboxMessage[];
  /** Id of the message that caused this append; recorded in the inbox so a redelivery has no effect. */
  inboxMessageId?: string;
  /**
   * The ids of several messages that caused it (a group's, CommandHandler.handleAll), instead of
   * inboxMessageId: all recorded, or nothing written when the inbox holds any of them already.
   */
  inboxMessageIds?: readonly string[];
  /** Who handled the message(s) (a service's handler name); required with inboxMessageId(s). */
  inboxConsumer?: string;
  /**
   * Marks the stream as owing work outside the store (pendingWork), in this transaction, when events are
   * written: a worker that takes the work off the consumer path finds it again after a crash.
   */
  markPendingWork?: boolean;
  /**
   * The stream owes no work once these events are in (the worker's own append that finished it): its mark made
   * at or before the new version goes in this transaction, with the lease on it, as releasePendingWork with
   * `clearThrough` would clear it; a mark made later stays. Not with markPendingWork.
   */
  clearPendingWork?: boolean;
  /**
   * With markPendingWork: the mark comes with `holder`'s lease on the stream for `leaseMs` when no lease holds it
   * (none, or one run out), as claimPendingWork would take it, in this transaction: the worker the appending
   * replica hands the stream to starts without a claim of its own (Appended.leaseTaken says whether it was taken).
   * A lease held, this holder's included, is left as it is.
   */
  takeLease?: PendingWorkLease;
}

/** Whose lease on a stream's work, and for how long. */
export interface PendingWorkLease {
  readonly holder: string;
  readonly leaseMs: number;
}

/** A sweep's look at the marks: those no lease holds, made at least `idleForMs` ago (their owner is not on them). */
export interface PendingWorkSweep {
  readonly idleForMs: number;
}

/**
 * A claim's outcome: the lease is this holder's, with the stream's version as the claim saw it (a state cached at
 * that version is current: no read needed to start the work), or another's for `freeInMs` more.
 */
export type PendingWorkClaim =
  | { readonly claimed: true; readonly streamVersion: number }
  | { readonly claimed: false; readonly freeInMs: number };

export interface Appended {
  readonly kind: 'appended';
  /** The stream's version after the append: the version the next append should expect. */
  readonly nextExpectedVersion: number;
  /** Position of the last event written; null when no event was written (only inbox/outbox rows). */
  readonly lastPosition: LogPosition | null;
  /** The mark came with the lease AppendOptions.takeLease asked for: the holder's now, until it runs out. */
  readonly leaseTaken: boolean;
}

export type AppendResult = Appended | DuplicateMessage | DuplicateMessages;

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

export interface ReadStreamAndInboxOptions extends ReadStreamOptions {
  /** The messages to look up in the inbox (none by default). */
  inboxMessageIds?: readonly string[];
  /** Their consumer; required with inboxMessageIds. */
  inboxConsumer?: string;
}

export interface StreamAndInbox {
  readonly events: RecordedEvent[];
  /** Those of the messages looked up that the inbox holds: handled already. */
  readonly processedMessageIds: ReadonlySet<string>;
}

export interface EventStoreOptions {
  upcasters?: UpcasterRegistry;
  /**
   * Seals the patient identifier fields of every event's data at rest (default: the keyring of the environment,
   * NHSA_JOURNAL_KEYS; none there, they are written clear, which is for development only).
   */
  keyring?: Keyring;
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
  /** Seals patient identifiers at rest (events' data; the relay's quarantined payloads). */
  readonly keyring: Keyring;
  private readonly appendStatement: PreparedStatement;
  private readonly singleAppendStatement: PreparedStatement;
  private readonly readWithInboxStatement: PreparedStatement;
  /** Appends at an expected version, sent in groups (appendOnce). */
  private readonly appends = new WriteGroups(
    (requests: readonly AppendRequest[]) => this.writeAppends(requests),
    {
      keyOf: (request) => request.streamId,
    },
  );

  constructor(
    readonly dataSource: DataSource,
    options: EventStoreOptions = {},
  ) {
    this.tables = eventStoreTables(schemaOf(dataSource));
    this.appendStatement = prepared(appendStatement(this.tables));
    this.singleAppendStatement = prepared(singleAppendStatement(this.tables));
    this.readWithInboxStatement = prepared(readWithInboxStatement(this.tables));
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.keyring = options.keyring ?? Keyring.fromEnv();
  }

  /**
   * Appends events to a stream if it is at the expected version, in one transaction with the outbox
   * messages and the inbox records of the messages that caused them.
   *
   * One round trip at an expected version: one statement, its own transaction, that checks the version and the
   * inbox and writes the inbox, event and outbox rows and the pending-work mark (each a multi-row insert,
   * written only when the version matches and no message is a duplicate). At 'any', the same statement behind
   * a transaction-scoped advisory lock on the stream (three round trips), so that such writers take turns.
   * See appendOnce for why the order of transaction ids (what readAll orders by) is the order of versions.
   *
   * @throws ExpectedVersionConflictError when the stream is at another version.
   * @returns DuplicateMessage, or DuplicateMessages for `inboxMessageIds` (and writes nothing), when the
   * inbox already holds the message, or any of the messages.
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
    const { inboxMessageId, inboxMessageIds, inboxConsumer } = options;
    if (inboxMessageId !== undefined && inboxMessageIds !== undefined) {
      throw new EventStoreInputError('inboxMessageIds', 'cannot be given with inboxMessageId');
    }
    if (options.markPendingWork && options.clearPendingWork) {
      throw new EventStoreInputError('clearPendingWork', 'cannot be given with markPendingWork');
    }
    const { takeLease } = options;
    if (takeLease !== undefined) assertLease(takeLease);
    if (inboxMessageIds === undefined) assertInbox(inboxMessageId, inboxConsumer);
    else assertInboxMessages(inboxMessageIds, inboxConsumer);
    const inboxIds = inboxMessageIds ?? (inboxMessageId === undefined ? [] : [inboxMessageId]);
    const rows = events.map((e, i) => ({
      type: e.type,
      schemaVersion: e.schemaVersion ?? this.upcasters.currentVersion(e.type),
      data: toJsonText(sealFields(this.keyring, e.data, sealedIn.event(streamId)), `events[${i}].data`),
      metadata: toJsonText(e.metadata ?? {}, `events[${i}].metadata`),
    }));
    const traceparent = outbox.some((m) => m.traceparent === undefined) ? activeTraceparent() : null;

    const attributes = {
      'yb.event_store.stream_id': streamId,
      'yb.event_store.events': rows.length,
      'yb.event_store.outbox': outbox.length,
    };
    const request: AppendRequest = {
      streamId,
      expected,
      inboxIds,
      inboxConsumer: inboxConsumer ?? null,
      events: rows,
      outbox: outbox.map((m, i) => ({
        messageId: m.messageId,
        topic: m.topic,
        key: m.key,
        payload: wellFormed(m.payload),
        headers: toJsonText(m.headers ?? {}, `outbox[${i}].headers`),
        traceparent: m.traceparent === undefined ? traceparent : m.traceparent,
      })),
      mark: options.markPendingWork ?? false,
      clear: options.clearPendingWork ?? false,
      lease: takeLease ?? null,
    };
    return inStoreSpan('event-store append', attributes, async () => {
      for (let attempt = 1; ; attempt++) {
        let written: AppendRow;
        try {
          written = await this.appendOnce(request);
        } catch (err) {
          // Another consumer recorded one of the messages since the statement's snapshot (it waited for that
          // commit): once more, and the inbox check sees it.
          if (attempt === 1 && isInboxClash(err)) continue;
          throw asConflict(err, streamId, expectedVersion) ?? err;
        }
        const { version, handled, last_position, transaction_id, lease_taken } = written;
        const current = Number(version);
        // Nothing was written.
        if (expected !== null && expected !== current) {
          throw new ExpectedVersionConflictError(streamId, expectedVersion, current);
        }
        if (handled.length > 0) {
          const consumer = inboxConsumer as string;
          return inboxMessageIds === undefined
            ? { kind: 'duplicate-message', messageId: inboxIds[0], consumer }
            : {
                kind: 'duplicate-messages',
                messageIds: inboxIds.filter((id) => handled.includes(id)),
                consumer,
              };
        }
        if (outbox.length > 0) signalOutboxCommitted(this.dataSource);
        return {
          kind: 'appended',
          nextExpectedVersion: current + rows.length,
          lastPosition:
            last_position === null
              ? null
              : { transactionId: BigInt(transaction_id as string), globalPosition: BigInt(last_position) },
          leaseTaken: lease_taken === true,
        };
      }
    });
  }

  /**
   * The append's statement, its own transaction when the version is expected: one round trip shared with the other
   * appends asked for meanwhile (group commit, at most one statement of this store in flight; one stream at most
   * once per statement), each checked against its own stream's version and inbox, so each writes all of its rows
   * or none. A writer that committed after the statement's snapshot makes the event insert fail on the stream's
   * unique version (a conflict): the statement then wrote nothing, and its appends are sent again one by one, so
   * that only the one that met the race sees it. For 'any', the statement goes alone inside a transaction behind
   * the stream's advisory lock (writers take turns instead of failing). Either way a writer of version n + 1 saw
   * version n committed before its transaction id was taken, so the order of transaction ids (what readAll orders
   * by) is the order of the versions.
   */
  private async appendOnce(request: AppendRequest): Promise<AppendRow> {
    if (request.expected !== null) return this.appends.add(request);
    const t = this.tables;
    const client = await poolOf(this.dataSource).connect();
    let broken: Error | undefined;
    // A checked-out client has no pool listener: a connection reset (a failover) would be an uncaught 'error'
    // event, and end the process. Kept here instead: the statement in flight fails, the client is not reused.
    const lost = (error: Error) => (broken = error);
    client.on('error', lost);
    try {
      // One simple-protocol message (no parameters there): BEGIN and the lock in one round trip. The version is
      // read by the statement after the lock's, so that it sees the last holder's commit.
      await client.query(
        `BEGIN; SELECT pg_advisory_xact_lock(hashtext(${escapeLiteral(t.schema)}), hashtext(${escapeLiteral(request.streamId)}))`,
      );
      const { rows } = await client.query<AppendRow>(this.appendQuery([request]));
      await client.query('COMMIT');
      return rows[0];
    } catch (err) {
      // A connection that cannot even roll back is not given back to the pool.
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw err;
    } finally {
      client.removeListener('error', lost);
      client.release(broken);
    }
  }

  /** One statement for a group of appends at expected versions; after a failure, each alone (see appendOnce). */
  private async writeAppends(requests: readonly AppendRequest[]): Promise<GroupAnswer<AppendRow>[]> {
    try {
      const { rows } = await poolOf(this.dataSource).query<AppendRow>(this.appendQuery(requests));
      return rows.map((row) => ({ ok: true, value: row }));
    } catch (err) {
      if (requests.length === 1) return [{ ok: false, error: err as Error }];
      return Promise.all(requests.map(async (request) => (await this.writeAppends([request]))[0]!));
    }
  }

  /** The statement for these appends: the group's, or one append's alone. */
  private appendQuery(requests: readonly AppendRequest[]): PreparedStatement & { values: unknown[] } {
    const notify = this.notifyParameters();
    if (requests.length > 1)
      return { ...this.appendStatement, values: [...this.appendValues(requests), ...notify] };
    const [r] = requests;
    const values = [
      r.streamId,
      r.expected,
      r.events.map((e) => e.type),
      r.events.map((e) => e.schemaVersion),
      jsonArray(r.events.map((e) => e.data)),
      jsonArray(r.events.map((e) => e.metadata)),
      r.inboxIds,
      r.inboxConsumer,
      r.outbox.map((o) => o.messageId),
      r.outbox.map((o) => o.topic),
      r.outbox.map((o) => o.key),
      JSON.stringify(r.outbox.map((o) => o.payload)),
      jsonArray(r.outbox.map((o) => o.headers)),
      r.outbox.map((o) => o.traceparent),
      ...notify,
      r.mark,
      r.clear,
      r.lease?.holder ?? null,
      r.lease?.leaseMs ?? null,
    ];
    return { ...this.singleAppendStatement, values };
  }

  /** The NOTIFY's channel and payload: no channel when a relay of this process publishes the rows (woken in-process). */
  private notifyParameters(): unknown[] {
    return [
      hasOutboxListener(this.dataSource) ? null : outboxChannel(this.tables.schema),
      outboxNotifyPayload(this.dataSource),
    ];
  }

  /** The group statement's parameters ($1 … $22): a column per field, the rows of each append tagged by its index. */
  private appendValues(requests: readonly AppendRequest[]): unknown[] {
    const rows = <T>(pick: (request: AppendRequest) => readonly T[]) =>
      requests.flatMap((request, i) => pick(request).map((row) => ({ i: i + 1, row })));
    const events = rows((r) => r.events);
    const messages = rows((r) => r.inboxIds);
    const outbox = rows((r) => r.outbox);
    return [
      requests.map((r) => r.streamId),
      requests.map((r) => r.expected),
      requests.map((r) => r.inboxConsumer),
      requests.map((r) => r.mark),
      requests.map((r) => r.clear),
      requests.map((r) => r.lease?.holder ?? null),
      requests.map((r) => r.lease?.leaseMs ?? null),
      requests.map((r) => r.events.length),
      messages.map((m) => m.i),
      messages.map((m) => m.row),
      events.map((e) => e.i),
      events.map((e) => e.row.type),
      events.map((e) => e.row.schemaVersion),
      jsonArray(events.map((e) => e.row.data)),
      jsonArray(events.map((e) => e.row.metadata)),
      outbox.map((o) => o.i),
      outbox.map((o) => o.row.messageId),
      outbox.map((o) => o.row.topic),
      outbox.map((o) => o.row.key),
      JSON.stringify(outbox.map((o) => o.row.payload)),
      jsonArray(outbox.map((o) => o.row.headers)),
      outbox.map((o) => o.row.traceparent),
    ];
  }

  /**
   * The stream's events after `afterVersion` (as readStream gives them) and which of the messages the inbox
   * already holds for `inboxConsumer`, in one round trip: what a command handler needs before deciding.
   */
  async readStreamAndInbox(
    streamId: string,
    options: ReadStreamAndInboxOptions = {},
  ): Promise<StreamAndInbox> {
    assertStreamId(streamId);
    const afterVersion = assertAfterVersion(options.afterVersion ?? 0);
    const messageIds = options.inboxMessageIds ?? [];
    assertInboxMessages(messageIds, options.inboxConsumer);
    // One row with no event columns when the stream has no events after the version.
    const { rows } = await asStoreEvent('event-store read', { 'yb.event_store.stream_id': streamId }, () =>
      poolOf(this.dataSource).query<EventRow & { processed: string[] }>({
        ...this.readWithInboxStatement,
        values: [streamId, afterVersion, options.inboxConsumer ?? null, messageIds],
      }),
    );
    return {
      events: rows.filter((row) => row.stream_id !== null).map((row) => this.toRecordedEvent(row)),
      processedMessageIds: new Set(rows[0].processed),
    };
  }

  /**
   * The stream's events in version order (upcast to their newest shape), after `afterVersion` when given;
   * empty for an unknown stream.
   */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamId(streamId);
    const afterVersion = assertAfterVersion(options.afterVersion ?? 0);
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

  /**
   * Streams marked as owing work (AppendOptions.markPendingWork) whose id starts with `prefix`, oldest mark first;
   * with `sweep`, only those nobody holds a lease on and marked at least `idleForMs` ago (work no replica is on).
   */
  async pendingWork(prefix: string, limit = 1_000, sweep?: PendingWorkSweep): Promise<string[]> {
    const rows: { stream_id: string }[] = await this.dataSource.query(
      `SELECT stream_id FROM ${this.tables.pendingWork}
       WHERE starts_with(stream_id, $1)
         AND (NOT $3 OR ((leased_by IS NULL OR lease_until <= now())
                         AND marked_at <= now() - $4 * interval '1 millisecond'))
       ORDER BY marked_at LIMIT $2`,
      [prefix, limit, sweep !== undefined, sweep?.idleForMs ?? 0],
    );
    return rows.map((row) => row.stream_id);
  }

  /**
   * Clears the stream's mark if it was made at `version` or before: the worker finished with the stream as of
   * that version, and a mark made by a later append (work owed since) stays. Returns whether it was cleared.
   */
  async clearPendingWork(streamId: string, version: number): Promise<boolean> {
    const { rowCount } = await poolOf(this.dataSource).query(
      `DELETE FROM ${this.tables.pendingWork} WHERE stream_id = $1 AND stream_version <= $2`,
      [streamId, version],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * Claims the stream's work for `holder` for `leaseMs`, unless another holder's lease has not run out: a
   * conditional upsert, committed at once (no connection is held while the work runs). A stream with no mark
   * gets one at version 0 with the lease (its work is found done and cleared), so a claim always excludes.
   * The stream's version comes in the same statement: the work's first look at the stream, without a read.
   */
  async claimPendingWork(streamId: string, holder: string, leaseMs: number): Promise<PendingWorkClaim> {
    const {
      rows: [row],
    } = await poolOf(this.dataSource).query<{
      claimed: boolean;
      free_in_ms: string | null;
      stream_version: string;
    }>(
      `WITH claimed AS (
         INSERT INTO ${this.tables.pendingWork} AS pw (stream_id, stream_version, leased_by, lease_until)
         VALUES ($1, 0, $2, now() + $3 * interval '1 millisecond')
         ON CONFLICT (stream_id) DO UPDATE SET leased_by = EXCLUDED.leased_by, lease_until = EXCLUDED.lease_until
         WHERE pw.leased_by IS NULL OR pw.lease_until <= now()
         RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM claimed) AS claimed,
              (SELECT ceil(extract(epoch FROM lease_until - now()) * 1000)
               FROM ${this.tables.pendingWork} WHERE stream_id = $1) AS free_in_ms,
              (SELECT coalesce(max(stream_version), 0) FROM ${this.tables.events}
               WHERE stream_id = $1)::text AS stream_version`,
      [streamId, holder, leaseMs],
    );
    if (row.claimed) return { claimed: true, streamVersion: Number(row.stream_version) };
    return { claimed: false, freeInMs: Math.max(0, Number(row.free_in_ms ?? leaseMs)) };
  }

  /** Extends `holder`'s lease on the stream by `leaseMs` from now; false when it holds none any more. */
  async renewPendingWorkLease(streamId: string, holder: string, leaseMs: number): Promise<boolean> {
    const { rowCount } = await poolOf(this.dataSource).query(
      `UPDATE ${this.tables.pendingWork} SET lease_until = now() + $3 * interval '1 millisecond'
       WHERE stream_id = $1 AND leased_by = $2`,
      [streamId, holder, leaseMs],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * Gives up every lease `holder` holds on the streams whose id starts with `prefix`; returns how many. A
   * process calls it at start, before its first claim, for the leases its killed predecessor (same holder) left.
   */
  async releasePendingWorkHeldBy(prefix: string, holder: string): Promise<number> {
    const [, updated] = await this.dataSource.query(
      `UPDATE ${this.tables.pendingWork} SET leased_by = NULL, lease_until = NULL
       WHERE starts_with(stream_id, $1) AND leased_by = $2`,
      [prefix, holder],
    );
    return Number(updated);
  }

  /**
   * Gives up `holder`'s lease on the stream (its mark stays if work is still owed). With `clearThrough`, the
   * holder found the stream owing nothing as of that version: the mark goes with its lease, as clearPendingWork
   * would clear it, unless a later append made it again (then only the lease is given up): one round trip.
   */
  async releasePendingWork(streamId: string, holder: string, clearThrough?: number): Promise<void> {
    await poolOf(this.dataSource).query(
      `WITH cleared AS (
         DELETE FROM ${this.tables.pendingWork} WHERE stream_id = $1 AND stream_version <= $3::bigint
         RETURNING 1
       )
       UPDATE ${this.tables.pendingWork} SET leased_by = NULL, lease_until = NULL
       WHERE stream_id = $1 AND leased_by = $2 AND NOT EXISTS (SELECT FROM cleared)`,
      [streamId, holder, clearThrough ?? null],
    );
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
      openFields(this.keyring, row.data, sealedIn.event(row.stream_id)),
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

/**
 * What a sealed identifier in an event is bound to (with its field name): its stream, so that a value copied into
 * another stream's event does not open there.
 */
/**
 * The mark's upsert taking the holder's lease (EXCLUDED.leased_by, null when none is asked for) where no lease holds
 * the stream, none or one run out: the CASEs see the row as it was when the upsert locked it.
 */
const MARK_TAKING_A_FREE_LEASE = `ON CONFLICT (stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version, marked_at = now(),
      leased_by = CASE WHEN EXCLUDED.leased_by IS NOT NULL AND (pw.leased_by IS NULL OR pw.lease_until <= now())
                       THEN EXCLUDED.leased_by ELSE pw.leased_by END,
      lease_until = CASE WHEN EXCLUDED.leased_by IS NOT NULL AND (pw.leased_by IS NULL OR pw.lease_until <= now())
                         THEN EXCLUDED.lease_until ELSE pw.lease_until END`;

/**
 * The appends' one statement, for a group of appends at expected versions, one per stream ($1 … $8: one element
 * per append; the inbox, event and outbox rows tagged with their append's index, 1-based): each stream's version
 * and which of its messages the inbox holds already; for each append whose version is the expected one and none of
 * whose messages is, the inbox rows, the events, the pending-work mark (or its clearing; with the lease,
 * `takeLease`) and the outbox rows, with one NOTIFY (delivered on commit only) when asked. The others write nothing, so nothing needs rolling
 * back. Data-modifying CTEs all run; each insert draws its rows from the gate. An inbox row another transaction
 * committed after this statement's snapshot fails the inbox insert (no ON CONFLICT: nothing may be written for a
 * message handled), as an event of a version another committed fails the events' unique version. One row per
 * append, in order.
 */
function appendStatement(t: EventStoreTables): string {
  return `WITH appends AS (
    SELECT * FROM ROWS FROM (unnest($1::text[]), unnest($2::bigint[]), unnest($3::text[]), unnest($4::boolean[]),
      unnest($5::boolean[]), unnest($6::text[]), unnest($7::int[]), unnest($8::int[]))
      WITH ORDINALITY AS a(stream_id, expected, consumer, mark, clear, holder, lease_ms, events, i)
  ), current AS (
    SELECT a.i, coalesce((SELECT max(stream_version) FROM ${t.events} WHERE stream_id = a.stream_id), 0)::bigint AS version
    FROM appends a
  ), messages AS (
    SELECT * FROM ROWS FROM (unnest($9::int[]), unnest($10::text[])) AS m(i, message_id)
  ), handled AS (
    SELECT a.i, array(SELECT m.message_id FROM messages m JOIN ${t.inbox} AS ib
                      ON ib.message_id = m.message_id AND ib.consumer = a.consumer WHERE m.i = a.i) AS ids
    FROM appends a
  ), accepted AS (
    SELECT a.*, c.version FROM appends a JOIN current c USING (i) JOIN handled h USING (i)
    WHERE c.version = a.expected AND cardinality(h.ids) = 0
  ), inboxed AS (
    INSERT INTO ${t.inbox} (message_id, consumer)
    SELECT m.message_id, a.consumer FROM accepted a JOIN messages m USING (i)
    RETURNING message_id
  ), written AS (
    INSERT INTO ${t.events} (stream_id, stream_version, type, schema_version, data, metadata)
    SELECT a.stream_id, a.version + u.n, u.type, u.schema_version, u.data, u.metadata
    FROM (SELECT *, row_number() OVER (PARTITION BY u.i ORDER BY u.ord) AS n
          FROM ROWS FROM (unnest($11::int[]), unnest($12::text[]), unnest($13::int[]), jsonb_array_elements($14::jsonb),
            jsonb_array_elements($15::jsonb)) WITH ORDINALITY AS u(i, type, schema_version, data, metadata, ord)) u
    JOIN accepted a USING (i)
    ORDER BY u.ord
    RETURNING stream_id, global_position, transaction_id
  ), marked AS (
    -- The stream owes work outside the store (AppendOptions.markPendingWork) once these events are in; with
    -- AppendOptions.takeLease, the holder's lease comes with the mark where no lease holds the stream (the CASEs
    -- see the row as it was). Taken, the lease runs out at this transaction's now() + lease_ms: so it is told.
    INSERT INTO ${t.pendingWork} AS pw (stream_id, stream_version, leased_by, lease_until)
    SELECT a.stream_id, a.version + a.events, a.holder, now() + a.lease_ms * interval '1 millisecond'
    FROM accepted a
    WHERE a.mark AND a.events > 0
    ${MARK_TAKING_A_FREE_LEASE}
    RETURNING stream_id, leased_by, lease_until
  ), cleared AS (
    -- The stream owes nothing once these events are in (AppendOptions.clearPendingWork): its mark goes, lease and all.
    DELETE FROM ${t.pendingWork} AS pw USING accepted a
    WHERE a.clear AND pw.stream_id = a.stream_id AND pw.stream_version <= a.version + a.events
    RETURNING 1
  ), queued AS (
    INSERT INTO ${t.outbox} (message_id, topic, message_key, payload, headers, traceparent)
    SELECT u.message_id, u.topic, u.message_key, u.payload, u.headers, u.traceparent
    FROM ROWS FROM (unnest($16::int[]), unnest($17::uuid[]), unnest($18::text[]), unnest($19::text[]),
      jsonb_array_elements_text($20::jsonb), jsonb_array_elements($21::jsonb), unnest($22::text[]))
      WITH ORDINALITY AS u(i, message_id, topic, message_key, payload, headers, traceparent, ord)
    JOIN accepted a USING (i)
    ORDER BY u.ord
    RETURNING 1
  )
  SELECT c.version::text AS version, h.ids AS handled,
         (SELECT max(w.global_position) FROM written w WHERE w.stream_id = a.stream_id)::text AS last_position,
         (SELECT max(w.transaction_id) FROM written w WHERE w.stream_id = a.stream_id)::text AS transaction_id,
         coalesce((SELECT mk.leased_by = a.holder AND mk.lease_until = now() + a.lease_ms * interval '1 millisecond'
                   FROM marked mk WHERE mk.stream_id = a.stream_id), false) AS lease_taken,
         n.notified
  FROM appends a JOIN current c USING (i) JOIN handled h USING (i)
  -- Delivered on commit only, once: wakes relays in other processes when none runs on the appender's DataSource.
  LEFT JOIN (SELECT pg_notify($23, $24) AS notified WHERE $23::text IS NOT NULL AND EXISTS (SELECT FROM queued)) n ON true
  ORDER BY a.i`;
}

/**
 * The same for one append ($1 … $20: its fields), what an append goes as alone (a group of one, or at 'any'): the
 * group's statement, planned afresh for each call (PostgreSQL keeps custom plans for its arrays of unknown length),
 * took twice as long for one append (1.2 against 0.5 ms, one after another).
 */
function singleAppendStatement(t: EventStoreTables): string {
  return `WITH current AS (
    SELECT coalesce(max(stream_version), 0)::bigint AS version FROM ${t.events} WHERE stream_id = $1
  ), handled AS (
    SELECT array(SELECT message_id FROM ${t.inbox} WHERE consumer = $8 AND message_id = ANY($7::text[])) AS ids
  ), accepted AS (
    SELECT version FROM current, handled
    WHERE ($2::bigint IS NULL OR version = $2::bigint) AND cardinality(handled.ids) = 0
  ), inboxed AS (
    INSERT INTO ${t.inbox} (message_id, consumer)
    SELECT m.id, $8 FROM accepted, unnest($7::text[]) AS m(id)
    RETURNING message_id
  ), written AS (
    INSERT INTO ${t.events} (stream_id, stream_version, type, schema_version, data, metadata)
    SELECT $1, accepted.version + u.n, u.type, u.schema_version, u.data, u.metadata
    FROM accepted, ROWS FROM (unnest($3::text[]), unnest($4::int[]), jsonb_array_elements($5::jsonb),
      jsonb_array_elements($6::jsonb)) WITH ORDINALITY AS u(type, schema_version, data, metadata, n)
    ORDER BY u.n
    RETURNING global_position, transaction_id
  ), marked AS (
    -- The stream owes work outside the store (AppendOptions.markPendingWork) once these events are in; with
    -- AppendOptions.takeLease, $19's lease for $20 ms comes with the mark where no lease holds the stream (the
    -- CASEs see the row as it was). Taken, the lease runs out at this transaction's now() + $20: so it is told.
    INSERT INTO ${t.pendingWork} AS pw (stream_id, stream_version, leased_by, lease_until)
    SELECT $1, accepted.version + cardinality($3::text[]), $19::text, now() + $20::int * interval '1 millisecond'
    FROM accepted
    WHERE $17::boolean AND cardinality($3::text[]) > 0
    ${MARK_TAKING_A_FREE_LEASE}
    RETURNING leased_by = $19::text AND lease_until = now() + $20::int * interval '1 millisecond' AS lease_taken
  ), cleared AS (
    -- The stream owes nothing once these events are in (AppendOptions.clearPendingWork): its mark goes, lease and all.
    DELETE FROM ${t.pendingWork} AS pw USING accepted
    WHERE $18::boolean AND pw.stream_id = $1 AND pw.stream_version <= accepted.version + cardinality($3::text[])
    RETURNING 1
  ), queued AS (
    INSERT INTO ${t.outbox} (message_id, topic, message_key, payload, headers, traceparent)
    SELECT u.message_id, u.topic, u.message_key, u.payload, u.headers, u.traceparent
    FROM accepted, ROWS FROM (unnest($9::uuid[]), unnest($10::text[]), unnest($11::text[]),
      jsonb_array_elements_text($12::jsonb), jsonb_array_elements($13::jsonb), unnest($14::text[]))
      WITH ORDINALITY AS u(message_id, topic, message_key, payload, headers, traceparent, n)
    ORDER BY u.n
    RETURNING 1
  )
  SELECT (SELECT version FROM current)::text AS version,
         (SELECT ids FROM handled) AS handled,
         (SELECT max(global_position) FROM written)::text AS last_position,
         (SELECT max(transaction_id) FROM written)::text AS transaction_id,
         coalesce((SELECT lease_taken FROM marked), false) AS lease_taken,
         -- Delivered on commit only: wakes relays in other processes when none runs on the appender's DataSource.
         (SELECT pg_notify($15, $16) WHERE $15::text IS NOT NULL AND EXISTS (SELECT FROM queued)) AS notified`;
}

/**
 * JSON texts as one JSON array, the append's parameter for a column of JSON values: pg would send a text[] of them
 * as an array literal, escaping every element with two regular expressions (a quarter of fee-detail's allocation
 * under load, 6 Dec), and PostgreSQL would parse each twice (the literal, then the jsonb).
 */
function jsonArray(texts: readonly string[]): string {
  return `[${texts.join(',')}]`;
}

const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * The text with each lone surrogate as U+FFFD, as pg writes a string into UTF-8: in a JSON parameter it would be a
 * \u escape PostgreSQL refuses.
 */
function wellFormed(text: string): string {
  return LONE_SURROGATE.test(text) ? text.replace(/\p{Surrogate}/gu, '\uFFFD') : text;
}

/** One append as the statement takes it: its options checked, its JSON texts made. */
interface AppendRequest {
  readonly streamId: string;
  /** null: 'any' (behind the stream's advisory lock). */
  readonly expected: number | null;
  readonly inboxIds: readonly string[];
  readonly inboxConsumer: string | null;
  readonly events: readonly { type: string; schemaVersion: number; data: string; metadata: string }[];
  readonly outbox: readonly {
    messageId: string;
    topic: string;
    key: string | null;
    payload: string;
    headers: string;
    traceparent: string | null;
  }[];
  readonly mark: boolean;
  readonly clear: boolean;
  readonly lease: PendingWorkLease | null;
}

/** The append statement's row for one append. */
interface AppendRow {
  version: string;
  handled: string[];
  last_position: string | null;
  transaction_id: string | null;
  lease_taken: boolean;
}

/** The stream's events after a version, and which of the messages the inbox holds (one row when no event). */
function readWithInboxStatement(t: EventStoreTables): string {
  return `SELECT p.processed, e.*
  FROM (SELECT array(SELECT message_id FROM ${t.inbox}
                     WHERE consumer = $3 AND message_id = ANY($4::text[])) AS processed) p
  LEFT JOIN LATERAL (
    SELECT ${EVENT_COLUMNS} FROM ${t.events} WHERE stream_id = $1 AND stream_version > $2
  ) e ON true
  ORDER BY e.stream_version`;
}

interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * A statement pg prepares once per connection (parsed and planned once, not per call), named after its text:
 * names are cut at 63 bytes, and one name must never stand for two texts (a schema's tables are in the text).
 */
function prepared(text: string): PreparedStatement {
  return { name: `event-store:${createHash('sha256').update(text).digest('hex').slice(0, 32)}`, text };
}

function assertAfterVersion(afterVersion: number): number {
  if (!Number.isSafeInteger(afterVersion) || afterVersion < 0) {
    throw new EventStoreInputError('afterVersion', `must be an integer >= 0, got ${afterVersion}`);
  }
  return afterVersion;
}

/** A unique violation on the inbox's key: another consumer recorded the message meanwhile. */
function isInboxClash(err: unknown): boolean {
  const driverError = err as { code?: string; table?: string };
  return driverError.code === '23505' && driverError.table === 'inbox';
}

/** A unique violation on (stream_id, stream_version): another writer appended since the version was read. */
function asConflict(
  err: unknown,
  streamId: string,
  expected: ExpectedVersion,
): ExpectedVersionConflictError | null {
  const driverError = err as { code?: string; constraint?: string };
  if (driverError.code === '23505' && driverError.constraint === 'events_stream_version_unique') {
    return new ExpectedVersionConflictError(streamId, expected, null);
  }
  return null;
}
