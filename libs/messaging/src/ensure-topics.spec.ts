import { KafkaJSProtocolError, type Admin } from 'kafkajs';
import { ensureTopics } from './ensure-topics';

/**
 * An admin that knows no topic, makes the ones asked for, names their leader at once, and answers their offsets
 * only after `notLeaderAnswers` NOT_LEADER_OR_FOLLOWER errors: Kafka 4.1 right after a topic is made (seen in CI).
 */
function adminOfANewCluster(notLeaderAnswers: number) {
  const created: string[] = [];
  const calls = { offsets: 0 };
  const admin = {
    async listTopics() {
      return [...created];
    },
    async createTopics({ topics }: { topics: { topic: string }[] }) {
      created.push(...topics.map((t) => t.topic));
      return true;
    },
    async fetchTopicMetadata({ topics }: { topics: string[] }) {
      return { topics: topics.map((name) => ({ name, partitions: [{ partitionId: 0, leader: 1 }] })) };
    },
    async fetchTopicOffsets() {
      if (calls.offsets++ < notLeaderAnswers) {
        throw new KafkaJSProtocolError(
          Object.assign(new Error('This server is not the leader for that topic-partition'), {
            type: 'NOT_LEADER_FOR_PARTITION',
            code: 6,
            retriable: true,
          }),
        );
      }
      return [{ partition: 0, offset: '0', high: '0', low: '0' }];
    },
  };
  return { admin: admin as unknown as Admin, calls };
}

describe('ensureTopics', () => {
  it('returns a new topic only once its offsets answer, not when the metadata first names a leader', async () => {
    const { admin, calls } = adminOfANewCluster(2);
    expect(await ensureTopics(admin, ['fee.results'])).toEqual(['fee.results']);
    expect(calls.offsets).toBe(3);
    // What a caller does next, e.g. CompactedTopicCopy reading the topic's ends, now answers.
    await expect(admin.fetchTopicOffsets('fee.results')).resolves.toHaveLength(1);
  });

  it('asks nothing of topics that exist already', async () => {
    const { admin, calls } = adminOfANewCluster(0);
    await ensureTopics(admin, ['fee.results']);
    expect(await ensureTopics(admin, ['fee.results'])).toEqual([]);
    expect(calls.offsets).toBe(1);
  });
});
