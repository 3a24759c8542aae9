import { DeadLetterHeaders, DeadLetterPayloadHeaders, dlqTopic } from '@yb/contracts';
import { Keyring, isSealedBytes } from '@yb/sealing';
import { type IHeaders, type Message } from 'kafkajs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { headersAsText } from './headers';

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
 * With a sealing keyring (the services' NHSA_JOURNAL_KEYS) the payload, which holds the HIS's patient identifiers,
 * goes sealed: AES-256-GCM over its gzip (compressed first, so a large JSON record still fits the topic), bound to
 * the original record, under `dlq-payload-sealed`; key and headers (the reason, where it came from) stay readable.
 */
export function deadLetterRecord(
  input: DeadLetterInput,
  keyring: Keyring = Keyring.CLEAR,
): { topic: string; message: Message } {
  const headers = headersOf(input);
  if (!keyring.sealing || input.value === null) {
    return { topic: dlqTopic(input.topic), message: { key: input.key, value: input.value, headers } };
  }
  const value = keyring.sealBytes(gzipSync(input.value), sealedIn(input));
  return {
    topic: dlqTopic(input.topic),
    message: {
      key: input.key,
      value,
      headers: { ...headers, [DeadLetterPayloadHeaders.sealed]: keyring.activeKeyId! },
    },
  };
}

/**
 * A dead letter's original payload, opened when it was sealed (`dlq-payload-sealed`), as it was otherwise (written
 * clear, or without keys). Throws SealedValueError when the keyring lacks the key or the bytes were altered or
 * copied onto another dead letter.
 */
export function deadLetterPayload(
  record: { value: Buffer | null; headers?: IHeaders },
  keyring: Keyring = Keyring.fromEnv(),
): Buffer | null {
  const text = headersAsText(record.headers);
  return openDeadLetterPayload(
    record.value,
    {
      sealedWith: text[DeadLetterPayloadHeaders.sealed],
      groupId: text[DeadLetterHeaders.consumerGroup] ?? '',
      topic: text[DeadLetterHeaders.originalTopic] ?? '',
      partition: text[DeadLetterHeaders.originalPartition] ?? '',
      offset: text[DeadLetterHeaders.originalOffset] ?? '',
    },
    keyring,
  );
}

/** deadLetterPayload from the dead letter's headers already read: where it came from and the key it is sealed under. */
export function openDeadLetterPayload(
  value: Buffer | null,
  origin: DeadLetterOrigin & { sealedWith: string | undefined },
  keyring: Keyring,
): Buffer | null {
  if (origin.sealedWith === undefined || value === null) return value;
  if (!isSealedBytes(value)) {
    throw new Error(
      `the dead letter says its payload is sealed under "${origin.sealedWith}", but it is not sealed bytes`,
    );
  }
  return gunzipSync(keyring.openBytes(value, sealedIn(origin)));
}

/** The original record of a dead letter, and the consumer group that gave up on it. */
export interface DeadLetterOrigin {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number | string;
  readonly offset: string;
}

/** What a sealed payload is bound to: the record it copies and the group that gave up on it. */
function sealedIn(r: DeadLetterOrigin): string {
  return `dlq:${r.groupId}:${r.topic}:${r.partition}:${r.offset}`;
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
