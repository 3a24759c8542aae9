import { commandTopic, dlqTopic, Topics } from '@yb/contracts';
import { ChildService } from './child-service';
import { kafkaBrokers, uniqueName } from './stack';
import { createTestSchema, type TestSchema } from './postgres';
import { PlatformSimProcess } from './platform-sim-process';
import { testKafka } from './kafka';
import { testHospitalEnv } from './test-hospital';

/** The services a hospital runs, as `apps/<name>/src/main.ts`. */
export type HospitalService = 'admission' | 'fee-detail';

export interface HospitalServicesOptions {
  /** Names the run's topic prefix, schemas and consumer groups. */
  label: string;
  /** Partitions of each topic (default 1). */
  partitions?: number;
  /** Variables for every service (e.g. NHSA_TIMEOUT_MS, OTEL_SDK_DISABLED). */
  env?: Record<string, string>;
  /** Variables for one service (e.g. FEE_DETAIL_BATCH_SIZE). */
  serviceEnv?: Partial<Record<HospitalService, Record<string, string>>>;
}

/**
 * The hospital's services as production runs them, for an end-to-end test or a benchmark: the platform
 * simulator (enrolling unknown persons), admission and fee-detail, each its own main.ts in a child process
 * configured only through the environment; topics behind one unique prefix, created up front; a consumer
 * group and a schema per service; one msgid schema shared, as every service of a hospital must.
 */
export class HospitalServices {
  private constructor(
    readonly prefix: string,
    readonly sim: PlatformSimProcess,
    private readonly services: ChildService[],
    private readonly schemas: TestSchema[],
  ) {}

  /** The run's name of a product topic (e.g. `his.inpatient`). */
  topic(name: string): string {
    return `${this.prefix}${name}`;
  }

  get topics(): { hisInpatient: string; hisClinical: string; insuranceInpatient: string } {
    return {
      hisInpatient: this.topic(Topics.hisInpatient),
      hisClinical: this.topic(Topics.hisClinical),
      insuranceInpatient: this.topic(Topics.insuranceInpatient),
    };
  }

  static async start(options: HospitalServicesOptions): Promise<HospitalServices> {
    const prefix = `${uniqueName(options.label)}.`.replace(/_/g, '-');
    const named = [...Object.values(Topics), commandTopic('admission'), commandTopic('fee-detail')];
    // Created up front: on KRaft a subscription to a topic that does not exist yet fails.
    const admin = testKafka().admin();
    await admin.connect();
    await admin
      .createTopics({
        topics: [...named, ...named.map(dlqTopic)].map((t) => ({
          topic: `${prefix}${t}`,
          numPartitions: options.partitions ?? 1,
        })),
        waitForLeaders: true,
      })
      .finally(() => admin.disconnect());

    const schemas: TestSchema[] = [];
    const services: ChildService[] = [];
    const schemaLabel = options.label.replace(/-/g, '_');
    const sim = await PlatformSimProcess.start({ PLATFORM_SIM_ENROL_UNKNOWN: 'true' });
    const hospital = new HospitalServices(prefix, sim, services, schemas);
    try {
      const msgids = await createTestSchema(`${schemaLabel}_msgids`);
      schemas.push(msgids);
      const start = async (service: HospitalService) => {
        const schema = await createTestSchema(`${schemaLabel}_${service.replace('-', '_')}`);
        schemas.push(schema);
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          ...testHospitalEnv(sim.url, msgids.schema),
          KAFKA_BROKERS: kafkaBrokers().join(','),
          KAFKA_TOPIC_PREFIX: prefix,
          KAFKA_CONSUMER_GROUP: uniqueName(`${options.label}-${service}`),
          DATABASE_URL: schema.databaseUrl,
          SERVICE_SCHEMA: schema.schema,
          HTTP_HOST: '127.0.0.1',
          HTTP_PORT: '0',
          ...options.env,
          ...options.serviceEnv?.[service],
        };
        services.push(
          await ChildService.start(
            `apps/${service}/src/main.ts`,
            env,
            new RegExp(`${service} listening on http`),
          ),
        );
      };
      await Promise.all([start('admission'), start('fee-detail')]);
      return hospital;
    } catch (err) {
      await hospital.stop();
      throw err;
    }
  }

  /** SIGTERM to every service (each finishes the message in hand), then the simulator, topics and schemas. */
  async stop(): Promise<void> {
    await Promise.all(this.services.map((s) => s.stop()));
    await this.sim.stop();
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const ours = (await admin.listTopics()).filter((t) => t.startsWith(this.prefix));
      if (ours.length > 0) await admin.deleteTopics({ topics: ours });
    } finally {
      await admin.disconnect();
    }
    await Promise.all(this.schemas.map((s) => s.drop()));
  }
}
