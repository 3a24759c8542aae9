import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PatientAdmittedV1, createEnvelope, type Envelope } from '@yb/contracts';
import { reconcileDeliveries, uniqueName, waitFor, type Delivery, type SentRecord } from '@yb/testing';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaConsumerHost, KafkaPublisher } from '../src';

// A three-node KRaft cluster on loopback (tools/stack, `--brokers 3`: RF 3, min ISR 2), our idempotent publisher
// (acks from all in-sync replicas) and our consumer host, and one node killed (SIGKILL) while records flow, then
// started again. Judged from the outside: nothing lost, nothing written twice, each key in order, and the
// consumer went on while the node was away.

const root = path.resolve(__dirname, '../../..');
const stackEnv: NodeJS.ProcessEnv = {
  ...process.env,
  // Its own ports, away from the suite's broker; KAFKA_BROKERS would make the stack reuse the suite's.
  KAFKA_PORT: '29192',
  KAFKA_CONTROLLER_PORT: '29193',
  KAFKA_BROKERS: '',
  STACK_ZIPKIN: 'false',
};
delete stackEnv.KAFKA_BROKERS;

function stack(...args: string[]): string {
  const res = spawnSync(
    process.execPath,
    [path.join(root, 'tools/stack/stack.mjs'), ...args, '--brokers', '3'],
    {
      env: stackEnv,
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  if (res.status !== 0) throw new Error(`stack ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  return res.stdout;
}

const KEYS = 24;
const BATCHES = 60;
const PER_BATCH = 30;
const KILLED_NODE = '1';

let kafka: Kafka;
let publisher: KafkaPublisher;
let host: KafkaConsumerHost;
const topic = uniqueName('t.broker-loss').replace(/_/g, '-');
const sent: SentRecord[] = [];
const deliveries: (Delivery & { at: number })[] = [];

beforeAll(async () => {
  const up = stack('up');
  const brokers = /^Kafka\s+(\S+)/m.exec(up)?.[1]?.split(',');
  expect(brokers).toHaveLength(3);
  kafka = new Kafka({ clientId: uniqueName('broker-loss'), brokers: brokers!, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: false,
    topics: [
      {
        topic,
        numPartitions: 6,
        replicationFactor: 3,
        configEntries: [{ name: 'min.insync.replicas', value: '2' }],
      },
    ],
  });
  // A new cluster's nodes learn of the topic one after the other: wait until every replica is in sync.
  await waitFor(
    'the topic fully replicated',
    async () => {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics[0]?.partitions ?? [];
      return partitions.length === 6 && partitions.every((p) => p.leader >= 0 && p.isr.length === 3)
        ? true
        : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  await admin.disconnect();
  publisher = new KafkaPublisher(kafka);
  await publisher.connect();
  host = new KafkaConsumerHost({
    kafka,
    groupId: uniqueName('broker-loss'),
    topics: [topic],
    logger: {
      info: () => undefined,
      warn: (o: unknown, m?: string) =>
        process.stderr.write(`[host warn] ${m} ${JSON.stringify(o).slice(0, 300)}\n`),
      error: (o: unknown, m?: string) =>
        process.stderr.write(`[host error] ${m} ${JSON.stringify(o).slice(0, 300)}\n`),
    },
  }).handle('PatientAdmitted', async ({ envelope }) => {
    const record = sentById.get(envelope.id);
    deliveries.push({ id: envelope.id, key: envelope.key, seq: record?.seq ?? -1, at: Date.now() });
  });
  await host.start();
}, 360_000);

afterAll(async () => {
  await host?.stop();
  await publisher?.disconnect();
  stack('down');
}, 120_000);

const sentById = new Map<string, SentRecord>();

function batch(b: number): Envelope[] {
  return Array.from({ length: PER_BATCH }, (_, i) => {
    const key = `ZY-BL-${(b * PER_BATCH + i) % KEYS}`;
    const seq = sent.filter((r) => r.key === key).length + 1;
    const envelope = createEnvelope({
      type: PatientAdmittedV1.type,
      schemaVersion: PatientAdmittedV1.version,
      key,
      data: { ...PatientAdmittedV1.example, ipt_no: key },
      traceparent: null,
    });
    const record = { id: envelope.id, key, seq };
    sent.push(record);
    sentById.set(record.id, record);
    return envelope;
  });
}

it('loses nothing and writes nothing twice when a broker is killed under load and comes back', async () => {
  let killedAt = 0;
  let restartedAt = 0;
  for (let b = 0; b < BATCHES; b++) {
    if (b === BATCHES / 3) {
      stack('stop-node', KILLED_NODE, '--kill');
      killedAt = Date.now();
    }
    if (b === (2 * BATCHES) / 3) {
      // The node stays away until the consumer has gone on without it (its group coordinator may have been that
      // node: finding the next one takes kafkajs some seconds), bounded: a consumer that never goes on fails here.
      await waitFor(
        `a record delivered while node ${KILLED_NODE} is away`,
        () => (deliveries.some((d) => d.at > killedAt) ? true : undefined),
        { timeoutMs: 90_000, intervalMs: 250 },
      );
      stack('start-node', KILLED_NODE);
      restartedAt = Date.now();
    }
    // A batch the cluster refused while leaders moved is sent again, as the outbox relay does.
    const envelopes = batch(b);
    await waitFor(
      `batch ${b} acknowledged`,
      () =>
        publisher.publishAll(topic, envelopes).then(
          () => true,
          (err) => {
            process.stderr.write(
              `[broker-loss] batch ${b} refused, sent again: ${err.name} ${err.message}\n`,
            );
            return undefined;
          },
        ),
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await new Promise((r) => setTimeout(r, 250));
  }

  await waitFor(
    'every record delivered',
    () => (new Set(deliveries.map((d) => d.id)).size >= sent.length ? true : undefined),
    { timeoutMs: 120_000, intervalMs: 500 },
  ).catch(() => undefined); // judged below, naming what is missing

  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const recordsInLog = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);

  const report = reconcileDeliveries(sent, deliveries, recordsInLog);
  const deliveredWhileAway = deliveries.filter((d) => d.at > killedAt && d.at < restartedAt).length;
  process.stderr.write(
    `[broker-loss] sent ${report.sent}, lost ${report.lost.length}, in log ${recordsInLog} ` +
      `(duplicated ${report.duplicatedInLog}), redelivered ${report.redelivered}, out of order ` +
      `${report.outOfOrder.length}, delivered while node ${KILLED_NODE} was away ${deliveredWhileAway}\n`,
  );
  expect(report.lost).toEqual([]);
  expect(report.unexpected).toEqual([]);
  expect(report.outOfOrder).toEqual([]);
  // A partition sent again after its answer was lost with the dead broker can stand twice in the log (seen: 0–2 of
  // 1,800): at-least-once, as every consumer of ours deduplicates by envelope id (the inbox). Reported, bounded.
  expect(report.duplicatedInLog).toBeLessThanOrEqual(PER_BATCH);
  expect(deliveredWhileAway).toBeGreaterThan(0);
}, 600_000);
