import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { type KafkaMessage } from 'kafkajs';
import {
  createTestTopics,
  kafkaBrokers,
  testKafka,
  uniqueName,
  waitFor,
  withClient,
  type TestTopics,
} from '@yb/testing';
import { type DataSource } from 'typeorm';
import {
  createEventStoreDataSource,
  EventStore,
  MESSAGE_ID_HEADER,
  OutboxRelay,
  type OutboxMessage,
} from '../src';
import { outboxNotifyPayload } from '../src/outbox-signal';
import { openTestEventStore, type TestEventStore } from './support/test-event-store';

const repoRoot = path.resolve(__dirname, '../../..');
const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });

interface Received {
  messageId: string;
  key: string;
  value: string;
  traceparent: string | undefined;
}

/** Reads a topic from the beginning into an array, for the test's assertions. */
async function collect(topic: string) {
  const consumer = testKafka().consumer({ groupId: uniqueName('g') });
  const received: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }: { message: KafkaMessage }) => {
      received.push({
        messageId: message.headers![MESSAGE_ID_HEADER]!.toString(),
        key: message.key!.toString(),
        value: message.value!.toString(),
        traceparent: message.headers!.traceparent?.toString(),
      });
    },
  });
  return { received, stop: () => consumer.disconnect() };
}

describe('OutboxRelay to Kafka', () => {
  let t: TestEventStore;
  let topics: TestTopics<'results' | 'crash' | 'woken'>;
  beforeAll(async () => {
    trace.setGlobalTracerProvider(tracerProvider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    t = await openTestEventStore('es_relay');
    topics = await createTestTopics(['results', 'crash', 'woken'], { partitions: 3 });
  });
  afterAll(async () => {
    await topics.delete();
    await t.close();
    context.disable();
    trace.disable();
  });

  /**
   * Publishes until no row of the key is left, and says how many went. A row may be held back for a moment by
   * any older transaction of the server that ends while the relay looks (it may have written rows unseen yet),
   * so one call is not enough: the relay's own loop retries such rows within milliseconds, and so does this.
   */
  const publishAllOf = (relay: OutboxRelay, key: string) => {
    let published = 0;
    return waitFor(`every row of ${key} published`, async () => {
      published += await relay.publishPending();
      const [{ left }] = await t.dataSource.query(
        `SELECT count(*)::int AS left FROM ${t.store.tables.outbox} WHERE message_key = $1`,
        [key],
      );
      return left === 0 ? published : undefined;
    });
  };

  const message = (topic: string, key: string, payload: string): OutboxMessage => ({
    messageId: randomUUID(),
    topic,
    key,
    payload,
  });

  it("publishes in order per key, deletes published rows, and carries the writer's trace context", async () => {
    const topic = topics.names.results;
    const consumer = await collect(topic);
    const relay = new OutboxRelay(t.store, testKafka(), { batchSize: 4 });
    const tracer = tracerProvider.getTracer('test');
    const writerSpan = tracer.startSpan('his.fee-charged');
    try {
      await context.with(trace.setSpan(context.active(), writerSpan), async () => {
        for (let n = 1; n <= 5; n++) {
          await t.store.appendToStream(`visit-A`, 'any', [{ type: 'FeeCharged', data: { n } }], {
            outbox: [message(topic, 'ZY-A', `A${n}`), message(topic, 'ZY-B', `B${n}`)],
          });
        }
      });
      writerSpan.end();
      await publishAllOf(relay, 'ZY-A');
      await publishAllOf(relay, 'ZY-B');
      await waitFor('ten messages', () => (consumer.received.length >= 10 ? true : undefined));
    } finally {
      await relay.stop();
      await consumer.stop();
    }
    const byKey = (key: string) => consumer.received.filter((m) => m.key === key).map((m) => m.value);
    expect(byKey('ZY-A')).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    expect(byKey('ZY-B')).toEqual(['B1', 'B2', 'B3', 'B4', 'B5']);

    // Every message went out inside an outbox.publish span, a child of the writer's span, and its
    // traceparent header names that span (not the relay's own context).
    const writer = writerSpan.spanContext();
    const publishSpans = spans.getFinishedSpans().filter((s) => s.name === 'outbox.publish');
    expect(publishSpans).toHaveLength(10);
    for (const received of consumer.received) {
      const span = publishSpans.find((s) => s.attributes['messaging.message.id'] === received.messageId)!;
      expect(span.spanContext().traceId).toBe(writer.traceId);
      expect(span.parentSpanContext?.spanId).toBe(writer.spanId);
      expect(received.traceparent).toBe(`00-${writer.traceId}-${span.spanContext().spanId}-01`);
    }
  });

  it('does not publish a later row of a key before an earlier one whose transaction commits late', async () => {
    const topic = topics.names.results;
    const relay = new OutboxRelay(t.store, testKafka());
    const consumer = await collect(topic);
    const before = consumer.received.length;
    try {
      await withClient(t.schema.databaseUrl, async (writerA) => {
        await writerA.query('BEGIN');
        await writerA.query(
          `INSERT INTO ${t.store.tables.outbox} (message_id, topic, message_key, payload) VALUES ($1, $2, 'ZY-L', 'first')`,
          [randomUUID(), topic],
        );
        await t.store.appendToStream('visit-L', 'any', [], { outbox: [message(topic, 'ZY-L', 'second')] });
        expect(await relay.publishPending()).toBe(0);
        await writerA.query('COMMIT');
      });
      expect(await publishAllOf(relay, 'ZY-L')).toBe(2);
      const late = await waitFor('both messages', () => {
        const got = consumer.received.slice(before).filter((m) => m.key === 'ZY-L');
        return got.length >= 2 ? got : undefined;
      });
      expect(late.map((m) => m.value)).toEqual(['first', 'second']);
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  });

  it('publishes only in its turn, and a batch Kafka refuses is rolled back with the turn given back', async () => {
    const topic = topics.names.results;
    const relay = new OutboxRelay(t.store, testKafka());
    const consumer = await collect(topic);
    const turnFree = () =>
      withClient(t.schema.databaseUrl, async (other) => {
        await other.query('BEGIN');
        const [{ free }] = (
          await other.query(
            `SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext('outbox-relay')) AS free`,
            [t.store.tables.schema],
          )
        ).rows;
        await other.query('COMMIT');
        return free as boolean;
      });
    try {
      await t.store.appendToStream('visit-T', 'any', [], { outbox: [message(topic, 'ZY-T', 'in turn')] });
      await withClient(t.schema.databaseUrl, async (otherRelay) => {
        await otherRelay.query('BEGIN');
        await otherRelay.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext('outbox-relay'))`, [
          t.store.tables.schema,
        ]);
        expect(await relay.publishPending()).toBe(0);
        await otherRelay.query('COMMIT');
      });
      expect(await publishAllOf(relay, 'ZY-T')).toBe(1);
      await waitFor('the message', () =>
        consumer.received.some((m) => m.value === 'in turn') ? true : undefined,
      );

      const refused = randomUUID();
      await t.dataSource.query(
        `INSERT INTO ${t.store.tables.outbox} (message_id, topic, message_key, payload)
         VALUES ($1, 'not a topic!', 'ZY-T', 'refused')`,
        [refused],
      );
      await expect(relay.publishPending()).rejects.toThrow();
      const [{ left }] = await t.dataSource.query(
        `SELECT count(*)::int AS left FROM ${t.store.tables.outbox} WHERE message_id = $1`,
        [refused],
      );
      expect(left).toBe(1);
      expect(await turnFree()).toBe(true);
    } finally {
      await t.dataSource.query(`DELETE FROM ${t.store.tables.outbox} WHERE topic = 'not a topic!'`);
      await relay.stop();
      await consumer.stop();
    }
  });

  it('is not held back by an older transaction that did not write to the outbox', async () => {
    const topic = topics.names.results;
    const relay = new OutboxRelay(t.store, testKafka());
    let published = 0;
    try {
      await withClient(t.schema.databaseUrl, async (elsewhere) => {
        await elsewhere.query('BEGIN');
        // Older than the append below, and still running: one with an id of its own, as another service's or
        // another database's transactions on a shared server are, and one writing another table of the schema.
        await elsewhere.query('SELECT pg_current_xact_id()');
        await elsewhere.query(
          `INSERT INTO ${t.store.tables.inbox} (message_id, consumer) VALUES ($1, 'other')`,
          [randomUUID()],
        );
        await t.store.appendToStream('visit-E', 'any', [], { outbox: [message(topic, 'ZY-E', 'only')] });
        // Published while that older transaction still runs.
        published = await publishAllOf(relay, 'ZY-E');
        await elsewhere.query('ROLLBACK');
      });
      expect(published).toBe(1);
    } finally {
      await relay.stop();
    }
  });

  it('killed mid-batch (sent, not yet deleted) and restarted: every message reaches Kafka, in order per key', async () => {
    const topic = topics.names.crash;
    const keys = ['ZY-1', 'ZY-2', 'ZY-3', 'ZY-4'];
    const written: OutboxMessage[] = [];
    for (let n = 0; n < 100; n++) {
      const batch = keys.map((key) => message(topic, key, `${key}#${n}`));
      await t.store.appendToStream(`visit-crash-${n}`, 'no-stream', [{ type: 'FeeCharged', data: { n } }], {
        outbox: batch,
      });
      written.push(...batch);
    }
    const consumer = await collect(topic);
    const startRelay = () =>
      spawn(
        process.execPath,
        ['-r', './tools/runtime/ts-register.js', 'libs/event-store/test/support/outbox-relay-process.ts'],
        {
          cwd: repoRoot,
          env: {
            ...process.env,
            DATABASE_URL: t.schema.databaseUrl,
            EVENT_STORE_SCHEMA: t.schema.schema,
            KAFKA_BROKERS: kafkaBrokers().join(','),
            RELAY_BATCH_SIZE: '20',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    const exited = (child: ChildProcess) =>
      new Promise<NodeJS.Signals | number | null>((resolve) =>
        child.once('exit', (code, signal) => resolve(signal ?? code)),
      );

    // Hold a lock on a row of the 6th batch: the relay publishes that batch to Kafka, then waits to delete it.
    const blocked = written[5 * 20 + 7];
    await withClient(t.schema.databaseUrl, async (lockHolder) => {
      await lockHolder.query('BEGIN');
      await lockHolder.query(`SELECT 1 FROM ${t.store.tables.outbox} WHERE message_id = $1 FOR UPDATE`, [
        blocked.messageId,
      ]);
      const first = startRelay();
      try {
        await waitFor('the relay to have sent the batch it cannot delete', () =>
          consumer.received.some((m) => m.messageId === blocked.messageId) ? true : undefined,
        );
        // Its DELETE goes with the COMMIT as one query: the backend, waiting for the lock, would still run both
        // once the lock goes (rightly: Kafka acknowledged the rows). Here the backend ends with the process, as
        // with its machine.
        const backend = await waitFor('its DELETE to wait for the lock', async () => {
          const waiting: { pid: number }[] = await t.dataSource.query(
            `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE FROM ' || $1 || '%'`,
            [t.store.tables.outbox],
          );
          return waiting.length === 1 ? waiting[0]!.pid : undefined;
        });
        const killed = exited(first);
        first.kill('SIGKILL');
        expect(await killed).toBe('SIGKILL');
        const [{ ended }] = await t.dataSource.query('SELECT pg_terminate_backend($1, 10000) AS ended', [
          backend,
        ]);
        expect(ended).toBe(true);
      } finally {
        first.kill('SIGKILL');
        await lockHolder.query('ROLLBACK');
      }
    });
    const [{ left }] = await t.dataSource.query(
      `SELECT count(*)::int AS left FROM ${t.store.tables.outbox} WHERE topic = $1`,
      [topic],
    );
    expect(left).toBe(written.length - 100);

    const second = startRelay();
    try {
      await waitFor('every row to be published after the restart', async () => {
        const [{ left }] = await t.dataSource.query(
          `SELECT count(*)::int AS left FROM ${t.store.tables.outbox} WHERE topic = $1`,
          [topic],
        );
        return left === 0 ? true : undefined;
      });
      const ids = new Set(written.map((m) => m.messageId));
      await waitFor('every message id on the topic', () =>
        new Set(consumer.received.map((m) => m.messageId)).size === ids.size ? true : undefined,
      );
      const stopped = exited(second);
      second.kill('SIGTERM');
      expect(await stopped).toBe(0);
    } finally {
      second.kill('SIGKILL');
      await consumer.stop();
    }
    const seen = new Set<string>();
    const firstDeliveries = consumer.received.filter((m) => !seen.has(m.messageId) && seen.add(m.messageId));
    expect(firstDeliveries.map((m) => m.messageId).sort()).toEqual(written.map((m) => m.messageId).sort());
    // The batch sent before the kill was sent again: at least once, deduplicated by message id.
    expect(consumer.received.filter((m) => m.messageId === blocked.messageId)).toHaveLength(2);
    for (const key of keys) {
      expect(firstDeliveries.filter((m) => m.key === key).map((m) => m.value)).toEqual(
        written.filter((m) => m.key === key).map((m) => m.payload),
      );
    }
  });

  describe('woken instead of polling (the fallback poll set to 60 s, beyond every wait here)', () => {
    const FALLBACK_POLL_MS = 60_000;
    let otherDataSource: DataSource;
    /** An EventStore on the same schema through another pool: what another service instance would use. */
    let otherStore: EventStore;
    let relay: OutboxRelay;
    let consumer: Awaited<ReturnType<typeof collect>>;
    const relayErrors: unknown[] = [];
    let onHeldBack: (() => void) | null = null;

    /** The relay's LISTEN connection, found by what it listens to (other tests' relays share the database). */
    const listenerPid = async (): Promise<number | undefined> => {
      const rows: { pid: number }[] = await t.dataSource.query(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = $1`,
        [`LISTEN "outbox:${t.schema.schema}"`],
      );
      return rows.length === 1 ? rows[0].pid : undefined;
    };
    const received = (key: string) => consumer.received.filter((m) => m.key === key).map((m) => m.value);
    const waitForValues = (key: string, values: string[], timeoutMs?: number) =>
      waitFor(
        `${values.length} messages of ${key}`,
        () => (received(key).length >= values.length ? received(key) : undefined),
        { timeoutMs },
      );

    beforeAll(async () => {
      otherDataSource = createEventStoreDataSource({
        databaseUrl: t.schema.databaseUrl,
        schema: t.schema.schema,
      });
      await otherDataSource.initialize();
      otherStore = new EventStore(otherDataSource);
      consumer = await collect(topics.names.woken);
      relay = new OutboxRelay(t.store, testKafka(), {
        pollIntervalMs: FALLBACK_POLL_MS,
        onError: (error) => relayErrors.push(error),
        onHeldBack: () => onHeldBack?.(),
      });
      relay.start();
      // Started: it has looked once, and listens.
      await relay.publishPending();
      await waitFor('the relay to LISTEN', listenerPid);
    });
    afterAll(async () => {
      await relay.stop();
      await consumer.stop();
      await otherDataSource.destroy();
    });

    it('publishes an append on its own DataSource at once (woken in-process), in order per key', async () => {
      const topic = topics.names.woken;
      const values = ['W1', 'W2', 'W3', 'W4', 'W5'];
      for (const value of values) {
        await t.store.appendToStream('visit-W', 'any', [{ type: 'FeeCharged', data: { value } }], {
          outbox: [message(topic, 'ZY-W', value)],
        });
      }
      expect(await waitForValues('ZY-W', values)).toEqual(values);
    });

    it("publishes another process's appends when their NOTIFY arrives, in commit order per key", async () => {
      const topic = topics.names.woken;
      const values = Array.from({ length: 10 }, (_, i) => `N${i + 1}`);
      // Alternating writers: the key's order is the order of the commits, whichever pool made them.
      for (const [i, value] of values.entries()) {
        const store = i % 2 === 0 ? otherStore : t.store;
        await store.appendToStream('visit-N', 'any', [], { outbox: [message(topic, 'ZY-N', value)] });
      }
      expect(await waitForValues('ZY-N', values)).toEqual(values);

      await otherStore.appendToStream('visit-N2', 'any', [], { outbox: [message(topic, 'ZY-N2', 'only')] });
      expect(await waitForValues('ZY-N2', ['only'])).toEqual(['only']);
    });

    it('sends no NOTIFY for an append its own relay is woken for in-process; an append on another DataSource does', async () => {
      const topic = topics.names.woken;
      const heard: string[] = [];
      await withClient(t.schema.databaseUrl, async (listener) => {
        listener.on('notification', (n) => heard.push(n.payload ?? ''));
        await listener.query(`LISTEN "outbox:${t.schema.schema}"`);
        await t.store.appendToStream('visit-Q', 'any', [], { outbox: [message(topic, 'ZY-Q', 'own')] });
        await otherStore.appendToStream('visit-Q', 'any', [], { outbox: [message(topic, 'ZY-Q', 'other')] });
        // Notifications come in commit order: the own append's would be heard before the other's.
        await waitFor("the other DataSource's NOTIFY", () => (heard.length > 0 ? true : undefined));
      });
      expect(heard).toEqual([outboxNotifyPayload(otherDataSource)]);
      expect(await waitForValues('ZY-Q', ['own', 'other'])).toEqual(['own', 'other']);
    });

    it('looks again soon when another relay held the turn, as its own appends notify no other relay', async () => {
      const topic = topics.names.woken;
      await withClient(t.schema.databaseUrl, async (otherRelay) => {
        await otherRelay.query('BEGIN');
        await otherRelay.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext('outbox-relay'))`, [
          t.store.tables.schema,
        ]);
        const lostTurn = new Promise<void>((resolve) => (onHeldBack = resolve));
        await t.store.appendToStream('visit-T2', 'any', [], { outbox: [message(topic, 'ZY-T2', 'after')] });
        await lostTurn;
        onHeldBack = null;
        await otherRelay.query('COMMIT');
      });
      // Long before the fallback poll (60 s): the relay's own retry.
      expect(await waitForValues('ZY-T2', ['after'], 10_000)).toEqual(['after']);
    });

    it('publishes rows held back by an older transaction soon after it ends, though nothing notifies', async () => {
      const topic = topics.names.woken;
      await withClient(t.schema.databaseUrl, async (older) => {
        await older.query('BEGIN');
        // A plain INSERT sends no NOTIFY: only the relay's own retry can find this row once committed.
        await older.query(
          `INSERT INTO ${t.store.tables.outbox} (message_id, topic, message_key, payload) VALUES ($1, $2, 'ZY-H', 'first')`,
          [randomUUID(), topic],
        );
        const heldBack = new Promise<void>((resolve) => (onHeldBack = resolve));
        await otherStore.appendToStream('visit-H', 'any', [], { outbox: [message(topic, 'ZY-H', 'second')] });
        // Woken by the append's NOTIFY, the relay finds 'second' and must leave it behind 'first'.
        await heldBack;
        onHeldBack = null;
        expect(received('ZY-H')).toEqual([]);
        await older.query('COMMIT');
      });
      expect(await waitForValues('ZY-H', ['first', 'second'])).toEqual(['first', 'second']);
    });

    it('listens again after its LISTEN connection is terminated, and publishes what is notified then', async () => {
      const topic = topics.names.woken;
      const before = (await listenerPid())!;
      const errorsBefore = relayErrors.length;
      await t.dataSource.query('SELECT pg_terminate_backend($1)', [before]);
      const after = await waitFor('a new LISTEN connection', async () => {
        const pid = await listenerPid();
        return pid !== undefined && pid !== before ? pid : undefined;
      });
      expect(after).not.toBe(before);
      expect(relayErrors.length).toBeGreaterThan(errorsBefore);

      await otherStore.appendToStream('visit-R', 'any', [], { outbox: [message(topic, 'ZY-R', 'after')] });
      expect(await waitForValues('ZY-R', ['after'])).toEqual(['after']);
    });
  });

  it('prunes inbox records older than the retention, and only those, a batch at a time', async () => {
    const consumerName = uniqueName('prune');
    // m1 … m20: an hour short of 1 … 20 days old.
    await t.dataSource.query(
      `INSERT INTO ${t.store.tables.inbox} (message_id, consumer, processed_at)
       SELECT 'm' || n, $1, now() - make_interval(days => n) + interval '1 hour' FROM generate_series(1, 20) AS n`,
      [consumerName],
    );
    const prune = () => t.store.pruneInbox(14, 2);
    const batches: number[] = [];
    for (let deleted = await prune(); deleted > 0; deleted = await prune()) batches.push(deleted);
    const left: { message_id: string }[] = await t.dataSource.query(
      `SELECT message_id FROM ${t.store.tables.inbox} WHERE consumer = $1 ORDER BY processed_at DESC`,
      [consumerName],
    );
    expect(batches).toEqual([2, 2, 2]);
    expect(left.map((r) => r.message_id)).toEqual(Array.from({ length: 14 }, (_, i) => `m${i + 1}`));
  });
});
