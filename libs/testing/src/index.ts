export { kafkaBrokers, databaseUrl, uniqueName } from './stack';
export { createTestSchema, withClient, type TestSchema } from './postgres';
export { createTestTopics, createTopicsWithLeaders, testKafka, testProducer, type TestTopics } from './kafka';
export {
  consoleProducerClass,
  kafkaLibs,
  runConsoleProducer,
  type ConsoleProducerRun,
} from './kafka-console-producer';
export { waitFor } from './wait-for';
export { inFreshProcess } from './fresh-process';
export { TcpProxy } from './tcp-proxy';
export { ChildService, type ChildExit } from './child-service';
export { ensureCompiled, type ServiceProcessOptions, type ServiceRuntime } from './service-runtime-mode';
export { PlatformSimProcess } from './platform-sim-process';
export { TEST_HOSPITAL, testHospitalEnv } from './test-hospital';
export {
  HospitalServices,
  instanceKey,
  type HospitalService,
  type HospitalServicesOptions,
} from './hospital-services';
export { testFeeLine } from './test-fee-line';
export { HisTestVisit, SIM_PRICED_ITEMS, enrollableCertno } from './his-test-visit';
export {
  freeTextArbitrary,
  identifierValues,
  patientArbitrary,
  type GeneratedPatient,
} from './patient-identifier-arbitraries';
export {
  reconcileDeliveries,
  type Delivery,
  type DeliveryReport,
  type SentRecord,
} from './delivery-reconciliation';
