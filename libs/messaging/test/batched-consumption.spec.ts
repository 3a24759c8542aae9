import {
  type Envelope,
  AdmissionCancelledV1,
  DischargeRequestedV1,
  FeeLinesChargedV1,
  MessageHeaders,
  PatientAdmittedV1,
} from '@yb/contracts';
import { createTestTopics, testKafka, uniqueName, waitFor, type TestTopics } from '@yb/testing';
import { type Admin, type Consumer, type Kafka, type Message } from 'kafkajs';
import { KafkaConsumerHost, KafkaPublisher, type DeadLetterReason } from '../src';
import { visitEnvelope } from './support/visit-envelope';

// Batched consumption on one partition, so that many keys share a partition (and a batch). Each producer
// send below is one record batch on the broker, fetched whole: its records reach the host as one batch.

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let topics: TestTopics<'batched' | 'stopping'>;
let wideTopics: TestTopics<'wide'>;
let kafka: Kafka;
let admin: Admin;
let publisher: KafkaPublisher;

/** As the outbox relay and KafkaPublisher send it: keyed by the visit, with the type header. */
function recordOf(e: Envelope): Message {
  return { key: e.key, value: JSON.stringify(e), headers: { [MessageHeaders.messageType]: e.type } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function committedOffset(groupId: string, topic: string): Promise<string | undefined> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return committed?.partitions.find((p) => p.partition === 0)?.offset;
}

beforeAll(async () => {
  topics = await createTestTopics(['batched', 'stopping'], { partitions: 1 });
  wideTopics = await createTestTopics(['wide'], { partitions: 3 });
  kafka = testKafka();
  admin = kafka.admin();
  await admin.connect();
  publisher = new KafkaPublisher(kafka);
  await publisher.connect();
});

afterAll(async () => {
  await publisher?.disconnect();
  await admin?.disconnect();
  await topics?.delete();
  await wideTopics?.delete();
});

describe('KafkaConsumerHost, batched', () => {
  const groupId = uniqueName('batched');
  let host: KafkaConsumerHost;
  let consumer: Consumer;
  let commits: jest.SpyInstance;
  const batchSizes: number[] = [];
  const handled: { id: string; key: string; at: number }[] = [];
  const inFlightKeys = new Set<string>();
  let inFlight = 0;
  let maxInFlight = 0;
  let overlapsWithinKey = 0;
  const deadLettered: { topic: string; reason: DeadLetterReason; at: number }[] = [];

  beforeAll(async () => {
    const consumerOf = jest.spyOn(kafka, 'consumer');
    host = new KafkaConsumerHost({
      kafka,
      publisher,
      groupId,
      topics: [topics.names.batched, wideTopics.names.wide],
      keysConsumedConcurrently: 4,
      retry: { maxAttempts: 3, initialDelayMs: 300, maxDelayMs: 600 },
      logger: quiet,
      onDeadLetter: (d) => deadLettered.push({ ...d, at: performance.now() }),
    });
    host
      .handle('PatientAdmitted', async ({ envelope: e }) => {
        if (inFlightKeys.has(e.key)) overlapsWithinKey++;
        inFlightKeys.add(e.key);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await sleep(Math.random() * 30);
        inFlight--;
        inFlightKeys.delete(e.key);
        handled.push({ id: e.id, key: e.key, at: performance.now() });
      })
      .handle('FeeLinesCharged', async () => {
        throw new Error('platform answered 500');
      })
      .handle('DischargeRequested', async ({ envelope: e }) => {
        handled.push({ id: e.id, key: e.key, at: performance.now() });
      });
    await host.start();
    consumer = consumerOf.mock.results[0]?.value as Consumer;
    consumerOf.mockRestore();
    commits = jest.spyOn(consumer, 'commitOffsets');
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => void batchSizes.push(payload.batchSize));
  });

  afterAll(async () => {
    await host?.stop();
  });

  const handledIds = (key: string) => handled.filter((h) => h.key === key).map((h) => h.id);

  it('processes the keys of one partition concurrently, each key in offset order', async () => {
    const keys = Array.from({ length: 12 }, (_, k) => `ZY-KEYS-${k}`);
    const sent = [1, 2, 3, 4, 5].flatMap((n) =>
      keys.map((key) =>
        visitEnvelope(PatientAdmittedV1, key, { ...PatientAdmittedV1.example, medrcdno: `n${n}` }),
      ),
    );
    await publisher.publishRecords(topics.names.batched, sent.map(recordOf));
    await waitFor('every record handled', () =>
      sent.every((e) => handled.some((h) => h.id === e.id)) ? true : undefined,
    );
    for (const key of keys) {
      expect(handledIds(key)).toEqual(sent.filter((e) => e.key === key).map((e) => e.id));
    }
    expect(overlapsWithinKey).toBe(0);
    // Several keys were in their handlers at once (one partition, so not partition concurrency); at most 4.
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
  });

  it('bounds the keys in hand across all the partitions, not per batch', async () => {
    maxInFlight = 0;
    const keys = Array.from({ length: 30 }, (_, k) => `ZY-WIDE-${k}`);
    const sent = [1, 2, 3].flatMap(() => keys.map((key) => visitEnvelope(PatientAdmittedV1, key)));
    await publisher.publishRecords(wideTopics.names.wide, sent.map(recordOf));
    await waitFor('every record handled', () =>
      sent.every((e) => handled.some((h) => h.id === e.id)) ? true : undefined,
    );
    // Three partitions' batches at once, each with about ten keys: a bound per batch would allow 12.
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(overlapsWithinKey).toBe(0);
  });

  it('commits once per batch, after the whole batch is done', async () => {
    commits.mockClear();
    batchSizes.length = 0;
    const sent = Array.from({ length: 40 }, (_, i) =>
      visitEnvelope(DischargeRequestedV1, `ZY-COMMIT-${i % 10}`),
    );
    const [{ baseOffset }] = await publisher.publishRecords(topics.names.batched, sent.map(recordOf));
    const end = (BigInt(baseOffset ?? '0') + BigInt(sent.length)).toString();
    await waitFor('the batch committed', async () =>
      (await committedOffset(groupId, topics.names.batched)) === end ? true : undefined,
    );
    await waitFor('the batches ended', () =>
      batchSizes.reduce((sum, n) => sum + n, 0) >= sent.length ? true : undefined,
    );
    // At most one commit per batch (a batch ending while the previous one's commit is on its way may share it),
    // never one per record.
    expect(commits.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(commits.mock.calls.length).toBeLessThanOrEqual(batchSizes.length);
    expect(batchSizes.length).toBeLessThan(sent.length);
    expect(commits).toHaveBeenLastCalledWith([{ topic: topics.names.batched, partition: 0, offset: end }]);
  });

  it('goes on with the other keys while a record fails until it is dead-lettered', async () => {
    const failing = visitEnvelope(FeeLinesChargedV1, 'ZY-FAILING');
    const afterFailing = visitEnvelope(PatientAdmittedV1, 'ZY-FAILING');
    const others = ['ZY-OTHER-1', 'ZY-OTHER-2', 'ZY-OTHER-3'].flatMap((key) => [
      visitEnvelope(PatientAdmittedV1, key),
      visitEnvelope(PatientAdmittedV1, key),
    ]);
    await publisher.publishRecords(topics.names.batched, [failing, ...others, afterFailing].map(recordOf));
    await waitFor('the record after the failing one', () => handled.find((h) => h.id === afterFailing.id));
    const dead = deadLettered.find((d) => d.reason === 'exhausted');
    expect(dead).toBeDefined();
    // Three attempts with waits of 150–600 ms in between: the other keys were done long before.
    for (const other of others) {
      expect(handled.find((h) => h.id === other.id)?.at).toBeLessThan(dead?.at ?? 0);
    }
    // The failing record's key waited for it: its next record came after the dead letter.
    expect(handled.find((h) => h.id === afterFailing.id)?.at).toBeGreaterThan(dead?.at ?? Infinity);
  });

  it('skips by its type header, unparsed, a record of a type it does not handle', async () => {
    const key = 'ZY-HEADER';
    const next = visitEnvelope(PatientAdmittedV1, key);
    const before = deadLettered.length;
    await publisher.publishRecords(topics.names.batched, [
      // Not JSON: parsed, it would be dead-lettered as invalid. Its type is another service's to judge.
      { key, value: '{not json', headers: { [MessageHeaders.messageType]: AdmissionCancelledV1.type } },
      recordOf(next),
    ]);
    await waitFor('the record after the skipped one', () => handled.find((h) => h.id === next.id));
    // Same key, so the skipped record was done with before `next` ran: a dead letter would be counted by now.
    expect(deadLettered.length).toBe(before);
  });
});

describe('KafkaConsumerHost, batched, stopped during a retry wait', () => {
  it('commits the records before the waiting one and leaves it and every later one for redelivery', async () => {
    const topic = topics.names.stopping;
    const groupId = uniqueName('batched-stop');
    const attempts = new Map<string, number>();
    const handledBy = { first: [] as string[], second: [] as string[] };
    const hostOf = (handledHere: string[], failWhile: () => boolean) =>
      new KafkaConsumerHost({
        kafka,
        publisher,
        groupId,
        topics: [topic],
        // The retry wait outlasts the test: stop() ends it.
        retry: { maxAttempts: 5, initialDelayMs: 60_000, maxDelayMs: 60_000 },
        logger: quiet,
      }).handle('PatientAdmitted', async ({ envelope: e }) => {
        attempts.set(e.id, (attempts.get(e.id) ?? 0) + 1);
        if (e.data.medrcdno === 'fails' && failWhile()) throw new Error('database unreachable');
        handledHere.push(e.id);
      });

    const fails = { ...PatientAdmittedV1.example, medrcdno: 'fails' };
    const sent = [
      visitEnvelope(PatientAdmittedV1, 'ZY-A'),
      visitEnvelope(PatientAdmittedV1, 'ZY-B'),
      visitEnvelope(PatientAdmittedV1, 'ZY-C', fails),
      visitEnvelope(PatientAdmittedV1, 'ZY-A'),
      visitEnvelope(PatientAdmittedV1, 'ZY-C'),
      visitEnvelope(PatientAdmittedV1, 'ZY-B'),
    ];
    const [waiting, laterOfItsKey] = [sent[2], sent[4]];
    const [{ baseOffset }] = await publisher.publishRecords(topic, sent.map(recordOf));
    const base = BigInt(baseOffset ?? '0');

    const first = hostOf(handledBy.first, () => true);
    await first.start();
    try {
      await waitFor('the other keys done and the failing record waiting for its retry', () =>
        attempts.get(waiting.id) === 1 && handledBy.first.length === 4 ? true : undefined,
      );
    } finally {
      await first.stop();
    }
    // Every other key's records were handled, those after the waiting one too; its own key stopped at it.
    expect(handledBy.first).toEqual(expect.arrayContaining([sent[0].id, sent[1].id, sent[3].id, sent[5].id]));
    expect(handledBy.first).not.toContain(laterOfItsKey.id);
    // Committed up to the waiting record only: it and everything after it in the partition come back.
    expect(await committedOffset(groupId, topic)).toBe((base + 2n).toString());

    const second = hostOf(handledBy.second, () => false);
    await second.start();
    try {
      await waitFor('the redelivered records', () => (handledBy.second.length === 4 ? true : undefined));
      await waitFor('the redelivery committed', async () =>
        (await committedOffset(groupId, topic)) === (base + 6n).toString() ? true : undefined,
      );
    } finally {
      await second.stop();
    }
    expect(new Set(handledBy.second)).toEqual(
      new Set([waiting.id, sent[3].id, laterOfItsKey.id, sent[5].id]),
    );
    expect(handledBy.second.indexOf(waiting.id)).toBeLessThan(handledBy.second.indexOf(laterOfItsKey.id));
  });
});
