import { type Telemetry } from '@yb/observability';
import { bootstrapService, serviceConfigFromEnv } from '@yb/service-runtime';
import { reportingConfigFromEnv } from './reporting-config';
import { REPORTING_HTTP_PORT, ReportingModule } from './reporting.module';

/** Reads the configuration from the environment and starts the service (main.ts, after telemetry). */
export async function startReporting(telemetry: Telemetry): Promise<void> {
  const config = serviceConfigFromEnv({ serviceName: 'reporting', httpPort: REPORTING_HTTP_PORT });
  await bootstrapService(ReportingModule.forRoot(config, reportingConfigFromEnv(), telemetry));
}
