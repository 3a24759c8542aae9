import {
  type Admin,
  KafkaJSError,
  type Message,
  type PartitionMetadata,
  Partitioners,
  type Producer,
  type ProducerBatch,
  type RecordMetadata,
} from 'kafkajs';

/** A message with the partition it goes to set: what sendAcknowledged checks the answer against. */
export type PartitionedMessage = Message & { partition: number };

export interface PartitionedBatch extends Omit<ProducerBatch, 'topicMessages'> {
  topicMessages: { topic: string; messages: PartitionedMessage[] }[];
}

/** How many times the partitions an answer left out are sent again before giving up (a retriable error). */
const RESEND_ATTEMPTS = 5;

/** Some partitions of a send were never acknowledged, even sent again: retriable (nothing of theirs was written). */
export class UnacknowledgedPartitionsError extends KafkaJSError {
  constructor(readonly partitions: readonly string[]) {
    super(`Kafka did not acknowledge ${partitions.join(', ')} after ${RESEND_ATTEMPTS} sends`, {
      retriable: true,
    });
  }
}

/**
 * producer.sendBatch, checked partition by partition. kafkajs 2.2.4 keeps a send's answers per broker, not per
 * partition: when a broker dies mid-request and its partitions' leadership moves to a broker that already
 * answered, the retry skips them and the send resolves without their messages ever being written (a three-broker
 * test, libs/messaging/test/broker-loss.spec.ts, lost 3 to 15 of 1,800 records this way). Every message here
 * carries its partition; those of partitions the answer leaves out are sent again. Sending one again is safe:
 * with the idempotent producer kafkajs rolled the partition's sequence back when its request failed, so a copy
 * the dead broker did write is recognised by the new leader as a duplicate.
 */
export async function sendAcknowledged(
  producer: Producer,
  batch: PartitionedBatch,
): Promise<RecordMetadata[]> {
  // Without acknowledgements there is no answer to check.
  if (batch.acks === 0) return producer.sendBatch(batch);
  const answers: RecordMetadata[] = [];
  let pending = batch.topicMessages.filter((t) => t.messages.length > 0);
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > RESEND_ATTEMPTS) throw new UnacknowledgedPartitionsError(partitionsOf(pending));
    const answered = await producer.sendBatch({ ...batch, topicMessages: pending });
    answers.push(...answered);
    const acknowledged = new Set(answered.map((a) => `${a.topicName}/${a.partition}`));
    pending = pending
      .map(({ topic, messages }) => ({
        topic,
        messages: messages.filter((m) => !acknowledged.has(`${topic}/${m.partition}`)),
      }))
      .filter((t) => t.messages.length > 0);
  }
  return answers;
}

/**
 * Sets each message's partition as the producer's default partitioner would (the key's murmur2 hash, as Java
 * clients do), from the topic's partitions read once a minute: what sendAcknowledged needs to check an answer.
 */
export class TopicPartitioner {
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly partitions = new Map<string, { metadata: PartitionMetadata[]; readAt: number }>();

  constructor(private readonly admin: Admin) {}

  /** undefined when the topic does not exist yet (a producer's send creates it, where the broker allows). */
  async assign(topic: string, messages: readonly Message[]): Promise<PartitionedMessage[] | undefined> {
    const partitionMetadata = await this.partitionsOf(topic);
    if (!partitionMetadata) return undefined;
    return messages.map((message) => ({
      ...message,
      partition: message.partition ?? this.partitioner({ topic, partitionMetadata, message }),
    }));
  }

  private async partitionsOf(topic: string): Promise<PartitionMetadata[] | undefined> {
    const known = this.partitions.get(topic);
    if (known && Date.now() - known.readAt < PARTITIONS_MAX_AGE_MS) return known.metadata;
    let metadata: PartitionMetadata[];
    try {
      metadata = (await this.admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions ?? [];
    } catch (err) {
      if ((err as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') return undefined;
      throw err;
    }
    if (metadata.length === 0)
      throw new KafkaJSError(`Kafka topic ${topic} has no partitions`, { retriable: true });
    this.partitions.set(topic, { metadata, readAt: Date.now() });
    return metadata;
  }
}

const PARTITIONS_MAX_AGE_MS = 60_000;

function partitionsOf(topicMessages: PartitionedBatch['topicMessages']): string[] {
  return [
    ...new Set(
      topicMessages.flatMap(({ topic, messages }) => messages.map((m) => `${topic}/${m.partition}`)),
    ),
  ];
}
