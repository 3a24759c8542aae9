import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EventStore, eventStoreDataSourceOptions, runEventStoreMigrations } from '@yb/event-store';
import { PLATFORM_CLIENT_MIGRATIONS, PlatformCallRecord } from '@yb/platform-client';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { type ServiceConfig } from './service-config';
import { SERVICE_CONFIG, SERVICE_LOGGER } from './tokens';
import { waitOutAtStart } from './wait-out-at-start';

/**
 * The service's DataSource on its own schema, migrated before anything uses it: the event store's tables
 * and the platform call journal live side by side, so that a platform call and the events it caused are
 * in the same database. PostgreSQL unreachable at start is waited out (waitOutAtStart).
 */
export function createServiceDataSource(config: ServiceConfig, logger?: Logger): Promise<DataSource> {
  return waitOutAtStart('PostgreSQL', () => migratedDataSource(config), logger);
}

async function migratedDataSource(config: ServiceConfig): Promise<DataSource> {
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
  try {
    await runEventStoreMigrations(dataSource);
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw err;
  }
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
      inject: [SERVICE_CONFIG, SERVICE_LOGGER],
      useFactory: (config: ServiceConfig, logger: Logger) => createServiceDataSource(config, logger),
    },
    { provide: EventStore, inject: [DataSource], useFactory: (ds: DataSource) => new EventStore(ds) },
    DatabaseShutdown,
  ],
  exports: [DataSource, EventStore],
})
export class DatabaseModule {}
