import { Client } from 'pg';
import { databaseUrl, uniqueName } from './stack';

export interface TestSchema {
  /** The schema's name, unique to this test file and run. */
  readonly schema: string;
  readonly databaseUrl: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** Creates a throw-away schema in the test database, so that runs never see each other's data. */
export async function createTestSchema(label: string): Promise<TestSchema> {
  const schema = uniqueName(`t_${label}`).slice(0, 63);
  const url = databaseUrl();
  await withClient(url, (c) => c.query(`CREATE SCHEMA "${schema}"`));
  return {
    schema,
    databaseUrl: url,
    drop: () =>
      withClient(url, (c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => undefined),
  };
}

export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
