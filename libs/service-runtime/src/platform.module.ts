import { Module } from '@nestjs/common';
import { PlatformClient } from '@yb/platform-client';
import { DataSource } from 'typeorm';
import { DatabaseModule } from './database.module';
import { PlatformCallRecovery } from './platform-call-recovery';
import { type ServiceConfig } from './service-config';
import { SERVICE_CONFIG } from './tokens';

/** The PlatformClient on the service's DataSource (its journal); ServiceLifecycle signs it in and out. */
@Module({
  imports: [DatabaseModule],
  providers: [
    {
      provide: PlatformClient,
      inject: [SERVICE_CONFIG, DataSource],
      useFactory: (config: ServiceConfig, dataSource: DataSource) =>
        new PlatformClient({ config: config.platform, dataSource }),
    },
    PlatformCallRecovery,
  ],
  exports: [PlatformClient, PlatformCallRecovery],
})
export class PlatformModule {}
