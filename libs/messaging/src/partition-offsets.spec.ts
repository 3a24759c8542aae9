import { KafkaJSProtocolError, type Admin } from 'kafkajs';
import { partitionOffsets } from './topic-reader';

/** An admin whose fetchTopicOffsets throws the given errors first, then answers. */
function adminFailing(...errors: Error[]): Admin & { calls: number } {
  const admin = {
    calls: 0,
    async fetchTopicOffsets() {
      const error = errors[admin.calls++];
      if (error) throw error;
      return [{ partition: 0, offset: '7', high: '7', low: '2' }];
    },
  };
  return admin as unknown as Admin & { calls: number };
}

/** A protocol error as kafkajs builds one from the broker's answer (its code's type and whether it is retriable). */
const protocolError = (message: string, fields: { type: string; code: number; retriable: boolean }) =>
  new KafkaJSProtocolError(Object.assign(new Error(message), fields));

const notLeader = () =>
  protocolError('This server is not the leader for that topic-partition', {
    type: 'NOT_LEADER_FOR_PARTITION',
    code: 6,
    retriable: true,
  });

describe('partitionOffsets', () => {
  it("asks again while the topic's leader has not taken its partitions up (a retriable error)", async () => {
    const admin = adminFailing(notLeader(), notLeader());
    expect(await partitionOffsets(admin, 't')).toEqual([{ partition: 0, low: 2n, high: 7n }]);
    expect(admin.calls).toBe(3);
  });

  it('throws an error that is not retriable at once', async () => {
    const refused = protocolError('Not authorized to access topics', {
      type: 'TOPIC_AUTHORIZATION_FAILED',
      code: 29,
      retriable: false,
    });
    const admin = adminFailing(refused);
    await expect(partitionOffsets(admin, 't')).rejects.toBe(refused);
    expect(admin.calls).toBe(1);
  });
});
