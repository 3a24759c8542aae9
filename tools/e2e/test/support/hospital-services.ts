import { commandTopic, dlqTopic, Topics } from '@yb/contracts';
import { ensureTopics } from '@yb/messaging';
import {
  ChildService,
  createTestSchema,
  kafkaBrokers,
  PlatformSimProcess,
  testKafka,
  uniqueName,
  type TestSchema,
} from '@yb/testing';

/** The fictitious hospital the services run as (the simulator accepts any). */
const HOSPITAL_ENV = {
  NHSA_FIXMEDINS_CODE: 'H42010200123',
  NHSA_FIXMEDINS_NAME: '武汉市某某医院',
  NHSA_MDTRTAREA_ADMVS: '420100',
  NHSA_OPTER_TYPE: '1',
  NHSA_OPTER: 'OP001',
  NHSA_OPTER_NAME: '张收费',
  NHSA_SIGN_IN_IP: '127.0.0.1',
  // Shorter than the simulator's held answers in the fault scenarios, so those calls end UNKNOWN.
  NHSA_TIMEOUT_MS: '3000',
};

/**
 * The hospital's services as production runs them: the platform simulator (enrolling unknown persons),
 * admission and fee-detail, each its own main.ts in a child process configured only through the environment,
 * on topics behind one unique prefix, each with its own consumer group and schema, one msgid schema shared.
 */
export class HospitalServices {
  private constructor(
    readonly sim: PlatformSimProcess,
    private readonly services: ChildService[],
    private readonly schemas: TestSchema[],
    readonly topics: { hisInpatient: string; insuranceInpatient: string; all: string[] },
  ) {}

  static async start(): Promise<HospitalServices> {
    const prefix = `${uniqueName('e2e')}.`.replace(/_/g, '-');
    const named = [
      Topics.hisInpatient,
      Topics.insuranceInpatient,
      commandTopic('admission'),
      commandTopic('fee-detail'),
    ];
    const all = [...named, ...named.map(dlqTopic)].map((t) => `${prefix}${t}`);
    const admin = testKafka().admin();
    await admin.connect();
    await ensureTopics(
      admin,
      all.map((topic) => ({ topic, numPartitions: 1 })),
    ).finally(() => admin.disconnect());

    const [sim, msgids, admissionSchema, feeDetailSchema] = await Promise.all([
      PlatformSimProcess.start({ PLATFORM_SIM_ENROL_UNKNOWN: 'true' }),
      createTestSchema('e2e_msgids'),
      createTestSchema('e2e_admission'),
      createTestSchema('e2e_fee_detail'),
    ]);
    const envFor = (service: string, schema: TestSchema): NodeJS.ProcessEnv => ({
      ...process.env,
      ...HOSPITAL_ENV,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_CONSUMER_GROUP: uniqueName(service),
      DATABASE_URL: schema.databaseUrl,
      SERVICE_SCHEMA: schema.schema,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      NHSA_BASE_URL: sim.url,
      NHSA_MSGID_SCHEMA: msgids.schema,
    });
    const schemas = [msgids, admissionSchema, feeDetailSchema];
    const services = await Promise.allSettled([
      ChildService.start(
        'apps/admission/src/main.ts',
        envFor('admission', admissionSchema),
        /admission listening/,
      ),
      ChildService.start(
        'apps/fee-detail/src/main.ts',
        envFor('fee-detail', feeDetailSchema),
        /fee-detail listening/,
      ),
    ]);
    const started = services.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const hospital = new HospitalServices(sim, started, schemas, {
      hisInpatient: `${prefix}${Topics.hisInpatient}`,
      insuranceInpatient: `${prefix}${Topics.insuranceInpatient}`,
      all,
    });
    const failed = services.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await hospital.stop();
      throw failed.reason;
    }
    return hospital;
  }

  /** SIGTERM to every service (each shuts down cleanly), then the simulator, the topics and the schemas. */
  async stop(): Promise<void> {
    await Promise.all(this.services.map((s) => s.stop()));
    await this.sim.stop();
    const admin = testKafka().admin();
    await admin.connect();
    await admin
      .deleteTopics({ topics: this.topics.all })
      .catch(() => undefined)
      .finally(() => admin.disconnect());
    await Promise.all(this.schemas.map((s) => s.drop()));
  }
}
