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
import { MESSAGE_ID_HEADER, OutboxRelay, type OutboxMessage } from '../src';
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
  let topics: TestTopics<'results' | 'crash'>;
  beforeAll(async () => {
    trace.setGlobalTracerProvider(tracerProvider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    t = await openTestEventStore('es_relay');
    topics = await createTestTopics(['results', 'crash'], { partitions: 3 });
  });
  afterAll(async () => {
    await topics.delete();
    await t.close();
    context.disable();
    trace.disable();
  });

  const message = (topic: string, key: string, payload: string): OutboxMessage => ({
    messageId: randomUUID(),
    topic,
    key,
    payload,
  });

  it("publishes in order per key, marks rows published, and carries the writer's trace context", async () => {
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
      await waitFor('all rows published', async () => {
        await relay.publishPending();
        const [{ left }] = await t.dataSource.query(
          `SELECT count(*)::int AS left FROM ${t.store.tables.outbox} WHERE published_at IS NULL AND topic = $1`,
          [topic],
        );
        return left === 0 ? true : undefined;
      });
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
      await waitFor('both rows published', async () =>
        (await relay.publishPending()) > 0 ? true : undefined,
      );
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

  it('killed mid-batch (sent, not yet marked) and restarted: every message reaches Kafka, in order per key', async () => {
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

    // Hold a lock on a row of the 6th batch: the relay publishes that batch to Kafka, then waits to mark it.
    const blocked = written[5 * 20 + 7];
    await withClient(t.schema.databaseUrl, async (lockHolder) => {
      await lockHolder.query('BEGIN');
      await lockHolder.query(`SELECT 1 FROM ${t.store.tables.outbox} WHERE message_id = $1 FOR UPDATE`, [
        blocked.messageId,
      ]);
      const first = startRelay();
      try {
        await waitFor('the relay to have sent the batch it cannot mark', () =>
          consumer.received.some((m) => m.messageId === blocked.messageId) ? true : undefined,
        );
        const killed = exited(first);
        first.kill('SIGKILL');
        expect(await killed).toBe('SIGKILL');
      } finally {
        first.kill('SIGKILL');
        await lockHolder.query('ROLLBACK');
      }
    });
    const [{ published }] = await t.dataSource.query(
      `SELECT count(*)::int AS published FROM ${t.store.tables.outbox} WHERE topic = $1 AND published_at IS NOT NULL`,
      [topic],
    );
    expect(published).toBe(100);

    const second = startRelay();
    try {
      await waitFor('every row to be published after the restart', async () => {
        const [{ left }] = await t.dataSource.query(
          `SELECT count(*)::int AS left FROM ${t.store.tables.outbox} WHERE topic = $1 AND published_at IS NULL`,
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
});
