import { eventStoreDataSourceOptions, runEventStoreMigrations } from '@yb/event-store';
import {
  INTERFACE_EXAMPLES,
  parsePlatformClientConfig,
  PLATFORM_CLIENT_MIGRATIONS,
  PlatformCallRecord,
  PlatformClient,
} from '@yb/platform-client';
import { type TestSchema } from '@yb/testing';
import { DataSource } from 'typeorm';

/** The fictitious hospital every fee-detail test signs in as (the simulator accepts any). */
export const TEST_HOSPITAL = {
  fixmedins_code: 'H42010200123',
  fixmedins_name: '武汉市某某医院',
  mdtrtarea_admvs: '420100',
  operator: { opter_type: '1', opter: 'OP001', opter_name: '张收费', ip: '127.0.0.1' },
} as const;

/** The hospital's settings in the environment variables a deployed service reads (NHSA_*). */
export function testHospitalEnv(simUrl: string, msgidSchema: string): Record<string, string> {
  const { operator } = TEST_HOSPITAL;
  return {
    NHSA_BASE_URL: simUrl,
    NHSA_FIXMEDINS_CODE: TEST_HOSPITAL.fixmedins_code,
    NHSA_FIXMEDINS_NAME: TEST_HOSPITAL.fixmedins_name,
    NHSA_MDTRTAREA_ADMVS: TEST_HOSPITAL.mdtrtarea_admvs,
    NHSA_OPTER_TYPE: operator.opter_type,
    NHSA_OPTER: operator.opter,
    NHSA_OPTER_NAME: operator.opter_name,
    NHSA_SIGN_IN_IP: operator.ip,
    NHSA_MSGID_SCHEMA: msgidSchema,
  };
}

/** A DataSource on the schema, migrated like a service's: event-store tables and the platform call journal. */
export async function migratedDataSource(schema: TestSchema): Promise<DataSource> {
  const base = eventStoreDataSourceOptions({ databaseUrl: schema.databaseUrl, schema: schema.schema });
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
