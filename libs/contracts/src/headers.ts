/**
 * Kafka headers on every message. They repeat envelope fields so that tools (and the dead-letter
 * topic) can route and trace a message without parsing its JSON.
 */
export const MessageHeaders = {
  traceparent: 'traceparent',
  messageId: 'message-id',
  messageType: 'message-type',
  schemaVersion: 'schema-version',
  contentType: 'content-type',
} as const;

/** Headers a dead-letter record adds to the original record's headers, key and payload (kept as sent). */
export const DeadLetterHeaders = {
  reason: 'dlq-reason',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  consumerGroup: 'dlq-consumer-group',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;

/**
 * Set instead of the payload on a dead letter too large for its topic even compressed (the record keeps the
 * original key and headers, without the payload): where the payload is kept and its size.
 */
export const DeadLetterPayloadHeaders = {
  /** `postgres:<schema>.dead_letter_payloads/<id>` (the service's own database), or `original-record`. */
  location: 'dlq-payload-location',
  bytes: 'dlq-payload-bytes',
  /**
   * Set when the dead letter's payload is sealed (a HIS record holds patient identifiers): the key id it is sealed
   * under. The payload is then AES-256-GCM over its gzip, bound to the original record (@yb/messaging's
   * deadLetterPayload opens it with the services' keyring); the headers above stay readable.
   */
  sealed: 'dlq-payload-sealed',
} as const;
