import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMessage, type DataOf, type MessageOf, type MessageType } from '@yb/contracts';
import { createTestTopics, kafkaBrokers, testKafka, uniqueName, waitFor, type TestTopics } from '@yb/testing';
import Decimal from 'decimal.js';
import { type Consumer } from 'kafkajs';
import { hospitalTimeline, startHisSimulator, type HisSimulatorStats } from '../src';
import { type MessageRecord, type VisitRecord } from '../src/manifest';

interface Read {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  message: MessageOf<MessageType>;
}

describe('HIS simulator on the real Kafka', () => {
  let topics: TestTopics<'inpatient' | 'clinical'>;
  let consumer: Consumer;
  let stats: HisSimulatorStats;
  let manifest: Record<string, unknown>[];
  const read: Read[] = [];

  beforeAll(async () => {
    topics = await createTestTopics(['inpatient', 'clinical'], { partitions: 3 });
    const manifestPath = join(mkdtempSync(join(tmpdir(), 'his-sim-test-')), 'manifest.jsonl');
    const simulator = await startHisSimulator({
      beds: 3,
      episodes: 4,
      ratePerSecond: 2000,
      seed: 20240501,
      brokers: kafkaBrokers(),
      topics: topics.names,
      manifestPath,
    });
    stats = await simulator.finished;
    manifest = readFileSync(manifestPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

    consumer = testKafka().consumer({ groupId: uniqueName('his-sim-test'), maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topics: Object.values(topics.names), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        read.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key!.toString(),
          message: parseMessage(JSON.parse(message.value!.toString())),
        });
      },
    });
    await waitFor('every published message to be read back', () =>
      read.length >= stats.published ? true : undefined,
    );
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await topics?.delete();
  });

  it('stops by itself once the episodes are wholly published', () => {
    expect(stats.stopReason).toBe('episodes');
    expect(stats.visitsStarted).toBe(4);
    expect(stats.visitsCompleted).toBe(4);
    expect(stats.published).toBeGreaterThan(40);
    expect(read).toHaveLength(stats.published);
  });

  it('publishes valid envelopes keyed by ipt_no, clinical records on the clinical topic', () => {
    for (const r of read) {
      expect(r.key).toBe(r.message.key);
      const clinical = /Report|Record|Culture|Sensitivity/.test(r.message.type);
      expect(r.topic).toBe(clinical ? topics.names.clinical : topics.names.inpatient);
    }
  });

  it('keeps each visit in order on each topic, as the manifest recorded it', () => {
    const messages = manifest.filter((m) => m.record === 'message') as unknown as MessageRecord[];
    expect(new Set(messages.map((m) => m.id))).toEqual(new Set(read.map((r) => r.message.id)));
    const byId = new Map(read.map((r) => [r.message.id, r]));
    for (const m of messages) {
      const r = byId.get(m.id)!;
      expect([r.topic, r.partition, r.offset, r.message.type, r.key]).toEqual([
        m.topic,
        m.partition,
        m.offset,
        m.type,
        m.ipt_no,
      ]);
    }
    // Within a visit and topic, the offsets grow in the order the simulator published (the manifest's order).
    const lastOffset = new Map<string, bigint>();
    for (const m of messages) {
      const lane = `${m.topic}/${m.ipt_no}`;
      const offset = BigInt(m.offset);
      expect(offset > (lastOffset.get(lane) ?? -1n)).toBe(true);
      lastOffset.set(lane, offset);
    }
    for (const visit of new Set(messages.map((m) => m.ipt_no))) {
      const inpatient = messages
        .filter((m) => m.ipt_no === visit && m.topic === topics.names.inpatient)
        .map((m) => m.type);
      expect(inpatient[0]).toBe('PatientAdmitted');
    }
  });

  it('records per visit the fee total that the messages read back add up to', () => {
    const visits = manifest.filter((m) => m.record === 'visit') as unknown as VisitRecord[];
    expect(visits).toHaveLength(4);
    for (const visit of visits) {
      const ofVisit = read.filter((r) => r.key === visit.ipt_no).map((r) => r.message);
      const voided = new Set(
        ofVisit
          .filter((m) => m.type === 'FeeLinesVoided')
          .flatMap((m) => (m.data as DataOf<'FeeLinesVoided'>).feedetl_sns),
      );
      const total = ofVisit
        .filter((m) => m.type === 'FeeLinesCharged')
        .flatMap((m) => (m.data as DataOf<'FeeLinesCharged'>).lines)
        .filter((l) => !voided.has(l.feedetl_sn))
        .reduce((sum, l) => sum.plus(l.det_item_fee_sumamt), new Decimal(0));
      expect(visit.medfee_sumamt).toBe(total.toFixed(2));
      expect(visit.messages).toBe(ofVisit.length);
      expect(visit.complete).toBe(true);
      if (!visit.cancelled) expect(visit.settlement_requested_sumamt).toBe(visit.medfee_sumamt);
    }
    expect(manifest[0]).toMatchObject({ record: 'run', seed: 20240501, beds: 3 });
    expect(manifest[manifest.length - 1]).toMatchObject({ record: 'summary', published: stats.published });
  });
});

describe('HIS simulator publishing in batches', () => {
  it('publishes the same messages, each visit in the same order on each topic, as one at a time', async () => {
    const published = async (batchSize: number) => {
      const topics = await createTestTopics(['inpatient', 'clinical'], { partitions: 3 });
      const consumer = testKafka().consumer({ groupId: uniqueName('his-sim-batch'), maxWaitTimeInMs: 200 });
      try {
        const simulator = await startHisSimulator({
          beds: 3,
          episodes: 3,
          ratePerSecond: 100_000,
          seed: 20240502,
          brokers: kafkaBrokers(),
          topics: topics.names,
          batchSize,
          manifestPath: join(mkdtempSync(join(tmpdir(), 'his-sim-batch-')), 'manifest.jsonl'),
        });
        const stats = await simulator.finished;
        const lanes = new Map<string, string[]>();
        await consumer.connect();
        await consumer.subscribe({ topics: Object.values(topics.names), fromBeginning: true });
        let read = 0;
        await consumer.run({
          eachMessage: async ({ topic, message }) => {
            read += 1;
            const lane = `${topic === topics.names.clinical ? 'clinical' : 'inpatient'}/${message.key!.toString()}`;
            lanes.set(lane, [
              ...(lanes.get(lane) ?? []),
              parseMessage(JSON.parse(message.value!.toString())).id,
            ]);
          },
        });
        await waitFor('every message read back', () => (read >= stats.published ? true : undefined));
        return { stats, lanes };
      } finally {
        await consumer.disconnect();
        await topics.delete();
      }
    };
    const oneByOne = await published(1);
    const batched = await published(50);
    expect(batched.stats.published).toBe(oneByOne.stats.published);
    expect(batched.stats.published).toBeGreaterThan(50);
    expect([...batched.lanes].sort()).toEqual([...oneByOne.lanes].sort());
  });
});

describe('HIS simulator in real time (npm start)', () => {
  it('publishes the past at the rate and nothing before its simulated time', async () => {
    const topics = await createTestTopics(['inpatient', 'clinical']);
    const manifestPath = join(mkdtempSync(join(tmpdir(), 'his-sim-real-time-')), 'manifest.jsonl');
    try {
      // Whole seconds, as the simulator takes its start: the test's timeline must be the simulator's to the millisecond.
      const startAt = new Date(Math.floor((Date.now() - 36 * 3600 * 1000) / 1000) * 1000);
      const options = { beds: 4, seed: 20261203, startAt };
      const simulator = await startHisSimulator({
        ...options,
        realTime: true,
        ratePerSecond: 2000,
        durationMs: 4_000,
        brokers: kafkaBrokers(),
        topics: topics.names,
        manifestPath,
      });
      const stats = await simulator.finished;
      const endedAt = Date.now();
      const occurred = readFileSync(manifestPath, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Partial<MessageRecord>)
        .filter((r) => r.record === 'message')
        .map((r) => Date.parse(r.occurredAt!));
      // The same timeline, cut at the wall clock: the past went out whole, the future not at all.
      let past = 0;
      for (const step of hospitalTimeline({ ...options, startAt: startAt.getTime() })) {
        if (Date.parse(step.message.envelope.occurredAt) > endedAt) break;
        past += 1;
      }
      expect(stats.stopReason).toBe('duration');
      expect(stats.published).toBeGreaterThan(20);
      expect(stats.published).toBe(past);
      expect(Math.max(...occurred)).toBeLessThanOrEqual(endedAt);
    } finally {
      await topics.delete();
    }
  });
});
