/**
 * Where an event sits in the store-wide log: readers order by the writing transaction first, then by
 * global position, so that a transaction committing late is never overtaken (see EventStore.readAll).
 */
export interface LogPosition {
  readonly transactionId: bigint;
  readonly globalPosition: bigint;
}

/** Before the first event: where a new projection starts. */
export const LOG_START: LogPosition = Object.freeze({ transactionId: 0n, globalPosition: 0n });

/**
 * An event to append. `schemaVersion` says which shape `data` has; it defaults to the newest version
 * the store's upcasters know for the type (1 when there are none).
 */
export interface NewEvent {
  readonly type: string;
  readonly data: unknown;
  readonly schemaVersion?: number;
  readonly metadata?: Record<string, unknown>;
}

export interface RecordedEvent {
  readonly streamId: string;
  /** 1 for a stream's first event. */
  readonly streamVersion: number;
  readonly position: LogPosition;
  readonly type: string;
  /** After upcasting: the newest version the registry knows for this type. */
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly recordedAt: Date;
}

/**
 * What an append expects of the stream: its current version (0 or 'no-stream' for a stream without
 * events), or 'any' to append whatever the version is.
 */
export type ExpectedVersion = number | 'no-stream' | 'any';

/** Outcome of an append whose inbox message had already been handled: nothing was written. */
export interface DuplicateMessage {
  readonly kind: 'duplicate-message';
  readonly messageId: string;
  readonly consumer: string;
}

/** Outcome of an append for several messages, some of which had already been handled: nothing was written. */
export interface DuplicateMessages {
  readonly kind: 'duplicate-messages';
  /** Those of the messages the inbox already held. */
  readonly messageIds: readonly string[];
  readonly consumer: string;
}
