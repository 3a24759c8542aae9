export { startTelemetry, traceExportersFromEnv } from './telemetry';
export type { Telemetry, TelemetryOptions, TraceExporterName } from './telemetry';
export { createLogger, PinoNestLogger } from './logger';
export type { LoggerOptions } from './logger';
export {
  PATIENT_IDENTIFIER_FIELDS,
  isPatientIdentifier,
  maskIdentifier,
  maskIdentifiersInText,
  maskPatientIdentifiers,
} from './patient-identifiers';
export { RedactingSpanProcessor } from './redacting-span-processor';
export { createMetrics } from './metrics';
export type { ServiceMetrics, PlatformCallOutcome } from './metrics';
