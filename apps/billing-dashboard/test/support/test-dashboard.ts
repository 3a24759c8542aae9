import { type NestExpressApplication } from '@nestjs/platform-express';
import { ALL_TOPICS } from '@yb/contracts';
import { ensureTopics } from '@yb/messaging';
import { serviceConfigFromEnv } from '@yb/service-runtime';
import {
  createTestSchema,
  kafkaBrokers,
  PlatformSimProcess,
  testHospitalEnv,
  testKafka,
  uniqueName,
  type TestSchema,
} from '@yb/testing';
import { dashboardConfigFromEnv } from '../../src/dashboard-config';
import { createDashboardApp } from '../../src/start-billing-dashboard';

/** The dashboard in process over the real Kafka and PostgreSQL, in a schema and topics of its own. */
export interface TestDashboard {
  readonly app: NestExpressApplication;
  readonly url: string;
  readonly schema: TestSchema;
  /** The topic prefix (topics are `${prefix}${topic}`). */
  readonly prefix: string;
  stop(): Promise<void>;
}

/**
 * Starts the dashboard (the platform simulator only for the runtime's sign-in) with `dashboardEnv` as its
 * DASHBOARD_* variables, listening on 127.0.0.1 at `port` (0: any).
 */
export async function startTestDashboard(
  label: string,
  dashboardEnv: NodeJS.ProcessEnv,
  port = 0,
): Promise<TestDashboard> {
  const prefix = `${uniqueName(label)}.`.replace(/_/g, '-');
  const sim = await PlatformSimProcess.start();
  const schema = await createTestSchema(label);
  const admin = testKafka().admin();
  await admin.connect();
  await ensureTopics(
    admin,
    ALL_TOPICS.map((topic) => ({ topic: `${prefix}${topic}`, numPartitions: 1 })),
  );
  await admin.disconnect();
  const hospitalEnv = testHospitalEnv(sim.url, schema.schema);
  const config = serviceConfigFromEnv(
    { serviceName: 'billing-dashboard', httpPort: 0 },
    {
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_CONSUMER_GROUP: uniqueName(label),
      KAFKA_TOPIC_PREFIX: prefix,
      DATABASE_URL: schema.databaseUrl,
      SERVICE_SCHEMA: schema.schema,
      ...hospitalEnv,
    },
  );
  // The hospital the slip names, and whose area tells 异地 patients, as a deployed dashboard reads it.
  const { NHSA_FIXMEDINS_NAME, NHSA_MDTRTAREA_ADMVS } = hospitalEnv;
  const app = await createDashboardApp(
    config,
    dashboardConfigFromEnv({ NHSA_FIXMEDINS_NAME, NHSA_MDTRTAREA_ADMVS, ...dashboardEnv }),
  );
  await app.listen(port, '127.0.0.1');
  return {
    app,
    url: await app.getUrl(),
    schema,
    prefix,
    async stop() {
      await app.close();
      await sim.stop();
      await schema.drop();
    },
  };
}
