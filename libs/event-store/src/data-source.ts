import { DataSource } from 'typeorm';
import { type PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { CreateEventStoreTables1767225600000 } from './migrations/1767225600000-create-event-store-tables';
import { DeletePublishedOutboxRows1768500000000 } from './migrations/1768500000000-delete-published-outbox-rows';
import { CreatePendingWork1769000000000 } from './migrations/1769000000000-create-pending-work';
import { OutboxQuarantineAndDeadLetterPayloads1769100000000 } from './migrations/1769100000000-outbox-quarantine-and-dead-letter-payloads';
import { DeadLetterPayloadsClosed1769300000000 } from './migrations/1769300000000-dead-letter-payloads-closed';
import { PendingWorkLeases1769900000000 } from './migrations/1769900000000-pending-work-leases';
import { CheckpointState1770000000000 } from './migrations/1770000000000-checkpoint-state';
import { schemaOf } from './data-source-schema';
import { assertSchemaName } from './schema-tables';

/** The event store's migrations, in order; add them to a service's own data source to migrate together. */
export const eventStoreMigrations = [
  CreateEventStoreTables1767225600000,
  DeletePublishedOutboxRows1768500000000,
  CreatePendingWork1769000000000,
  OutboxQuarantineAndDeadLetterPayloads1769100000000,
  DeadLetterPayloadsClosed1769300000000,
  PendingWorkLeases1769900000000,
  CheckpointState1770000000000,
];

export interface EventStoreDataSourceConfig {
  /** postgres://… ; comes from the environment (DATABASE_URL), never from the repository. */
  databaseUrl: string;
  /** The service's own schema, e.g. `settlement`. */
  schema: string;
  /** Connection pool size (default 10). */
  poolSize?: number;
}

/**
 * TypeORM options for a service's schema, for `TypeOrmModule.forRootAsync({ useFactory })` or
 * `new DataSource(...)`. Tables are made by migrations only (never synchronize).
 */
export function eventStoreDataSourceOptions(config: EventStoreDataSourceConfig): PostgresConnectionOptions {
  if (typeof config.databaseUrl !== 'string' || !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new TypeError('databaseUrl must be a postgres:// connection URL');
  }
  assertSchemaName(config.schema);
  return {
    type: 'postgres',
    url: config.databaseUrl,
    schema: config.schema,
    synchronize: false,
    migrationsRun: false,
    migrations: eventStoreMigrations,
    migrationsTableName: 'event_store_migrations',
    poolSize: config.poolSize ?? 10,
    applicationName: `event-store:${config.schema}`,
  };
}

/** A data source for the event store of one service schema (not yet initialized). */
export function createEventStoreDataSource(config: EventStoreDataSourceConfig): DataSource {
  return new DataSource(eventStoreDataSourceOptions(config));
}

/**
 * Creates the schema if needed and runs the pending migrations of the data source (initializing it
 * when it is not yet). Instances starting together take turns on an advisory lock.
 */
export async function runEventStoreMigrations(dataSource: DataSource): Promise<void> {
  const schema = schemaOf(dataSource);
  if (!dataSource.isInitialized) await dataSource.initialize();
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query(`SELECT pg_advisory_lock(hashtext($1), hashtext('event-store-migrations'))`, [
      schema,
    ]);
    await lockHolder.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lockHolder
      .query(`SELECT pg_advisory_unlock(hashtext($1), hashtext('event-store-migrations'))`, [schema])
      .finally(() => lockHolder.release());
  }
}
