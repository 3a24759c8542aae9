import { withinMs } from '@yb/service-runtime';
import { type Admin } from 'kafkajs';

/** An admin call that does not answer (a topic deleted, a broker away) fails the run, which is retried. */
const ADMIN_TIMEOUT_MS = 5_000;

/** The end of a partition when a question was asked: every record before `offset` was there then. */
export interface ConsumedPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * "Has fee-detail consumed what was published before the question?" The settlement saga's totals question comes
 * on fee-detail's command topic; the lines it is about come on his.inpatient and the registration on
 * insurance.inpatient, and after a restart or under a backlog the question can overtake them. So the end of
 * each partition of those topics is noted when the question is recorded, and the answer waits until the
 * service's consumer group has committed past every one of them: a watermark, not a timer. Conservative: it
 * also waits for other visits' records of the same partitions, which a caught-up consumer has long passed.
 */
export class ConsumptionWatermark {
  constructor(
    private readonly admin: () => Promise<Admin>,
    private readonly groupId: string,
    private readonly topics: readonly string[],
    /**
     * Commits this process's consumer's skipped batches now (KafkaConsumerHost.commitSkippedOffsets): they wait
     * for a commit to go with otherwise, and a question about records it skipped (the saga's own reports) would
     * wait with them.
     */
    private readonly commitSkipped: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Where each non-empty partition of the topics ends now. */
  async capture(): Promise<ConsumedPosition[]> {
    const admin = await this.admin();
    const ends = await withinMs(
      ADMIN_TIMEOUT_MS,
      Promise.all(
        this.topics.map(async (topic) =>
          (await admin.fetchTopicOffsets(topic)).map((p) => ({
            topic,
            partition: p.partition,
            offset: p.high,
          })),
        ),
      ),
    );
    return ends.flat().filter((p) => p.offset !== '0');
  }

  /** Whether the group has committed up to every position (records before them all handled). */
  async reached(positions: readonly ConsumedPosition[]): Promise<boolean> {
    if (positions.length === 0) return true;
    await this.commitSkipped();
    const admin = await this.admin();
    const topics = [...new Set(positions.map((p) => p.topic))];
    const committed = new Map(
      (await withinMs(ADMIN_TIMEOUT_MS, admin.fetchOffsets({ groupId: this.groupId, topics }))).flatMap(
        ({ topic, partitions }) =>
          partitions.map((p) => [`${topic}/${p.partition}`, BigInt(p.offset)] as const),
      ),
    );
    // A partition the group never committed answers -1.
    return positions.every((p) => (committed.get(`${p.topic}/${p.partition}`) ?? -1n) >= BigInt(p.offset));
  }
}
