// What bare kafkajs does on the same broker, as the latency floor for the fee pipeline: no envelope, no
// validation, no database, no platform call. The measurement uses a fresh topic and consumer group, deleted after.
import { createTopicsWithLeaders, uniqueName } from '@yb/testing';
import { type Kafka, type Message } from 'kafkajs';
import { summarise, type LatencySummary } from './stats';

export interface BaselineOptions {
  readonly messages: number;
  /** Bytes of each message's value (the mean size of the HIS messages of the run). */
  readonly valueBytes: number;
  readonly partitions: number;
  /** As the services consume (KafkaConsumerHost's default). */
  readonly partitionsConsumedConcurrently: number;
}

function message(i: number, valueBytes: number): Message {
  // Keys spread over many "visits", as the HIS's are.
  return { key: `visit-${i % 997}`, value: Buffer.alloc(valueBytes, 0x61) };
}

async function withTopic<T>(kafka: Kafka, partitions: number, fn: (topic: string) => Promise<T>): Promise<T> {
  const topic = uniqueName('bench-raw').replace(/_/g, '-');
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsWithLeaders(admin, [{ topic, numPartitions: partitions }]);
    return await fn(topic);
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

/** A consumer of its own group from the topic's start; `done` settles once `messages` records were handled. */
async function consumeAll(
  kafka: Kafka,
  topic: string,
  options: BaselineOptions,
  onJoined: () => void,
  handled: (value: Buffer) => void,
): Promise<{ disconnect: () => Promise<void>; done: Promise<void> }> {
  const consumer = kafka.consumer({ groupId: uniqueName('bench-raw'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  consumer.on(consumer.events.GROUP_JOIN, onJoined);
  await consumer.subscribe({ topic, fromBeginning: true });
  let count = 0;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  await consumer.run({
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    eachMessage: async ({ message: record }) => {
      handled(record.value!);
      if (++count === options.messages) finish();
    },
  });
  return { disconnect: () => consumer.disconnect(), done };
}

/**
 * Produce → consume: with the consumer already in its group, records are sent one at a time (as the HIS
 * simulator sends), each carrying its index; latency = handled − send started, rate over first send → last.
 */
export async function rawProduceToConsume(kafka: Kafka, options: BaselineOptions): Promise<LatencySummary> {
  return withTopic(kafka, options.partitions, async (topic) => {
    const sentAt: number[] = [];
    const latencies: number[] = [];
    let lastHandled = 0;
    let joined: () => void = () => undefined;
    const inGroup = new Promise<void>((resolve) => (joined = resolve));
    const reader = await consumeAll(kafka, topic, options, joined, (value) => {
      lastHandled = performance.now();
      latencies.push(lastHandled - sentAt[value.readUInt32BE(0)]!);
    });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    try {
      await producer.connect();
      await inGroup;
      for (let i = 0; i < options.messages; i += 1) {
        const record = message(i, Math.max(4, options.valueBytes));
        (record.value as Buffer).writeUInt32BE(i, 0);
        sentAt[i] = performance.now();
        await producer.send({ topic, messages: [record] });
      }
      await reader.done;
    } finally {
      await producer.disconnect();
      await reader.disconnect();
    }
    return summarise(latencies, lastHandled - sentAt[0]!);
  });
}
