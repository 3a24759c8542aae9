import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';
import { type EventStore } from './event-store';
import { MESSAGE_ID_HEADER } from './outbox-message';
import { PollLoop } from './poll-loop';
import { contextFromTraceparent, traceparentOf } from './trace-context';

export interface OutboxRelayOptions {
  /** Rows per poll, published in one produce request and marked in one update (default 200). */
  batchSize?: number;
  /** Pause when the outbox is empty or after a failure (ms, default 200). */
  pollIntervalMs?: number;
  /** Told when a batch fails; its rows stay unpublished and are tried again. */
  onError?: (error: unknown) => void;
  /** Told after each batch Kafka acknowledged and that was marked published. */
  onPublished?: (count: number) => void;
}

interface OutboxRow {
  id: string;
  message_id: string;
  topic: string;
  message_key: string | null;
  payload: string;
  headers: Record<string, string>;
  traceparent: string | null;
}

const tracer = trace.getTracer('@yb/event-store');

/**
 * Publishes the outbox to Kafka, at least once and in order per message key.
 *
 * - Rows are read in (transaction_id, id) order, and only those of transactions older than the oldest
 *   one still running: an id is taken at insert, so a transaction committing late could otherwise
 *   put an earlier row of a key behind a later one.
 * - The producer is idempotent with one request in flight and acks from all replicas, so a batch
 *   lands in order without gaps; rows are marked published only after Kafka acknowledged them. A
 *   relay killed in between publishes them again on restart: consumers deduplicate by message id.
 * - One relay publishes at a time per schema (a transaction-scoped advisory lock), which keeps the
 *   per-key order when several instances run.
 * - Each message is sent inside an `outbox.publish` span, the child of the traceparent stored with
 *   the row, and carries that span's traceparent header.
 */
export class OutboxRelay {
  private readonly producer: Producer;
  private readonly batchSize: number;
  private readonly loop: PollLoop;
  private connected: Promise<void> | null = null;

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
    this.batchSize = options.batchSize ?? 200;
    this.loop = new PollLoop(async () => (await this.publishPending()) === this.batchSize, {
      intervalMs: options.pollIntervalMs ?? 200,
      onError: options.onError ?? (() => undefined),
    });
  }

  /**
   * Publishes one batch of unpublished rows; returns how many were published (0 when there are none
   * that may go yet, or another relay holds the turn).
   */
  async publishPending(): Promise<number> {
    await this.connect();
    const t = this.store.tables;
    return this.store.dataSource.transaction('READ COMMITTED', async (manager) => {
      const [{ turn }] = await manager.query(
        `SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext('outbox-relay')) AS turn`,
        [t.schema],
      );
      if (!turn) return 0;
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, message_id, topic, message_key, payload, headers, traceparent FROM ${t.outbox}
         WHERE published_at IS NULL AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY transaction_id, id
         LIMIT $1`,
        [this.batchSize],
      );
      if (rows.length === 0) return 0;
      await this.send(rows);
      await manager.query(`UPDATE ${t.outbox} SET published_at = now() WHERE id = ANY($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      this.options.onPublished?.(rows.length);
      return rows.length;
    });
  }

  /** Polls until stopped. */
  start(): void {
    this.loop.start();
  }

  /** Lets the batch in progress finish (published and marked), then disconnects. */
  async stop(): Promise<void> {
    await this.loop.stop();
    if (this.connected) {
      this.connected = null;
      await this.producer.disconnect();
    }
  }

  private connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((err: unknown) => {
      this.connected = null;
      throw err;
    });
    return this.connected;
  }

  private async send(rows: OutboxRow[]): Promise<void> {
    const spans: Span[] = [];
    const byTopic = new Map<string, Message[]>();
    for (const row of rows) {
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
      messages.push({ key: row.message_key, value: row.payload, headers });
      byTopic.set(row.topic, messages);
    }
    try {
      await this.producer.sendBatch({
        acks: -1,
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
