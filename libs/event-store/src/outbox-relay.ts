import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { type PartitionedMessage, isMessageTooLarge, sendAcknowledged } from '@yb/messaging';
import { type Keyring, sealFields, sealedIn } from '@yb/sealing';
import {
  type Admin,
  CompressionTypes,
  ConfigResourceTypes,
  type DescribeConfigResponse,
  type Kafka,
  type PartitionMetadata,
  Partitioners,
  type Producer,
} from 'kafkajs';
import { escapeLiteral, type PoolClient, type QueryResult } from 'pg';
import { withPoolClient } from './data-source-pool';
import { type EventStore } from './event-store';
import { MESSAGE_ID_HEADER } from './outbox-message';
import { OutboxNotificationListener } from './outbox-notification-listener';
import { onOutboxCommitted, outboxChannel, outboxNotifyPayload } from './outbox-signal';
import { PollLoop, type PollStepResult } from './poll-loop';
import { type EventStoreTables } from './schema-tables';
import { contextFromTraceparent, traceparentOf } from './trace-context';

export interface OutboxRelayOptions {
  /**
   * Rows per batch at most, published in one produce request and deleted in one statement (default 200). A batch
   * also stops before a row that would take a partition's share of the request past its topic's max.message.bytes.
   */
  batchSize?: number;
  /**
   * The fallback poll when no wake-up came (ms, default 1000), and the pause after a failure. Appends
   * wake the relay (in-process, and by NOTIFY from other processes), so this only bounds how long a
   * lost notification can delay a row.
   */
  pollIntervalMs?: number;
  /** Told when a batch fails (its rows stay and are tried again) or the LISTEN connection drops. */
  onError?: (error: unknown) => void;
  /** Told after each batch Kafka acknowledged and that was deleted from the outbox. */
  onPublished?: (count: number) => void;
  /**
   * Told of a row Kafka refused as too large even alone and compressed, after it was moved to the outbox
   * quarantine with the reason (e.g. to log and count it): the rows behind it go on.
   */
  onQuarantined?: (row: { messageId: string; topic: string; bytes: number; reason: string }) => void;
  /**
   * Told when committed rows wait for an older transaction still running that wrote to the outbox (the
   * ordering rule below: a long transaction writing the outbox delays every message behind it), or when the
   * schema's turn was another relay's; either way the relay looks again soon.
   */
  onHeldBack?: () => void;
}

interface OutboxRow {
  id: string;
  message_id: string;
  topic: string;
  message_key: string | null;
  payload: string;
  headers: Record<string, string>;
  traceparent: string | null;
  /** No older transaction that wrote to this outbox is still running (or ended unseen): may be published now. */
  ready: boolean;
}

// Rows held back by an older transaction still running go once it ends, which no notification may
// announce (it need not write to the outbox): look again soon, backing off while it runs long. So does a
// relay that found the turn another's: rows appended on its DataSource send no NOTIFY to that relay.
const HELD_BACK_FIRST_PAUSE_MS = 5;
const HELD_BACK_MAX_PAUSE_MS = 200;
const LISTEN_RECONNECT_DELAY_MS = 1_000;
/** Topic metadata (partitions, max.message.bytes) is read again after this long, as kafkajs's own metadataMaxAge. */
const TOPIC_LIMITS_MAX_AGE_MS = 300_000;
/**
 * Room left under max.message.bytes for what the byte count of the rows leaves out: the record batch's header
 * (61 bytes) and the varints framing each record (a few bytes each), counted generously.
 */
const BATCH_FRAMING_BYTES = 1_024;
const RECORD_FRAMING_BYTES = 64;
/**
 * A produce request this large or larger goes gzip-compressed, a smaller one as it is. Compressing a saga's few
 * records costs more than it saves: the relay deflates and every consumer group inflates them, skipped or not, on
 * each hop (measured: a hop's delivery p50 5 → 3 ms and 10–20 % less CPU per saga in every service uncompressed).
 */
const GZIP_FROM_BYTES = 16_384;
/** Kafka's default message.max.bytes, for a topic whose own setting cannot be read. */
const KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

interface TopicLimits {
  partitions: PartitionMetadata[];
  maxMessageBytes: number;
  readAt: number;
}

/** A row bound for a partition, and what it adds to that partition's record batch before compression. */
interface PlannedRow {
  row: OutboxRow;
  partition: number;
  bytes: number;
}

const tracer = trace.getTracer('@yb/event-store');

/**
 * Publishes the outbox to Kafka, at least once and in order per message key.
 *
 * - Woken rather than polling: right after an append with outbox rows commits on the relay's
 *   DataSource, and by the NOTIFY such an append sends on the schema's channel from a DataSource no relay
 *   of its own process listens to (heard on a LISTEN connection of the relay's own, reconnected when it
 *   drops); a slow fallback poll covers a lost notification. A relay that finds the turn another's (another
 *   replica's relay) looks again soon, as for rows held back: its own appends sent that relay no NOTIFY.
 * - Rows are read in (transaction_id, id) order, and only those of transactions older than every one
 *   still running that wrote to this outbox: an id is taken at insert, so a transaction committing late
 *   could otherwise put an earlier row of a key behind a later one. Other transactions (another schema's,
 *   the platform journal's) hold nothing back: on a shared server they always run, and waiting for them
 *   cost each hop of a saga up to 200 ms. Rows held back are looked at again within milliseconds.
 * - The producer is idempotent with one request in flight and acks from all replicas, so a batch
 *   lands in order without gaps; rows are deleted only after Kafka acknowledged them. A relay killed
 *   in between publishes them again on restart: consumers deduplicate by message id.
 * - One relay publishes at a time per schema (a transaction-scoped advisory lock), which keeps the
 *   per-key order when several instances run.
 * - Batches stay under each partition's max.message.bytes, gzip-compressed from 16 KiB; a row too large even alone
 *   and compressed is quarantined with the reason rather than blocking every row behind it (planBatch).
 * - Each message is sent inside an `outbox.publish` span, the child of the traceparent stored with
 *   the row, and carries that span's traceparent header.
 */
export class OutboxRelay {
  private readonly producer: Producer;
  /** Reads partitions and max.message.bytes of the topics written to. */
  private readonly admin: Admin;
  private readonly topicLimits = new Map<string, TopicLimits>();
  /** The producer's partitioner, run here to know each row's partition (and set it) before sending. */
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly batchSize: number;
  private readonly loop: PollLoop;
  private readonly notifications: OutboxNotificationListener;
  private unsubscribe: (() => void) | null = null;
  private heldBackPauseMs = HELD_BACK_FIRST_PAUSE_MS;
  private connected: Promise<void> | null = null;
  /** The simple query that begins a batch's transaction, takes the schema's turn and reads the rows. */
  private readonly beginAndRead: string;

  constructor(
    private readonly store: EventStore,
    kafka: Kafka,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.admin = kafka.admin();
    this.batchSize = options.batchSize ?? 200;
    this.beginAndRead = beginAndReadStatements(store.tables, this.batchSize);
    const onError = options.onError ?? (() => undefined);
    this.loop = new PollLoop(() => this.step(), { intervalMs: options.pollIntervalMs ?? 1_000, onError });
    this.notifications = new OutboxNotificationListener(
      store.dataSource,
      outboxChannel(store.tables.schema),
      () => this.loop.wake(),
      {
        reconnectDelayMs: LISTEN_RECONNECT_DELAY_MS,
        ignoredPayload: outboxNotifyPayload(store.dataSource),
        onError,
      },
    );
  }

  /**
   * Publishes one batch of pending rows; returns how many were published (0 when there are none
   * that may go yet, or another relay holds the turn).
   */
  async publishPending(): Promise<number> {
    return (await this.publishBatch()).published;
  }

  /** Publishes as rows come until stopped. */
  start(): void {
    this.unsubscribe ??= onOutboxCommitted(this.store.dataSource, () => this.loop.wake());
    this.notifications.start();
    this.loop.start();
  }

  /** Lets the batch in progress finish (published and deleted), then disconnects. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.notifications.stop();
    await this.loop.stop();
    if (this.connected) {
      this.connected = null;
      await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
    }
  }

  private async step(): Promise<PollStepResult> {
    const { published, heldBack, more } = await this.publishBatch();
    if (more) return true;
    if (published === this.batchSize) return true;
    if (!heldBack) {
      this.heldBackPauseMs = HELD_BACK_FIRST_PAUSE_MS;
      return false;
    }
    const pauseMs = this.heldBackPauseMs;
    this.heldBackPauseMs = Math.min(pauseMs * 2, HELD_BACK_MAX_PAUSE_MS);
    return pauseMs;
  }

  /**
   * `more`: rows were left for the next batch by the byte cap, or one was quarantined: look again at once.
   * `heldBack`: rows wait for an older transaction, or the turn was another relay's: look again soon.
   *
   * One transaction on a connection of the pool, two round trips when rows go: the first begins it, takes the
   * schema's turn and reads the rows (three statements of one simple query); the second deletes what Kafka
   * acknowledged and commits. A connection that was reset, or could not roll back, is closed, not pooled.
   */
  private async publishBatch(): Promise<{ published: number; heldBack: boolean; more: boolean }> {
    await this.connect();
    return withPoolClient(this.store.dataSource, async (client, discard) => {
      try {
        const { outcome, end } = await this.publishIn(client);
        await client.query(end);
        if (outcome.published > 0) this.options.onPublished?.(outcome.published);
        return outcome;
      } catch (err) {
        await client.query('ROLLBACK').catch(discard);
        throw err;
      }
    });
  }

  /** The batch's work inside the transaction, and the statements that end it. */
  private async publishIn(
    client: PoolClient,
  ): Promise<{ outcome: { published: number; heldBack: boolean; more: boolean }; end: string }> {
    const nothing = (heldBack: boolean) => ({
      outcome: { published: 0, heldBack, more: false },
      end: 'COMMIT',
    });
    const [, turn, read] = (await client.query(this.beginAndRead)) as unknown as [
      QueryResult,
      QueryResult<{ turn: boolean }>,
      QueryResult<OutboxRow>,
    ];
    if (!turn.rows[0]!.turn) {
      // Another relay's turn: rows appended on this relay's DataSource since that relay's read told it nothing.
      this.options.onHeldBack?.();
      return nothing(true);
    }
    const ready = read.rows.filter((r) => r.ready);
    const heldBack = ready.length < read.rows.length;
    if (heldBack) this.options.onHeldBack?.();
    if (ready.length === 0) return nothing(heldBack);
    const batch = await this.planBatch(ready);
    try {
      await this.send(batch);
    } catch (err) {
      // Only a row over the cap goes alone; the broker refusing it even compressed does not pass with time.
      if (batch.length !== 1 || !isMessageTooLarge(err)) throw err;
      await this.quarantine(client, batch[0]!);
      return { outcome: { published: 0, heldBack, more: true }, end: 'COMMIT' };
    }
    return {
      outcome: { published: batch.length, heldBack, more: batch.length < ready.length },
      // The ids are the table's bigints as read: digits only.
      end: `DELETE FROM ${this.store.tables.outbox} WHERE id IN (${batch.map((b) => b.row.id).join(', ')}); COMMIT`,
    };
  }

  private connect(): Promise<void> {
    this.connected ??= Promise.all([this.producer.connect(), this.admin.connect()]).then(
      () => undefined,
      (err: unknown) => {
        this.connected = null;
        throw err;
      },
    );
    return this.connected;
  }

  /**
   * The ready rows, in order, up to the first that would take its partition's record batch past the topic's
   * max.message.bytes (counted before compression, so that it holds whatever compression achieves): Kafka refuses
   * a batch over the limit whole, and kafkajs, having rolled back its idempotent sequence numbers for every
   * partition of a request that failed, would resend what other partitions had written. A first row over the limit
   * by itself goes alone: compressed it may still fit.
   */
  private async planBatch(ready: OutboxRow[]): Promise<PlannedRow[]> {
    const limits = await this.limitsOf([...new Set(ready.map((r) => r.topic))]);
    const used = new Map<string, number>();
    const batch: PlannedRow[] = [];
    for (const row of ready) {
      const { partitions, maxMessageBytes } = limits.get(row.topic)!;
      const partition = this.partitioner({
        topic: row.topic,
        partitionMetadata: partitions,
        message: { key: row.message_key, value: row.payload },
      });
      const bytes = recordBytes(row);
      const filled = (used.get(`${row.topic}/${partition}`) ?? 0) + bytes;
      if (filled > maxMessageBytes - BATCH_FRAMING_BYTES) {
        if (batch.length === 0) batch.push({ row, partition, bytes });
        break;
      }
      used.set(`${row.topic}/${partition}`, filled);
      batch.push({ row, partition, bytes });
    }
    return batch;
  }

  private async limitsOf(topics: string[]): Promise<Map<string, TopicLimits>> {
    const now = Date.now();
    const stale = topics.filter(
      (topic) => !(now - (this.topicLimits.get(topic)?.readAt ?? 0) < TOPIC_LIMITS_MAX_AGE_MS),
    );
    if (stale.length > 0) {
      const [metadata, configs] = await Promise.all([
        this.admin.fetchTopicMetadata({ topics: stale }),
        // A broker whose ACLs deny DescribeConfigs to the service still gets the default limit.
        this.admin
          .describeConfigs({
            includeSynonyms: false,
            resources: stale.map((name) => ({
              type: ConfigResourceTypes.TOPIC,
              name,
              configNames: ['max.message.bytes'],
            })),
          })
          .catch(() => ({ resources: [] as DescribeConfigResponse['resources'] })),
      ]);
      for (const topic of stale) {
        const entry = configs.resources
          .find((r) => r.resourceName === topic)
          ?.configEntries.find((c) => c.configName === 'max.message.bytes');
        this.topicLimits.set(topic, {
          partitions: metadata.topics.find((m) => m.name === topic)!.partitions,
          maxMessageBytes: entry ? Number(entry.configValue) : KAFKA_DEFAULT_MAX_MESSAGE_BYTES,
          readAt: now,
        });
      }
    }
    return new Map(topics.map((topic) => [topic, this.topicLimits.get(topic)!]));
  }

  /** Moves a row Kafka refused as too large out of the outbox, with the reason, so that the rows behind it go. */
  private async quarantine(client: PoolClient, { row, bytes }: PlannedRow): Promise<void> {
    const t = this.store.tables;
    const limit = this.topicLimits.get(row.topic)?.maxMessageBytes;
    const reason =
      `Kafka refused the message as too large for ${row.topic} (max.message.bytes ${limit}): ` +
      `${bytes} bytes before compression, still over the limit gzip-compressed`;
    // Kept until a person deals with it, unlike an outbox row: its patient identifiers are sealed.
    await client.query(
      `WITH moved AS (DELETE FROM ${t.outbox} WHERE id = $1 RETURNING *)
       INSERT INTO ${t.outboxQuarantine}
         (id, message_id, topic, message_key, payload, headers, traceparent, created_at, reason)
       SELECT id, message_id, topic, message_key, $3, headers, traceparent, created_at, $2 FROM moved`,
      [row.id, reason, sealedPayload(this.store.keyring, row)],
    );
    this.options.onQuarantined?.({ messageId: row.message_id, topic: row.topic, bytes, reason });
  }

  private async send(batch: PlannedRow[]): Promise<void> {
    const spans: Span[] = [];
    const byTopic = new Map<string, PartitionedMessage[]>();
    for (const { row, partition } of batch) {
      const parent = row.traceparent ? contextFromTraceparent(row.traceparent) : context.active();
      const span = tracer.startSpan(
        'outbox.publish',
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'send',
            'messaging.destination.name': row.topic,
            'messaging.message.id': row.message_id,
          },
        },
        parent,
      );
      spans.push(span);
      // Without a tracer provider the span is a no-op; the stored traceparent still goes out.
      const traceparent = traceparentOf(trace.setSpan(parent, span)) ?? row.traceparent;
      const headers: Record<string, string> = { ...row.headers, [MESSAGE_ID_HEADER]: row.message_id };
      if (traceparent) headers.traceparent = traceparent;
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({ key: row.message_key, value: row.payload, headers, partition });
      byTopic.set(row.topic, messages);
    }
    try {
      // Checked partition by partition: kafkajs can answer a send with a partition left out (sendAcknowledged).
      await sendAcknowledged(this.producer, {
        acks: -1,
        compression: relayCompression(batch.reduce((sum, { bytes }) => sum + bytes, 0)),
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (err) {
      for (const span of spans) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      }
      throw err;
    } finally {
      for (const span of spans) span.end();
    }
  }
}

/**
 * How the relay compresses a produce request of `bytes` (its rows' size before compression): none for a small
 * one, gzip from GZIP_FROM_BYTES, always for a row over a topic's limit by itself (it may fit compressed). gzip:
 * every Kafka client reads it (the HIS's among them), kafkajs without extra codecs included.
 */
export function relayCompression(bytes: number): CompressionTypes {
  return bytes >= GZIP_FROM_BYTES ? CompressionTypes.GZIP : CompressionTypes.None;
}

/**
 * What a row adds to its partition's record batch before compression: key, payload, headers (those stored, plus
 * the message id and the traceparent added when sending: a uuid and 55 characters) and each one's framing.
 */
function recordBytes(row: OutboxRow): number {
  const headers = Object.entries(row.headers).map(
    ([name, value]) => Buffer.byteLength(name) + Buffer.byteLength(value),
  );
  headers.push(MESSAGE_ID_HEADER.length + 36, 'traceparent'.length + 55);
  return (
    Buffer.byteLength(row.payload) +
    Buffer.byteLength(row.message_key ?? '') +
    RECORD_FRAMING_BYTES +
    headers.reduce((sum, bytes) => sum + bytes + 10, 0)
  );
}

/**
 * A quarantined payload with its patient identifier fields sealed, bound like the message's own (openFields with
 * sealedIn.message(<message id>) reads it; fields outboxMessageOf sealed already stay as they are); one that is not
 * JSON (no envelope of ours) as it was.
 */
function sealedPayload(keyring: Keyring, row: OutboxRow): string {
  let document: unknown;
  try {
    document = JSON.parse(row.payload);
  } catch {
    return row.payload;
  }
  const sealed = sealFields(keyring, document, sealedIn.message(row.message_id));
  return sealed === document ? row.payload : JSON.stringify(sealed);
}

/**
 * BEGIN, the schema's turn (one relay publishes at a time per schema: a transaction-scoped advisory lock, which
 * keeps the per-key order when several instances run) and the rows, as one simple query: its values are literals
 * (the schema's name and the outbox's, checked identifiers; the batch size, a number), so it takes one round trip.
 *
 * Ready rows come first in this order; the first one that is not marks where to stop. A row is ready when no
 * older transaction that may still put rows ahead of it runs: older than the oldest one running (the cheap test),
 * or else none of the older ones running has written to this outbox (it holds the table's RowExclusiveLock until
 * it ends) or ended since the snapshot (its rows may be committed but unseen). Transactions on other schemas,
 * other databases or other tables of this one hold nothing back.
 */
function beginAndReadStatements(t: EventStoreTables, batchSize: number): string {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new TypeError(`batchSize must be a whole number > 0, got ${batchSize}`);
  return `BEGIN ISOLATION LEVEL READ COMMITTED;
    SELECT pg_try_advisory_xact_lock(hashtext(${escapeLiteral(t.schema)}), hashtext('outbox-relay')) AS turn;
    SELECT id, message_id, topic, message_key, payload, headers, traceparent,
      transaction_id < pg_snapshot_xmin(pg_current_snapshot()) OR NOT EXISTS (
        SELECT FROM pg_snapshot_xip(pg_current_snapshot()) AS running(xid)
        WHERE running.xid < o.transaction_id
          AND (pg_xact_status(running.xid) IS DISTINCT FROM 'in progress'
               OR running.xid::xid IN (
                 SELECT own.transactionid FROM pg_locks AS outbox_lock
                 JOIN pg_locks AS own ON own.virtualtransaction = outbox_lock.virtualtransaction
                 WHERE outbox_lock.locktype = 'relation'
                   AND outbox_lock.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND outbox_lock.relation = ${escapeLiteral(t.outbox)}::regclass
                   AND outbox_lock.mode = 'RowExclusiveLock'
                   AND own.locktype = 'transactionid'))
      ) AS ready
    FROM ${t.outbox} AS o
    ORDER BY transaction_id, id
    LIMIT ${batchSize}`;
}
