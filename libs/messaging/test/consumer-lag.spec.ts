import { createTestTopics, testKafka, testProducer, uniqueName, type TestTopics } from '@yb/testing';
import { type Admin, type Producer } from 'kafkajs';
import { consumerGroupLag, groupsLag } from '../src';

// What a harness waits on before it reads a run's outcome: the groups' lag from the broker's view (high
// watermarks against committed offsets), on the real Kafka.

let topics: TestTopics<'visits' | 'results'>;
let admin: Admin;
let producer: Producer;
const group = {
  partly: uniqueName('lag-partly'),
  caughtUp: uniqueName('lag-caught-up'),
  behind: uniqueName('lag-behind'),
  neverCommitted: uniqueName('lag-never'),
};

/** Appends `count` records to one partition. */
async function append(topic: string, partition: number, count: number): Promise<void> {
  await producer.send({
    topic,
    messages: Array.from({ length: count }, (_, i) => ({ partition, value: `record ${i}` })),
  });
}

/** Commits `offsets` (partition → next offset to read) for a group that has no member, as a consumer would. */
async function commit(groupId: string, topic: string, offsets: Record<number, string>): Promise<void> {
  await admin.setOffsets({
    groupId,
    topic,
    partitions: Object.entries(offsets).map(([partition, offset]) => ({
      partition: Number(partition),
      offset,
    })),
  });
}

beforeAll(async () => {
  topics = await createTestTopics(['visits', 'results'], { partitions: 2 });
  admin = testKafka().admin();
  await admin.connect();
  producer = testProducer();
  await producer.connect();
  await append(topics.names.visits, 0, 3);
  await append(topics.names.visits, 1, 2);
  await append(topics.names.results, 0, 4);
  // kafkajs sets a group's offsets through a consumer of its own, whose stop waits out its fetch (5 s): together.
  await Promise.all([
    commit(group.partly, topics.names.visits, { 0: '1' }),
    commit(group.caughtUp, topics.names.visits, { 0: '3', 1: '2' }),
    commit(group.behind, topics.names.visits, { 0: '3', 1: '1' }).then(() =>
      commit(group.behind, topics.names.results, { 0: '1' }),
    ),
  ]);
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await topics?.delete();
});

describe('consumer lag', () => {
  it('consumerGroupLag: high watermark − committed offset per partition, from the earliest where none was committed', async () => {
    const lags = await consumerGroupLag(admin, group.partly, [topics.names.visits]);
    expect(lags.sort((a, b) => a.partition - b.partition)).toEqual([
      { topic: topics.names.visits, partition: 0, lag: 2 },
      { topic: topics.names.visits, partition: 1, lag: 2 },
    ]);
  });

  it('groupsLag sums every group over the topics each committed on', async () => {
    expect(await groupsLag(admin, [group.caughtUp])).toBe(0);
    expect(await groupsLag(admin, [group.neverCommitted])).toBe(0);
    // behind: 1 on visits' partition 1, 3 on results' partition 0; results' partition 1 is empty.
    expect(await groupsLag(admin, [group.behind])).toBe(4);
    expect(await groupsLag(admin, [group.caughtUp, group.behind, group.neverCommitted])).toBe(4);
  });
});
