import { createTestSchema, type TestSchema } from '@yb/testing';
import { type DataSource } from 'typeorm';
import {
  createEventStoreDataSource,
  EventStore,
  runEventStoreMigrations,
  type UpcasterRegistry,
} from '../../src';

export interface TestEventStore {
  readonly schema: TestSchema;
  readonly dataSource: DataSource;
  readonly store: EventStore;
  close(): Promise<void>;
}

/** A migrated event store in a throw-away schema of the real test database. */
export async function openTestEventStore(
  label: string,
  upcasters?: UpcasterRegistry,
): Promise<TestEventStore> {
  const schema = await createTestSchema(label);
  const dataSource = createEventStoreDataSource({ databaseUrl: schema.databaseUrl, schema: schema.schema });
  await runEventStoreMigrations(dataSource);
  return {
    schema,
    dataSource,
    store: new EventStore(dataSource, { upcasters }),
    close: async () => {
      await dataSource.destroy();
      await schema.drop();
    },
  };
}
