import { type INestApplication } from '@nestjs/common';
import { type Telemetry } from '@yb/observability';
import { bootstrapService, serviceConfigFromEnv } from '@yb/service-runtime';
import { reconciliationConfigFromEnv } from './reconciliation-config';
import { RECONCILIATION_HTTP_PORT, ReconciliationModule } from './reconciliation.module';

/** Reads the configuration from the environment (errors name the variable) and starts the service. */
export function startReconciliation(telemetry: Telemetry): Promise<INestApplication> {
  const config = serviceConfigFromEnv({ serviceName: 'reconciliation', httpPort: RECONCILIATION_HTTP_PORT });
  return bootstrapService(ReconciliationModule.forRoot(config, reconciliationConfigFromEnv(), telemetry));
}
