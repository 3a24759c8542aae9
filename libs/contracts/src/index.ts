export {
  COMMAND_SERVICES,
  Topics,
  commandTopic,
  dlqTopic,
  DLQ_SUFFIX,
  ALL_TOPICS,
  COMPACTED_TOPICS,
  isCompactedTopic,
} from './topics';
export type { CommandService, EventTopic } from './topics';
export { envelopeSchema, createEnvelope, TRACEPARENT_PATTERN } from './envelope';
export type { Envelope, CreateEnvelopeInput } from './envelope';
export { defineContract, keyFieldOf, withJsonSchema } from './contract';
export type { Contract } from './contract';
export {
  money,
  quantity,
  unitPrice,
  ratio,
  platformDateTime,
  platformDate,
  decimalFormOf,
} from './field-formats';
export { shanghaiDate, shanghaiDateTime, shanghaiSecondStamp } from './shanghai-time';
export * from './his-inpatient';
export * from './his-clinical';
export * from './insurance-inpatient';
export * from './commands-fee-detail';
export * from './commands-admission';
export * from './commands-settlement';
export * from './commands-quality';
export * from './commands-catalogue';
export * from './his-catalogue';
export * from './insurance-catalogue';
export * from './commands-reporting';
export * from './reconciliation';
export * from './clearing';
export * from './platform-calls';
export { operatorSchema, operatorExample } from './operator';
export type { Operator } from './operator';
export {
  CONTRACTS,
  MessageValidationError,
  contractFor,
  isKnownType,
  currentVersion,
  acceptedSchemaOf,
  parseEnvelope,
  validateData,
  parseMessage,
} from './registry';
export type { MessageType, DataOf, MessageOf } from './registry';
export { toJsonSchema } from './json-schema';
export { NOT_READ, compiledReaderOf, parseWith, readWith, withLeafReader } from './compiled-reader';
export type { CompiledReader } from './compiled-reader';
export { buildAsyncApiDocument, messageName } from './asyncapi';
export { MessageHeaders, DeadLetterHeaders, DeadLetterPayloadHeaders } from './headers';
export { PATIENT_IDENTIFIER_FIELDS } from './patient-identifier-fields';
