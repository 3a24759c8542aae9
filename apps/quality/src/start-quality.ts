import { type INestApplication } from '@nestjs/common';
import { type Telemetry } from '@yb/observability';
import { bootstrapService, serviceConfigFromEnv } from '@yb/service-runtime';
import { qualityConfigFromEnv } from './quality-config';
import { QUALITY_HTTP_PORT, QualityModule } from './quality.module';

/** Reads the configuration from the environment (errors name the variable) and starts the service. */
export function startQuality(telemetry: Telemetry): Promise<INestApplication> {
  const config = serviceConfigFromEnv({ serviceName: 'quality', httpPort: QUALITY_HTTP_PORT });
  return bootstrapService(QualityModule.forRoot(config, qualityConfigFromEnv(), telemetry));
}
