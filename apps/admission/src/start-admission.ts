import { type Telemetry } from '@yb/observability';
import { bootstrapService, serviceConfigFromEnv } from '@yb/service-runtime';
import { ADMISSION_HTTP_PORT, AdmissionModule } from './admission.module';

/** Reads the configuration from the environment and starts the service (main.ts, after telemetry). */
export async function startAdmission(telemetry: Telemetry): Promise<void> {
  const config = serviceConfigFromEnv({ serviceName: 'admission', httpPort: ADMISSION_HTTP_PORT });
  await bootstrapService(AdmissionModule.forRoot(config, telemetry));
}
