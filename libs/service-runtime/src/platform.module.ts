import { Module } from '@nestjs/common';
import { type PlatformCallOutcome, type ServiceMetrics } from '@yb/observability';
import { PlatformClient } from '@yb/platform-client';
import { DataSource } from 'typeorm';
import { DatabaseModule } from './database.module';
import { PlatformCallRecovery } from './platform-call-recovery';
import { type ServiceConfig } from './service-config';
import { SERVICE_CONFIG, SERVICE_METRICS } from './tokens';

/**
 * The PlatformClient on the service's DataSource (its journal), counting every call in the service's metrics;
 * ServiceLifecycle signs it in and out.
 */
@Module({
  imports: [DatabaseModule],
  providers: [
    {
      provide: PlatformClient,
      inject: [SERVICE_CONFIG, DataSource, SERVICE_METRICS],
      useFactory: (config: ServiceConfig, dataSource: DataSource, metrics: ServiceMetrics) =>
        new PlatformClient({
          config: config.platform,
          dataSource,
          // Every platform call of the service, by infno and outcome, in one place.
          onCallSettled: ({ infno, status, seconds }) =>
            metrics.observePlatformCall(infno, status.toLowerCase() as PlatformCallOutcome, seconds),
        }),
    },
    PlatformCallRecovery,
  ],
  exports: [PlatformClient, PlatformCallRecovery],
})
export class PlatformModule {}
