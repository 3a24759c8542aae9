import { createTestTopics, testKafka, type TestTopics, testProducer } from '@yb/testing';
import { type Producer } from 'kafkajs';
import { readTopic, readTopics } from '../src';

// The tools' readers (dlq, chaos's reconciliation, the dashboard's dead letters): what a topic held when the read
// began, every partition, and nothing written after.

let topics: TestTopics<'first' | 'second'>;
let producer: Producer;

const values = (records: { value: Buffer | null }[]) => records.map((r) => r.value?.toString()).sort();

beforeAll(async () => {
  topics = await createTestTopics(['first', 'second'], { partitions: 2 });
  producer = testProducer();
  await producer.connect();
  await producer.send({
    topic: topics.names.first,
    messages: [
      { partition: 0, value: 'a0' },
      { partition: 0, value: 'a1' },
      { partition: 1, value: 'a2' },
    ],
  });
  await producer.send({ topic: topics.names.second, messages: [{ partition: 1, value: 'b0' }] });
});

afterAll(async () => {
  await producer.disconnect();
  await topics.delete();
});

describe('readTopics', () => {
  it('reads every partition of every topic named, each record with its topic', async () => {
    const records = await readTopics(testKafka(), [topics.names.first, topics.names.second]);

    expect(values(records)).toEqual(['a0', 'a1', 'a2', 'b0']);
    expect(records.find((r) => r.value?.toString() === 'b0')).toMatchObject({
      topic: topics.names.second,
      partition: 1,
      offset: '0',
    });
  });
});

describe('readTopic', () => {
  it('reads the topic up to where it ended when the read began', async () => {
    expect(values(await readTopic(testKafka(), topics.names.first))).toEqual(['a0', 'a1', 'a2']);
  });

  it('reads one record at a position', async () => {
    const [record, ...more] = await readTopic(testKafka(), topics.names.first, {
      partition: 0,
      from: '1',
      limit: 1,
    });

    expect(more).toEqual([]);
    expect(record).toMatchObject({ topic: topics.names.first, partition: 0, offset: '1' });
    expect(record.value?.toString()).toBe('a1');
  });

  it('refuses a topic that does not exist, naming it', async () => {
    await expect(readTopic(testKafka(), `${topics.names.first}-missing`)).rejects.toThrow(/-missing/);
  });
});
