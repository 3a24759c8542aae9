import { type TestSchema } from '@yb/testing';
import { DataSource } from 'typeorm';
import { PLATFORM_CLIENT_MIGRATIONS } from '../src/journal/platform-client-migrations';
import { PlatformCallRecord } from '../src/journal/platform-call-record.entity';

/** A DataSource on the test schema with the platform call journal migrated into it. */
export async function journalDataSource(schema: TestSchema, poolSize = 4): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: schema.databaseUrl,
    schema: schema.schema,
    entities: [PlatformCallRecord],
    migrations: PLATFORM_CLIENT_MIGRATIONS,
    poolSize,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  return dataSource;
}
