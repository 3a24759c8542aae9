import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EventStore, eventStoreDataSourceOptions, runEventStoreMigrations } from '@yb/event-store';
import { PLATFORM_CLIENT_MIGRATIONS, PlatformCallRecord } from '@yb/platform-client';
import { DataSource } from 'typeorm';
import { type ServiceConfig } from './service-config';
import { SERVICE_CONFIG } from './tokens';

/**
 * The service's DataSource on its own schema, migrated before anything uses it: the event store's tables
 * and the platform call journal live side by side, so that a platform call and the events it caused are
 * in the same database.
 */
export async function createServiceDataSource(config: ServiceConfig): Promise<DataSource> {
  const base = eventStoreDataSourceOptions({
    databaseUrl: config.databaseUrl,
    schema: config.schema,
    poolSize: config.databasePoolSize,
  });
  const dataSource = new DataSource({
    ...base,
    applicationName: config.serviceName,
    entities: [PlatformCallRecord],
    migrations: [...(base.migrations as []), ...PLATFORM_CLIENT_MIGRATIONS],
  });
  await runEventStoreMigrations(dataSource);
  return dataSource;
}

/** Closes the pool last, after the consumer, the relay and the platform client stopped using it. */
@Injectable()
class DatabaseShutdown implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** DataSource (migrated) and EventStore. */
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [SERVICE_CONFIG],
      useFactory: (config: ServiceConfig) => createServiceDataSource(config),
    },
    { provide: EventStore, inject: [DataSource], useFactory: (ds: DataSource) => new EventStore(ds) },
    DatabaseShutdown,
  ],
  exports: [DataSource, EventStore],
})
export class DatabaseModule {}
