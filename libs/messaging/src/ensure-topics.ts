import { isCompactedTopic } from '@yb/contracts';
import { type Admin } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
  replicationFactor?: number;
}

/**
 * Creates the topics that do not exist yet and waits for their leaders. Topics must exist before a
 * consumer subscribes: on KRaft a subscription to a missing topic fails even with auto-create on.
 * Returns the topics it created. The product's compacted topics (COMPACTED_TOPICS) are created compacted.
 *
 * kafkajs' own `waitForLeaders` gives up when the broker it asks has not heard of the topic yet ("This server
 * does not host this topic-partition"), which on a cluster of several brokers is the normal state for a moment
 * after creation: the wait here asks again until every partition has a leader (LEADERS_TIMEOUT_MS). A leader named in
 * the metadata may not have taken its partitions up yet (Kafka 4 then answers NOT_LEADER_OR_FOLLOWER, which kafkajs'
 * fetchTopicOffsets does not try again): the wait ends only once every new topic's offsets answer, so a caller can
 * read a topic's ends as soon as it is made.
 */
export async function ensureTopics(admin: Admin, topics: readonly (string | TopicSpec)[]): Promise<string[]> {
  const specs = topics.map((t) => (typeof t === 'string' ? { topic: t } : t));
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: false,
    topics: missing.map((s) => ({
      topic: s.topic,
      numPartitions: s.numPartitions ?? -1,
      replicationFactor: s.replicationFactor ?? -1,
      ...(isCompactedTopic(s.topic) && { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }),
    })),
  });
  const names = missing.map((s) => s.topic);
  await waitForLeaders(admin, names);
  return names;
}

const LEADERS_TIMEOUT_MS = 30_000;

async function waitForLeaders(admin: Admin, topics: readonly string[]): Promise<void> {
  const deadline = Date.now() + LEADERS_TIMEOUT_MS;
  let last = 'no answer yet';
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
      const leaderless = metadata.topics.filter(
        (t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0),
      );
      if (metadata.topics.length === topics.length && leaderless.length === 0) {
        for (const topic of topics) await admin.fetchTopicOffsets(topic);
        return;
      }
      last = `no leader yet for ${leaderless.map((t) => t.name).join(', ') || 'some topics'}`;
    } catch (err) {
      // UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE and NOT_LEADER_OR_FOLLOWER while the cluster takes the new
      // topics up.
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      throw new Error(`Kafka topics created but without leaders after ${LEADERS_TIMEOUT_MS} ms: ${last}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Throws, naming them, when some of `topics` do not exist. */
export async function assertTopicsExist(admin: Admin, topics: readonly string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length > 0) {
    throw new Error(`Kafka topics do not exist (create them before subscribing): ${missing.join(', ')}`);
  }
}
