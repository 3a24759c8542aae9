import { type Admin } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
  replicationFactor?: number;
}

/**
 * Creates the topics that do not exist yet and waits for their leaders. Topics must exist before a
 * consumer subscribes: on KRaft a subscription to a missing topic fails even with auto-create on.
 * Returns the topics it created.
 */
export async function ensureTopics(admin: Admin, topics: readonly (string | TopicSpec)[]): Promise<string[]> {
  const specs = topics.map((t) => (typeof t === 'string' ? { topic: t } : t));
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((s) => ({
      topic: s.topic,
      numPartitions: s.numPartitions ?? -1,
      replicationFactor: s.replicationFactor ?? -1,
    })),
  });
  return missing.map((s) => s.topic);
}

/** Throws, naming them, when some of `topics` do not exist. */
export async function assertTopicsExist(admin: Admin, topics: readonly string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length > 0) {
    throw new Error(`Kafka topics do not exist (create them before subscribing): ${missing.join(', ')}`);
  }
}
