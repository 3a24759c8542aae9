import { eventStoreDataSourceOptions, runEventStoreMigrations } from '@yb/event-store';
import {
  parsePlatformClientConfig,
  PLATFORM_CLIENT_MIGRATIONS,
  PlatformCallRecord,
  PlatformClient,
} from '@yb/platform-client';
import { INTERFACE_EXAMPLES } from '@yb/platform-client/testing';
import { TEST_HOSPITAL, type TestSchema } from '@yb/testing';
import { DataSource } from 'typeorm';

/** A DataSource on the schema, migrated like a service's: event-store tables and the platform call journal. */
export async function migratedDataSource(schema: TestSchema, poolSize?: number): Promise<DataSource> {
  const base = eventStoreDataSourceOptions({
    databaseUrl: schema.databaseUrl,
    schema: schema.schema,
    poolSize,
  });
  const dataSource = new DataSource({
    ...base,
    entities: [PlatformCallRecord],
    migrations: [...(base.migrations as []), ...PLATFORM_CLIENT_MIGRATIONS],
  });
  await runEventStoreMigrations(dataSource);
  return dataSource;
}

/** A signed-in PlatformClient of the test hospital; `dataSource` holds its journal and msgid sequence. */
export async function startTestPlatformClient(options: {
  simUrl: string;
  dataSource: DataSource;
  msgidSchema: string;
  timeoutMs: number;
}): Promise<PlatformClient> {
  const config = parsePlatformClientConfig({
    ...TEST_HOSPITAL,
    baseUrl: options.simUrl,
    msgidSchema: options.msgidSchema,
    timeoutMs: options.timeoutMs,
  });
  const client = new PlatformClient({ config, dataSource: options.dataSource });
  await client.start();
  return client;
}

/** 2401 on the simulator for a seeded person, as the admission service would; returns mdtrt_id and msgid. */
export async function registerVisit(
  client: PlatformClient,
  visit: { ipt_no: string; psn_no: string; insutype: string; insuplc_admdvs: string },
): Promise<{ mdtrt_id: string; msgid: string }> {
  const { ipt_no, psn_no, insutype, insuplc_admdvs } = visit;
  const example = structuredClone(INTERFACE_EXAMPLES['2401'].input);
  const input = {
    mdtrtinfo: { ...example.mdtrtinfo, psn_no, insutype, ipt_no, insuplc_admdvs },
    diseinfo: [example.diseinfo].flat().map((d) => ({ ...d, psn_no })),
  };
  const result = await client.call('2401', input as typeof example, { visitKey: ipt_no, insuplc_admdvs });
  if (result.status !== 'SUCCEEDED') throw new Error(`2401 failed: ${JSON.stringify(result)}`);
  return {
    mdtrt_id: (result.output as { result: { mdtrt_id: string } }).result.mdtrt_id,
    msgid: result.msgid,
  };
}
