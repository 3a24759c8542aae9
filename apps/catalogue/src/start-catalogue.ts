import { type INestApplication } from '@nestjs/common';
import { type Telemetry } from '@yb/observability';
import { bootstrapService, serviceConfigFromEnv } from '@yb/service-runtime';
import { catalogueConfigFromEnv } from './catalogue-config';
import { CATALOGUE_HTTP_PORT, CatalogueModule } from './catalogue.module';

/** Reads the configuration from the environment (errors name the variable) and starts the service. */
export function startCatalogue(telemetry: Telemetry): Promise<INestApplication> {
  const config = serviceConfigFromEnv({ serviceName: 'catalogue', httpPort: CATALOGUE_HTTP_PORT });
  return bootstrapService(CatalogueModule.forRoot(config, catalogueConfigFromEnv(), telemetry));
}
