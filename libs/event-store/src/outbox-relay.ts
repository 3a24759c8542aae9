import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';
import { type EventStore } from './event-store';
import { MESSAGE_ID_HEADER } from './outbox-message';
import { OutboxNotificationListener } from './outbox-notification-listener';
import { onOutboxCommitted, outboxChannel, outboxNotifyPayload } from './outbox-signal';
import { PollLoop, type PollStepResult } from './poll-loop';
import { contextFromTraceparent, traceparentOf } from './trace-context';

export interface OutboxRelayOptions {
  /** Rows per batch, published in one produce request and deleted in one statement (default 200). */
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
   * Told when committed rows wait for an older transaction still running (the ordering rule below): a
   * long transaction on the schema delays every message behind it.
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
  /** Written by a transaction older than the oldest one still running: may be published now. */
  ready: boolean;
}

// Rows held back by an older transaction still running go once it ends, which no notification may
// announce (it need not write to the outbox): look again soon, backing off while it runs long.
const HELD_BACK_FIRST_PAUSE_MS = 5;
const HELD_BACK_MAX_PAUSE_MS = 200;
const LISTEN_RECONNECT_DELAY_MS = 1_000;

const tracer = trace.getTracer('@yb/event-store');

/**
 * Publishes the outbox to Kafka, at least once and in order per message key.
 *
 * - Woken rather than polling: right after an append with outbox rows commits on the relay's
 *   DataSource, and by the NOTIFY such an append sends on the schema's channel from any other one
 *   (heard on a LISTEN connection of the relay's own, reconnected when it drops); a slow fallback poll
 *   covers a lost notification.
 * - Rows are read in (transaction_id, id) order, and only those of transactions older than the oldest
 *   one still running: an id is taken at insert, so a transaction committing late could otherwise
 *   put an earlier row of a key behind a later one. Rows held back that way are looked at again
 *   within milliseconds.
 * - The producer is idempotent with one request in flight and acks from all replicas, so a batch
 *   lands in order without gaps; rows are deleted only after Kafka acknowledged them. A relay killed
 *   in between publishes them again on restart: consumers deduplicate by message id.
 * - One relay publishes at a time per schema (a transaction-scoped advisory lock), which keeps the
 *   per-key order when several instances run.
 * - Each message is sent inside an `outbox.publish` span, the child of the traceparent stored with
 *   the row, and carries that span's traceparent header.
 */
export class OutboxRelay {
  private readonly producer: Producer;
  private readonly batchSize: number;
  private readonly loop: PollLoop;
  private readonly notifications: OutboxNotificationListener;
  private unsubscribe: (() => void) | null = null;
  private heldBackPauseMs = HELD_BACK_FIRST_PAUSE_MS;
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
      await this.producer.disconnect();
    }
  }

  private async step(): Promise<PollStepResult> {
    const { published, heldBack } = await this.publishBatch();
    if (published === this.batchSize) return true;
    if (!heldBack) {
      this.heldBackPauseMs = HELD_BACK_FIRST_PAUSE_MS;
      return false;
    }
    const pauseMs = this.heldBackPauseMs;
    this.heldBackPauseMs = Math.min(pauseMs * 2, HELD_BACK_MAX_PAUSE_MS);
    return pauseMs;
  }

  private async publishBatch(): Promise<{ published: number; heldBack: boolean }> {
    await this.connect();
    const t = this.store.tables;
    return this.store.dataSource.transaction('READ COMMITTED', async (manager) => {
      const [{ turn }] = await manager.query(
        `SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext('outbox-relay')) AS turn`,
        [t.schema],
      );
      if (!turn) return { published: 0, heldBack: false };
      // Ready rows come first in this order; the first one that is not marks where to stop.
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, message_id, topic, message_key, payload, headers, traceparent,
           transaction_id < pg_snapshot_xmin(pg_current_snapshot()) AS ready
         FROM ${t.outbox}
         ORDER BY transaction_id, id
         LIMIT $1`,
        [this.batchSize],
      );
      const ready = rows.filter((r) => r.ready);
      const heldBack = ready.length < rows.length;
      if (heldBack) this.options.onHeldBack?.();
      if (ready.length === 0) return { published: 0, heldBack };
      await this.send(ready);
      await manager.query(`DELETE FROM ${t.outbox} WHERE id = ANY($1::bigint[])`, [ready.map((r) => r.id)]);
      this.options.onPublished?.(ready.length);
      return { published: ready.length, heldBack };
    });
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
