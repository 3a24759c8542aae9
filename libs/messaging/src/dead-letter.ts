import { DeadLetterHeaders, DeadLetterPayloadHeaders, dlqTopic } from '@yb/contracts';
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

/**
 * Keeps the payload of a dead letter that the dead-letter topic cannot take even compressed (a record near the
 * broker's size limit, plus the reason), so that it can still be read and replayed after the original topic's
 * retention dropped the original record. Returns where it is kept (the dlq-payload-location header).
 */
export interface DeadLetterPayloadStore {
  keep(deadLetter: DeadLetterInput): Promise<string>;
}

/** Where the payload is when no store keeps it: the original record, until the original topic's retention. */
export const ORIGINAL_RECORD_LOCATION = 'original-record';

/** Longest reason kept in a header: a stack trace or a huge validation list must not break the record. */
const MAX_REASON_LENGTH = 4_000;

/**
 * The dead-letter record: the original key, payload (bytes as they were, even when not JSON) and
 * headers, plus the reason and where it came from, so that it can be read, fixed and republished.
 */
export function deadLetterRecord(input: DeadLetterInput): { topic: string; message: Message } {
  return {
    topic: dlqTopic(input.topic),
    message: { key: input.key, value: input.value, headers: headersOf(input) },
  };
}

/**
 * The dead letter without its payload, for one too large for the dead-letter topic even compressed: the same key
 * and headers, and where the payload is kept instead.
 */
export function deadLetterPointer(
  input: DeadLetterInput,
  location: string,
): { topic: string; message: Message } {
  return {
    topic: dlqTopic(input.topic),
    message: {
      key: input.key,
      value: null,
      headers: {
        ...headersOf(input),
        [DeadLetterPayloadHeaders.location]: location,
        [DeadLetterPayloadHeaders.bytes]: String(input.value?.length ?? 0),
      },
    },
  };
}

function headersOf(input: DeadLetterInput): IHeaders {
  const reason =
    input.reason.length > MAX_REASON_LENGTH
      ? `${input.reason.slice(0, MAX_REASON_LENGTH)}… (truncated)`
      : input.reason;
  return {
    ...input.headers,
    [DeadLetterHeaders.reason]: reason,
    [DeadLetterHeaders.originalTopic]: input.topic,
    [DeadLetterHeaders.originalPartition]: String(input.partition),
    [DeadLetterHeaders.originalOffset]: input.offset,
    [DeadLetterHeaders.consumerGroup]: input.groupId,
    [DeadLetterHeaders.attempts]: String(input.attempts),
    [DeadLetterHeaders.failedAt]: input.failedAt.toISOString(),
  };
}
