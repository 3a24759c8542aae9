import { type RetryPolicy } from '@yb/messaging';
import { type Telemetry } from '@yb/observability';
import { type ServiceConfig } from './service-config';

export interface ServiceRuntimeOptions {
  /** Validated configuration (serviceConfigFromEnv). */
  readonly config: ServiceConfig;
  /** The topics the service's consumer reads, as named in this deployment (topicName()). */
  readonly consumes: readonly string[];
  /** Consumer retry policy (default: @yb/messaging's, 5 attempts). */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * False for a service that sends the platform nothing (the billing dashboard): no sign-in (9001/9002), no
   * settling of an earlier run's calls, no copy of the region's dictionaries, and readiness without the platform.
   * Default true.
   */
  readonly callsPlatform?: boolean;
  /** Flushed when the application shuts down (startTelemetry() in main.ts). */
  readonly telemetry?: Telemetry;
}
