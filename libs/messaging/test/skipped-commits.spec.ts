import { AdmissionCancelledV1, PatientAdmittedV1 } from '@yb/contracts';
import { createTestTopics, testKafka, uniqueName, waitFor, type TestTopics } from '@yb/testing';
import { type Admin, type Kafka } from 'kafkajs';
import { consumerGroupLag, KafkaConsumerHost, KafkaPublisher } from '../src';
import { visitEnvelope } from './support/visit-envelope';

// A service's batches of records it does not handle (another service's results, its own read back) are most of
// what it reads; their offsets are committed with the next commit, not one request each (SkippedOffsets).
// The host's own kafkajs consumer is watched: its batches processed and its OffsetCommit requests.

let topics: TestTopics<'results'>;
let kafka: Kafka;
let admin: Admin;
let publisher: KafkaPublisher;
let host: KafkaConsumerHost;
const groupId = uniqueName('skipped-commits');
const seen: string[] = [];
const watched = { batches: 0, commits: 0 };

/** The test Kafka, whose consumers report their batches processed and offset commit requests in `watched`. */
function watchedKafka(real: Kafka): Kafka {
  return Object.assign(Object.create(real) as Kafka, {
    consumer: (config: Parameters<Kafka['consumer']>[0]) => {
      const consumer = real.consumer(config);
      consumer.on(consumer.events.END_BATCH_PROCESS, () => (watched.batches += 1));
      consumer.on(consumer.events.REQUEST, ({ payload }) => {
        if (payload.apiName === 'OffsetCommit') watched.commits += 1;
      });
      return consumer;
    },
  });
}

const lag = async () =>
  (await consumerGroupLag(admin, groupId, [topics.names.results])).reduce((sum, p) => sum + p.lag, 0);

/** Publishes records the host skips, one batch each: the next goes once the host has processed the one before. */
async function publishSkippedOneBatchEach(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const before = watched.batches;
    await publisher.publish(topics.names.results, visitEnvelope(AdmissionCancelledV1, 'ZY-SKIP'));
    await waitFor('the host to process the batch', () => (watched.batches > before ? true : undefined));
  }
}

beforeAll(async () => {
  topics = await createTestTopics(['results'], { partitions: 1 });
  kafka = watchedKafka(testKafka());
  admin = kafka.admin();
  await admin.connect();
  publisher = new KafkaPublisher(kafka);
  await publisher.connect();
  host = new KafkaConsumerHost({
    kafka,
    groupId,
    topics: [topics.names.results],
    // Longer than the test: a skipped batch's offset goes only with another commit, or when asked.
    skippedCommitDelayMs: 10 * 60_000,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  host.handle('PatientAdmitted', async ({ envelope }) => {
    seen.push(envelope.id);
  });
  await host.start();
});

afterAll(async () => {
  await host.stop();
  await publisher.disconnect();
  await admin.disconnect();
  await topics.delete();
});

describe('KafkaConsumerHost, batches it skips whole', () => {
  it('commits none of them by itself, and all of them in one request when asked', async () => {
    await publishSkippedOneBatchEach(5);
    expect(watched.commits).toBe(0);
    expect(await lag()).toBe(5);

    await host.commitSkippedOffsets();
    expect(watched.commits).toBe(1);
    expect(await lag()).toBe(0);
  });

  it('goes with the commit of the next batch it handles: one request for them all', async () => {
    const commitsBefore = watched.commits;
    await publishSkippedOneBatchEach(4);
    const admitted = visitEnvelope(PatientAdmittedV1, 'ZY-SKIP');
    await publisher.publish(topics.names.results, admitted);
    await waitFor('the handled record', () => (seen.includes(admitted.id) ? true : undefined));
    await waitFor('the commit', async () => ((await lag()) === 0 ? true : undefined));
    expect(watched.commits - commitsBefore).toBe(1);
  });

  it('commits them on stop, before leaving the group', async () => {
    await publishSkippedOneBatchEach(3);
    expect(await lag()).toBe(3);
    await host.stop();
    expect(await lag()).toBe(0);
    await host.start();
  });
});
