import { type INestApplication } from '@nestjs/common';
import { type Telemetry } from '@yb/observability';
import { bootstrapService, serviceConfigFromEnv } from '@yb/service-runtime';
import { feeDetailConfigFromEnv } from './fee-detail-config';
import { FEE_DETAIL_HTTP_PORT, FeeDetailModule } from './fee-detail.module';

/** Reads the configuration from the environment (errors name the variable) and starts the service. */
export function startFeeDetail(telemetry: Telemetry): Promise<INestApplication> {
  const config = serviceConfigFromEnv({ serviceName: 'fee-detail', httpPort: FEE_DETAIL_HTTP_PORT });
  return bootstrapService(FeeDetailModule.forRoot(config, feeDetailConfigFromEnv(), telemetry));
}
