import { DeadLetterHeaders, dlqTopic } from '@yb/contracts';
import { type IHeaders, type Message } from 'kafkajs';

export interface DeadLetterInput {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders | undefined;
  groupId: string;
  reason: string;
  /** Handler attempts made; 0 when the message was refused at the edge. */
  attempts: number;
  failedAt: Date;
}

/** Longest reason kept in a header: a stack trace or a huge validation list must not break the record. */
const MAX_REASON_LENGTH = 4_000;

/**
 * The dead-letter record: the original key, payload (bytes as they were, even when not JSON) and
 * headers, plus the reason and where it came from, so that it can be read, fixed and republished.
 */
export function deadLetterRecord(input: DeadLetterInput): { topic: string; message: Message } {
  const reason =
    input.reason.length > MAX_REASON_LENGTH
      ? `${input.reason.slice(0, MAX_REASON_LENGTH)}… (truncated)`
      : input.reason;
  return {
    topic: dlqTopic(input.topic),
    message: {
      key: input.key,
      value: input.value,
      headers: {
        ...input.headers,
        [DeadLetterHeaders.reason]: reason,
        [DeadLetterHeaders.originalTopic]: input.topic,
        [DeadLetterHeaders.originalPartition]: String(input.partition),
        [DeadLetterHeaders.originalOffset]: input.offset,
        [DeadLetterHeaders.consumerGroup]: input.groupId,
        [DeadLetterHeaders.attempts]: String(input.attempts),
        [DeadLetterHeaders.failedAt]: input.failedAt.toISOString(),
      },
    },
  };
}
