import { randomUUID } from 'node:crypto';
import { type Consumer, type Kafka } from 'kafkajs';
import { ensureTopics } from './ensure-topics';
import { partitionOffsets } from './topic-reader';

export interface CompactedTopicCopyOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  /** Names the process's own consumer group (`<groupPrefix>-<uuid>`), e.g. `fee-detail-mappings`. */
  readonly groupPrefix: string;
  /**
   * Called with each record's value in log order; the latest record of a key is the key's state. `live`: the
   * copy had caught up before this record (a change made while the process runs, not the start's catch-up).
   */
  readonly apply: (value: string, live: boolean) => void;
}

/**
 * A process's copy of a compacted topic: read from its start by a consumer group of this process alone (nothing
 * committed), so every process holds every key's latest record, and kept up to date while it runs. start()
 * resolves once the records published before it are applied, so nothing is checked against an empty copy. A
 * topic not made yet is made (compacted): the copy of a topic nobody has written to is empty, not an error.
 */
export class CompactedTopicCopy {
  private consumer: Consumer | undefined;

  constructor(private readonly options: CompactedTopicCopyOptions) {}

  async start(): Promise<void> {
    const { kafka, topic, groupPrefix, apply } = this.options;
    const admin = kafka.admin();
    await admin.connect();
    const ends = new Map<number, bigint>();
    try {
      await ensureTopics(admin, [topic]);
      for (const { partition, high, low } of await partitionOffsets(admin, topic)) {
        if (high > low) ends.set(partition, high);
      }
    } finally {
      await admin.disconnect();
    }
    let caughtUp: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (caughtUp = resolve));
    // An empty fetch waits this long at the broker: a record is still handed over as it comes, and each service's
    // copies cost it 2 fetches a second while nothing changes, not 5 (idle kafkajs consumer, patched loop: 15 ms
    // of CPU a second at 500, 19 at 200); stop() waits at most this for the fetch in flight.
    const consumer = kafka.consumer({ groupId: `${groupPrefix}-${randomUUID()}`, maxWaitTimeInMs: 500 });
    this.consumer = consumer;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          if (message.value) apply(message.value.toString('utf8'), ends.size === 0);
          const end = ends.get(partition);
          if (end !== undefined && BigInt(message.offset) + 1n >= end) ends.delete(partition);
          if (ends.size === 0) caughtUp();
        },
      });
    } catch (err) {
      // A start tried again (the broker unreachable) begins with a consumer of its own.
      await this.stop().catch(() => undefined);
      throw err;
    }
    if (ends.size === 0) caughtUp();
    await reached;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }
}
