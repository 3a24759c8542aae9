/** A message to publish to Kafka once the append that wrote it commits. */
export interface OutboxMessage {
  /** UUID consumers deduplicate on (the envelope id); the relay sends it as the `message-id` header. */
  readonly messageId: string;
  readonly topic: string;
  /** The Kafka key (the HIS visit id, ipt_no): the relay keeps a key's messages in order. */
  readonly key: string | null;
  /** The serialized message value, sent as written. */
  readonly payload: string;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The W3C traceparent stored with the row, whose trace the relay's publish span continues; absent, the
   * active context's at the append (null: none).
   */
  readonly traceparent?: string | null;
}

/** The header that carries the outbox message id to consumers. */
export const MESSAGE_ID_HEADER = 'message-id';
