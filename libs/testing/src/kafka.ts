import { dlqTopic } from '@yb/contracts';
import { type Admin, type ITopicConfig, Kafka, logLevel, type Producer } from 'kafkajs';
import { kafkaBrokers, uniqueName } from './stack';

export interface TestTopics<K extends string> {
  /** The unique topic name for each logical name asked for. */
  readonly names: Record<K, string>;
  /** Deletes the topics, and their `.dlq` twins where a consumer host created them. */
  delete(): Promise<void>;
}

/** A kafkajs client for tests. Give consumers a short `maxWaitTimeInMs`: disconnect waits for the
 * pending long-poll fetch, 5 s by default. */
export function testKafka(clientId = uniqueName('test')): Kafka {
  return new Kafka({ clientId, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
}

/**
 * A producer for tests that count what they sent: idempotent, as the services' publishers are. A plain kafkajs
 * producer retries a send whose answer came late (CI's loaded broker) and writes the record twice.
 */
export function testProducer(kafka: Kafka = testKafka()): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
}

/**
 * Creates throw-away topics (unique names, created before use: on KRaft a consumer that subscribes
 * to a topic that does not exist yet fails even with auto-create on).
 */
export async function createTestTopics<K extends string>(
  logical: readonly K[],
  options: { partitions?: number } = {},
): Promise<TestTopics<K>> {
  const names = Object.fromEntries(
    logical.map((l) => [l, uniqueName(`t.${l}`).replace(/_/g, '-')]),
  ) as Record<K, string>;
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await createTopicsWithLeaders(
      admin,
      Object.values<string>(names).map((topic) => ({ topic, numPartitions: options.partitions ?? 1 })),
    );
  } finally {
    await admin.disconnect();
  }
  return {
    names,
    delete: async () => {
      const a = testKafka().admin();
      await a.connect();
      try {
        const existing = new Set(await a.listTopics());
        const twins = Object.values<string>(names)
          .map(dlqTopic)
          .filter((twin) => existing.has(twin));
        await a.deleteTopics({ topics: [...Object.values<string>(names), ...twins] });
      } finally {
        await a.disconnect();
      }
    },
  };
}

/**
 * Creates topics and waits until each partition has a leader. kafkajs's own `waitForLeaders` gives up on
 * UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker answers while its metadata catches up with a new topic
 * (a flake seen in CI); this wait retries it.
 */
export async function createTopicsWithLeaders(
  admin: Admin,
  topics: ITopicConfig[],
  timeoutMs = 30_000,
): Promise<void> {
  await admin.createTopics({ topics, waitForLeaders: false });
  const names = topics.map((t) => t.topic);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const metadata = await admin.fetchTopicMetadata({ topics: names }).catch(() => undefined);
    const ready =
      metadata?.topics.length === names.length &&
      metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
    if (ready) return;
    if (Date.now() > deadline)
      throw new Error(`topics without leaders after ${timeoutMs} ms: ${names.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
