import { type Admin } from 'kafkajs';

/** How far a consumer group is behind on one partition. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** Messages not yet committed by the group: high watermark − committed offset. */
  lag: number;
}

/**
 * The group's lag on every partition of `topics`, from the broker's view (high watermarks and the group's
 * committed offsets), so that it keeps growing when the consumer is stuck or gone. A partition the group never
 * committed on counts from its earliest offset (the host subscribes from the beginning).
 */
export async function consumerGroupLag(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<PartitionLag[]> {
  const [committed, ends] = await Promise.all([
    admin.fetchOffsets({ groupId, topics: [...topics] }),
    Promise.all(topics.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) }))),
  ]);
  return ends.flatMap(({ topic, partitions }) => {
    const done = new Map(
      (committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [
        p.partition,
        BigInt(p.offset),
      ]),
    );
    return partitions.map(({ partition, high, low }) => {
      const committedOffset = done.get(partition) ?? -1n;
      const from = committedOffset >= 0n ? committedOffset : BigInt(low);
      const lag = BigInt(high) - from;
      return { topic, partition, lag: lag > 0n ? Number(lag) : 0 };
    });
  });
}

/**
 * Records the groups have not consumed yet, summed over every topic each has committed on: what a harness waits
 * to reach 0 before it reads the run's outcome (a group that never committed counts nothing).
 */
export async function groupsLag(admin: Admin, groups: readonly string[]): Promise<number> {
  let lag = 0;
  for (const groupId of groups) {
    const topics = (await admin.fetchOffsets({ groupId })).map((t) => t.topic);
    if (topics.length === 0) continue;
    for (const partition of await consumerGroupLag(admin, groupId, topics)) lag += partition.lag;
  }
  return lag;
}
