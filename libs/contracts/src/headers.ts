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
