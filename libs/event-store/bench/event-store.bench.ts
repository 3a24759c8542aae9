// Throughput of the event store on this machine (not a test):
//   node -r ./tools/runtime/ts-register.js libs/event-store/bench/event-store.bench.ts
// Uses DATABASE_URL and KAFKA_BROKERS (defaults: the local stack) and a throw-away schema and topic.
import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { Pool } from 'pg';
import { createTestSchema, createTestTopics, testKafka } from '@yb/testing';
import {
  createEventStoreDataSource,
  EventStore,
  OutboxRelay,
  runEventStoreMigrations,
  type OutboxMessage,
} from '../src';

const APPENDS = 2_000;
const EVENTS_PER_APPEND = 5;
const WRITERS = 4;
const MESSAGES = 10_000;
const KAFKA_BATCH = 500;

async function timed(work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Runs `count` jobs on `writers` concurrent lanes. */
async function inLanes(count: number, writers: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let i = next++; i < count; i = next++) await job(i);
    }),
  );
}

const feeEvent = (i: number, n: number) => ({
  type: 'FeeCharged',
  data: { feedetl_sn: `F${i}-${n}`, det_item_fee_sumamt: '12.34', med_list_codg: 'XN01AAA' },
});

async function main(): Promise<void> {
  const schema = await createTestSchema('bench');
  const topics = await createTestTopics(['bench'], { partitions: 3 });
  const dataSource = createEventStoreDataSource({ databaseUrl: schema.databaseUrl, schema: schema.schema });
  await runEventStoreMigrations(dataSource);
  const store = new EventStore(dataSource);
  const pool = new Pool({ connectionString: schema.databaseUrl, max: WRITERS });
  await pool.query(
    `CREATE TABLE "${schema.schema}".plain_events (LIKE "${schema.schema}".events INCLUDING ALL)`,
  );
  const results: [string, number, string][] = [];
  try {
    const library = await timed(() =>
      inLanes(APPENDS, WRITERS, async (i) => {
        const events = Array.from({ length: EVENTS_PER_APPEND }, (_, n) => feeEvent(i, n));
        await store.appendToStream(`visit-${i}`, 'no-stream', events);
      }),
    );
    results.push(['append: EventStore.appendToStream', (APPENDS * EVENTS_PER_APPEND) / library, 'events/s']);

    const plain = await timed(() =>
      inLanes(APPENDS, WRITERS, async (i) => {
        const events = Array.from({ length: EVENTS_PER_APPEND }, (_, n) => feeEvent(i, n));
        const values = events.map((_, n) => `($1, ${n + 1}, $${2 + n * 2}, 1, $${3 + n * 2})`).join(', ');
        await pool.query(
          `INSERT INTO "${schema.schema}".plain_events (stream_id, stream_version, type, schema_version, data) VALUES ${values}`,
          [`visit-${i}`, ...events.flatMap((e) => [e.type, JSON.stringify(e.data)])],
        );
      }),
    );
    results.push(['append: plain pg INSERT (same rows)', (APPENDS * EVENTS_PER_APPEND) / plain, 'events/s']);

    const messages: OutboxMessage[] = Array.from({ length: MESSAGES }, (_, i) => ({
      messageId: randomUUID(),
      topic: topics.names.bench,
      key: `ZY${i % 50}`,
      payload: JSON.stringify(feeEvent(i, 0)),
    }));
    for (let i = 0; i < MESSAGES; i += KAFKA_BATCH) {
      await store.appendToStream(`outbox-${i}`, 'no-stream', [], {
        outbox: messages.slice(i, i + KAFKA_BATCH),
      });
    }
    const relay = new OutboxRelay(store, testKafka(), { batchSize: KAFKA_BATCH });
    await relay.publishPending(); // connect the producer outside the measurement
    const relayed = await timed(async () => {
      while ((await relay.publishPending()) > 0);
    });
    await relay.stop();
    results.push(['outbox -> Kafka: OutboxRelay', MESSAGES / relayed, 'messages/s']);

    const producer = testKafka().producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const produced = await timed(async () => {
      for (let i = 0; i < MESSAGES; i += KAFKA_BATCH) {
        const batch = messages.slice(i, i + KAFKA_BATCH);
        await producer.send({
          topic: topics.names.bench,
          acks: -1,
          messages: batch.map((m) => ({
            key: m.key,
            value: m.payload,
            headers: { 'message-id': m.messageId },
          })),
        });
      }
    });
    await producer.disconnect();
    results.push(['outbox -> Kafka: plain kafkajs send (same messages)', MESSAGES / produced, 'messages/s']);
  } finally {
    await pool.end();
    await dataSource.destroy();
    await schema.drop();
    await topics.delete();
  }
  console.log(
    `event-store benchmark: ${APPENDS} appends x ${EVENTS_PER_APPEND} events on ${WRITERS} writers; ` +
      `${MESSAGES} messages in batches of ${KAFKA_BATCH}`,
  );
  for (const [what, rate, unit] of results)
    console.log(`${what.padEnd(52)} ${Math.round(rate).toString().padStart(8)} ${unit}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
