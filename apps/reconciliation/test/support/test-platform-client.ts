import {
  parsePlatformClientConfig,
  PLATFORM_CLIENT_MIGRATIONS,
  PlatformCallRecord,
  PlatformClient,
  type PlatformClientConfigInput,
} from '@yb/platform-client';
import { DataSource } from 'typeorm';
import { createTestSchema, TEST_HOSPITAL } from '@yb/testing';

/** A platform client of the test hospital, signed in, its journal in a throw-away schema; `stop` drops it all. */
export interface TestPlatformClient {
  readonly client: PlatformClient;
  stop(): Promise<void>;
}

/**
 * The test hospital calling the platform (the simulator at `simUrl`) itself, as a test playing a service that
 * does not run: numbering msgids from the hospital's shared counter (`msgidSchema`), so that they never repeat
 * those of the services it runs beside. (libs/testing cannot hold it: platform-client's own tests use
 * libs/testing.)
 */
export async function startTestPlatformClient(
  label: string,
  simUrl: string,
  msgidSchema: string,
  overrides: Partial<PlatformClientConfigInput> = {},
): Promise<TestPlatformClient> {
  const schema = await createTestSchema(label);
  const dataSource = new DataSource({
    type: 'postgres',
    url: schema.databaseUrl,
    schema: schema.schema,
    entities: [PlatformCallRecord],
    migrations: PLATFORM_CLIENT_MIGRATIONS,
    poolSize: 2,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const config = parsePlatformClientConfig({ ...TEST_HOSPITAL, baseUrl: simUrl, msgidSchema, ...overrides });
  const client = new PlatformClient({ config, dataSource });
  await client.start();
  return {
    client,
    async stop() {
      await client.stop().catch(() => undefined);
      await dataSource.destroy();
      await schema.drop();
    },
  };
}
