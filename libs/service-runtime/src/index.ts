// @yb/service-runtime: the wiring every service shares, so that none copy-pastes it.
//
//   // main.ts (telemetry first: it must load before http, pg, kafkajs and Nest are imported)
//   const telemetry = startTelemetry({ serviceName: 'admission' });
//   const config = serviceConfigFromEnv({ serviceName: 'admission', httpPort: 8781 });
//   await bootstrapService(AdmissionModule.forRoot(config, telemetry));
//
//   // the service's root module
//   imports: [ServiceRuntimeModule.forRoot({ config, consumes: [topicName(config, Topics.hisInpatient)], telemetry })]
//   // its providers inject DataSource, EventStore, PlatformClient, KafkaConsumerHost, SERVICE_LOGGER …
//   // and register handlers (host.handle(type, fn)) and recovery resolvers in onModuleInit.
//
// Start-up: migrations → 9001 sign-in → recovery of unsettled calls → outbox relay → consumer.
// Shutdown (SIGTERM): consumer → platform-call reports → relay → 9002 sign-out → database pool → telemetry flush.
// HTTP: GET /health/live, GET /health/ready (database, Kafka, sign-in, consumer; 503 with the failing check), GET /metrics.
// Every settled platform call is counted (yb_platform_calls_total …) and published as PlatformCallCompleted.

export {
  serviceConfigFromEnv,
  topicName,
  ServiceConfigError,
  type ServiceConfig,
  type ServiceConfigDefaults,
  type RetentionConfig,
  DEFAULT_RETENTION,
} from './service-config';
export { InboxAndJournalRetention } from './inbox-and-journal-retention';
export { type ServiceRuntimeOptions } from './service-runtime-options';
export { ServiceRuntimeModule } from './service-runtime.module';
export { bootstrapService } from './bootstrap-service';
export { createServiceDataSource } from './database.module';
export { PlatformCallRecovery } from './platform-call-recovery';
export { PlatformCallReporter, platformCallCompletedEnvelope } from './platform-call-reporter';
export { SagaStateMetrics, type SagaStateCounts } from './saga-state-metrics';
export {
  StreamCacheMetrics,
  type StreamCacheOwner,
  type StreamCacheSource,
  type StreamCaches,
} from './stream-cache-metrics';
export {
  KeyLeasedElsewhere,
  PlatformWorker,
  PlatformWorkers,
  assertWorkerFitsPool,
  type ClaimedKey,
  type LeaseTakenWithMark,
  type PlatformWork,
  type PlatformWorkerOptions,
  type PlatformWorkerStatus,
  type OwedNothing,
  type RunAgain,
} from './platform-worker';
export { DEFAULT_LEASE_MS, PendingWorkLeases, renewalIntervalMs, type KeyLeases } from './work-leases';
export { outboxMessageOf } from './outbox-message-of';
export {
  DeadLetterPayloads,
  keptPayloadAad,
  parseDeadLetterPayloadLocation,
  type KeptPayloadRecord,
} from './dead-letter-payloads';
export { DeadLetters, maskedPayload, parseRef, type DeadLetter, type Replay } from './dead-letters';
export { ServiceLifecycle } from './service-lifecycle';
export { ReplicaName, ReplicaNameInUseError } from './replica-name';
export { RegionalDictionaries } from './regional-dictionaries';
export { type ReadinessReport } from './health.controller';
export { SERVICE_CONFIG, SERVICE_LOGGER, SERVICE_METRICS } from './tokens';
export { KafkaAdminConnection, withinMs } from './kafka-admin';
export { isTimeZone, parsesAsCron } from './schedule-checks';
export { businessDate, dueSlot } from './schedule-slots';
