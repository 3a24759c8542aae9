import {
  PLATFORM_CLIENT_MIGRATIONS,
  PlatformCallRecord,
  PlatformClient,
  parsePlatformClientConfig,
} from '@yb/platform-client';
import { createTestSchema, TEST_HOSPITAL, type HospitalServices } from '@yb/testing';
import { DataSource } from 'typeorm';

/**
 * The insurance centre's counter (中心窗口), where staff act on the platform without the hospital: here, 2601 of a
 * settlement's 2304, so that the platform no longer holds what settlement recorded (reconciliation then finds it
 * HOSPITAL_ONLY). It calls the sandbox with the hospital's msgid counter, its journal in a throw-away schema.
 */
export async function reverseAtTheCentre(
  hospital: HospitalServices,
  settlement: { ipt_no: string; psn_no: string; medins_setl_id: string; insuplc_admdvs: string },
): Promise<void> {
  const journal = await createTestSchema('centre_counter');
  const dataSource = new DataSource({
    type: 'postgres',
    url: journal.databaseUrl,
    schema: journal.schema,
    entities: [PlatformCallRecord],
    migrations: PLATFORM_CLIENT_MIGRATIONS,
    poolSize: 1,
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
    const config = { ...TEST_HOSPITAL, baseUrl: hospital.sim.url, msgidSchema: hospital.msgidSchema };
    const client = new PlatformClient({ config: parsePlatformClientConfig(config), dataSource });
    await client.start();
    try {
      const { ipt_no, psn_no, medins_setl_id, insuplc_admdvs } = settlement;
      const input = { data: { psn_no, omsgid: medins_setl_id, oinfno: '2304' } };
      const result = await client.call('2601', input, { visitKey: ipt_no, insuplc_admdvs });
      if (result.status !== 'SUCCEEDED') throw new Error(`2601 at the centre: ${JSON.stringify(result)}`);
    } finally {
      await client.stop().catch(() => undefined);
    }
  } finally {
    await dataSource.destroy();
    await journal.drop();
  }
}
