import { randomUUID } from 'node:crypto';
import { type IHeaders, type Kafka } from 'kafkajs';
import { assertTopicsExist } from './ensure-topics';

export interface ReadRecord {
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

/**
 * Reads a topic's records up to the end offsets it had when the read began, in a consumer group of its own that
 * commits nothing (tools reading a dead-letter topic or one record of the original topic; not for services).
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  options: ReadOptions = {},
): Promise<ReadRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, bigint>();
  let partitions: number[];
  try {
    await assertTopicsExist(admin, [topic]);
    const offsets = await admin.fetchTopicOffsets(topic);
    partitions = offsets.map((o) => o.partition);
    for (const { partition, high, low } of offsets) {
      if (options.partition !== undefined && partition !== options.partition) continue;
      const start =
        partition === options.partition && options.from !== undefined ? BigInt(options.from) : BigInt(low);
      if (BigInt(high) > start) ends.set(partition, BigInt(high));
    }
  } finally {
    await admin.disconnect();
  }
  const records: ReadRecord[] = [];
  if (ends.size === 0 || options.limit === 0) return records;
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 250 });
  await consumer.connect();
  try {
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const end = ends.get(partition);
        if (end === undefined || BigInt(message.offset) >= end) return;
        if (options.from !== undefined && BigInt(message.offset) < BigInt(options.from)) return;
        records.push({
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: message.headers,
        });
        if (BigInt(message.offset) + 1n >= end) ends.delete(partition);
        if (ends.size === 0 || records.length === options.limit) done();
      },
    });
    if (options.partition !== undefined) {
      const others = partitions.filter((p) => p !== options.partition);
      if (others.length > 0) consumer.pause([{ topic, partitions: others }]);
      if (options.from !== undefined)
        consumer.seek({ topic, partition: options.partition, offset: options.from });
    }
    await finished;
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}
