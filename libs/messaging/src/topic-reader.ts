import { randomUUID } from 'node:crypto';
import { type Admin, type IHeaders, type Kafka } from 'kafkajs';
import { assertTopicsExist } from './ensure-topics';

export interface ReadRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders | undefined;
}

export interface ReadOptions {
  /** Only this partition (default all). */
  partition?: number;
  /** From this offset of `partition` (default its start). */
  from?: string;
  /** Stop after this many records (default: at the end). */
  limit?: number;
}

/** A partition's first offset still held (`low`) and its end (`high`, the next offset written): empty when equal. */
export interface PartitionOffsets {
  readonly partition: number;
  readonly low: bigint;
  readonly high: bigint;
}

/** The topic's partitions and their offsets as they are now. */
export async function partitionOffsets(admin: Admin, topic: string): Promise<PartitionOffsets[]> {
  return (await admin.fetchTopicOffsets(topic)).map(({ partition, low, high }) => ({
    partition,
    low: BigInt(low),
    high: BigInt(high),
  }));
}

const partitionKey = (topic: string, partition: number) => `${topic}/${partition}`;

/**
 * Reads a topic's records up to the end offsets it had when the read began, in a consumer group of its own that
 * commits nothing (tools reading a dead-letter topic or one record of the original topic; not for services).
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  options: ReadOptions = {},
): Promise<ReadRecord[]> {
  const { partition: only, from, limit } = options;
  const admin = kafka.admin();
  await admin.connect();
  let partitions: PartitionOffsets[];
  try {
    await assertTopicsExist(admin, [topic]);
    partitions = await partitionOffsets(admin, topic);
  } finally {
    await admin.disconnect();
  }
  const ends = new Map<string, bigint>();
  for (const { partition, low, high } of partitions) {
    if (only !== undefined && partition !== only) continue;
    const start = partition === only && from !== undefined ? BigInt(from) : low;
    if (high > start) ends.set(partitionKey(topic, partition), high);
  }
  if (limit === 0) return [];
  const records = await readToEnds(kafka, [topic], ends, {
    limit,
    skip: (record) => from !== undefined && BigInt(record.offset) < BigInt(from),
    position:
      only === undefined
        ? undefined
        : {
            topic,
            partition: only,
            from,
            others: partitions.map((p) => p.partition).filter((p) => p !== only),
          },
  });
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

/** Reads several topics' records up to the end offsets they had when the read began (as readTopic, every partition). */
export async function readTopics(kafka: Kafka, topics: readonly string[]): Promise<ReadRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  try {
    await assertTopicsExist(admin, topics);
    for (const topic of topics)
      for (const { partition, low, high } of await partitionOffsets(admin, topic))
        if (high > low) ends.set(partitionKey(topic, partition), high);
  } finally {
    await admin.disconnect();
  }
  return readToEnds(kafka, topics, ends, {});
}

/** Consumes `topics` from their start until every partition in `ends` reached its end (or `limit` records). */
async function readToEnds(
  kafka: Kafka,
  topics: readonly string[],
  ends: Map<string, bigint>,
  options: {
    limit?: number;
    skip?: (record: ReadRecord) => boolean;
    /** One partition read from an offset, the topic's others paused. */
    position?: { topic: string; partition: number; from?: string; others: number[] };
  },
): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  if (ends.size === 0) return records;
  // A rebalance (Kafka 4.1 was seen to make one as the lone member joined) hands the partitions back from the start,
  // nothing being committed: a record is kept once, by its place in the log.
  const kept = new Set<string>();
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 250 });
  await consumer.connect();
  try {
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const key = partitionKey(topic, partition);
        const end = ends.get(key);
        if (end === undefined || BigInt(message.offset) >= end) return;
        const record: ReadRecord = {
          topic,
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: message.headers,
        };
        if (options.skip?.(record)) return;
        const place = `${key}@${message.offset}`;
        if (kept.has(place)) return;
        kept.add(place);
        records.push(record);
        if (BigInt(message.offset) + 1n >= end) ends.delete(key);
        if (ends.size === 0 || records.length === options.limit) done();
      },
    });
    const { position } = options;
    if (position) {
      if (position.others.length > 0)
        consumer.pause([{ topic: position.topic, partitions: position.others }]);
      if (position.from !== undefined)
        consumer.seek({ topic: position.topic, partition: position.partition, offset: position.from });
    }
    await finished;
  } finally {
    await consumer.disconnect();
  }
  return records;
}
