// First: every kafkajs client this process makes (services, tools, benchmarks) runs without kafkajs' idle loop.
export { kafkajsIdleLoop } from './kafkajs-idle-loop';
export { KafkaConsumerHost } from './consumer-host';
export type {
  ConsumedMessage,
  ConsumerHealth,
  DeadLetterReason,
  GroupedMessage,
  MessageGroupHandler,
  MessageHandler,
  KafkaConsumerHostOptions,
} from './consumer-host';
export { consumerGroupLag, groupsLag } from './consumer-lag';
export type { PartitionLag } from './consumer-lag';
export { KafkaPublisher } from './kafka-publisher';
export { MessagingModule, MESSAGING_OPTIONS } from './messaging.module';
export type { MessagingModuleOptions } from './messaging.module';
export { ensureTopics, assertTopicsExist } from './ensure-topics';
export type { TopicSpec } from './ensure-topics';
export {
  DEFAULT_RETRY_POLICY,
  PermanentHandlerError,
  WaitOutHandlerError,
  retryDelayMs,
} from './retry-policy';
export type { RetryPolicy } from './retry-policy';
export {
  contextFromTraceparent,
  currentTraceparent,
  deliveredTraceparent,
  envelopeSpanContext,
} from './trace-context';
export { headersAsText } from './headers';
export { openEnvelope } from './decode-record';
export {
  deadLetterPayload,
  deadLetterPointer,
  deadLetterRecord,
  openDeadLetterPayload,
  ORIGINAL_RECORD_LOCATION,
} from './dead-letter';
export type { DeadLetterInput, DeadLetterOrigin, DeadLetterPayloadStore } from './dead-letter';
export { isInfrastructureError, isMessageTooLarge } from './error-kinds';
export type { MessagingLogger } from './logger';
export { stderrLogger } from './logger';
export { registerCompressionCodecs } from './compression-codecs';
export { partitionOffsets, readTopic, readTopics } from './topic-reader';
export { CompactedTopicCopy, type CompactedTopicCopyOptions } from './compacted-topic-copy';
export type { PartitionOffsets, ReadOptions, ReadRecord } from './topic-reader';
export {
  TopicPartitioner,
  UnacknowledgedPartitionsError,
  sendAcknowledged,
  type PartitionedBatch,
  type PartitionedMessage,
} from './acknowledged-send';
export { kafkaLogCreator, type KafkaLogSink } from './kafka-log';
