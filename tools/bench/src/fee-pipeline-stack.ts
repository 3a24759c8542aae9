// The fee pipeline as production runs it, for one benchmark run: the platform simulator, the admission and the
// fee-detail services as child processes (their own main.ts, configured only through the environment), on
// throw-away topics, schemas and consumer groups, all removed again by stop().
import { commandTopic, dlqTopic, Topics } from '@yb/contracts';
import { ensureTopics } from '@yb/messaging';
import { ChildService, createTestSchema, PlatformSimProcess, uniqueName, type TestSchema } from '@yb/testing';
import { type Kafka } from 'kafkajs';

/** The fictitious hospital the services sign in as (the simulator accepts any). */
const HOSPITAL_ENV = {
  NHSA_FIXMEDINS_CODE: 'H42010200123',
  NHSA_FIXMEDINS_NAME: '武汉市某某医院',
  NHSA_MDTRTAREA_ADMVS: '420100',
  NHSA_OPTER_TYPE: '1',
  NHSA_OPTER: 'BENCH',
  NHSA_OPTER_NAME: '压测',
  NHSA_SIGN_IN_IP: '127.0.0.1',
} as const;

export interface FeePipelineStackOptions {
  readonly kafka: Kafka;
  readonly brokers: readonly string[];
  readonly databaseUrl: string;
  /** Partitions of the throw-away topics (the services consume up to 3 partitions at once). */
  readonly partitions: number;
  /** Lines per 2301 call (FEE_DETAIL_BATCH_SIZE). */
  readonly feeBatchSize: number;
  /** false sets OTEL_SDK_DISABLED=true in the services. */
  readonly tracing: boolean;
}

/** The topic names of this run (KAFKA_TOPIC_PREFIX applied). */
export interface FeePipelineTopics {
  readonly hisInpatient: string;
  readonly hisClinical: string;
  readonly insuranceInpatient: string;
}

export interface FeePipelineStack {
  readonly prefix: string;
  readonly topics: FeePipelineTopics;
  readonly sim: PlatformSimProcess;
  /** Stops the services, then the simulator; drops the schemas and deletes every topic of the prefix. */
  stop(): Promise<void>;
}

/** Starts the simulator (zero latency, unknown persons enrolled on first sight), admission and fee-detail. */
export async function startFeePipelineStack(options: FeePipelineStackOptions): Promise<FeePipelineStack> {
  const prefix = `${uniqueName('bench-fp')}.`.replace(/_/g, '-');
  const named = (topic: string) => `${prefix}${topic}`;
  const topics: FeePipelineTopics = {
    hisInpatient: named(Topics.hisInpatient),
    hisClinical: named(Topics.hisClinical),
    insuranceInpatient: named(Topics.insuranceInpatient),
  };
  const schemas: TestSchema[] = [];
  const services: ChildService[] = [];
  let sim: PlatformSimProcess | undefined;

  const stop = async () => {
    // Services first (each finishes the message in hand), then the platform they call.
    await Promise.all(services.map((s) => s.stop()));
    await sim?.stop();
    await Promise.all(schemas.map((s) => s.drop()));
    const admin = options.kafka.admin();
    await admin.connect();
    try {
      const ours = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      if (ours.length > 0) await admin.deleteTopics({ topics: ours });
    } finally {
      await admin.disconnect();
    }
  };

  try {
    // Created up front: a subscription to a topic that does not exist yet fails on KRaft.
    const admin = options.kafka.admin();
    await admin.connect();
    const serviceTopics = [
      ...Object.values(Topics),
      commandTopic('admission'),
      commandTopic('fee-detail'),
    ].map(named);
    await ensureTopics(
      admin,
      [...serviceTopics, ...serviceTopics.map(dlqTopic)].map((topic) => ({
        topic,
        numPartitions: options.partitions,
      })),
    ).finally(() => admin.disconnect());

    sim = await PlatformSimProcess.start({ PLATFORM_SIM_ENROL_UNKNOWN: 'true' });
    // Every service of a hospital numbers its msgids from one counter.
    const hospital = await createTestSchema('bench_fp_hospital');
    schemas.push(hospital);
    const common: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_BROKERS: options.brokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      DATABASE_URL: options.databaseUrl,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      // info, as in production (and the ready line is logged at info).
      LOG_LEVEL: 'info',
      ...(!options.tracing && { OTEL_SDK_DISABLED: 'true' }),
      NHSA_BASE_URL: sim.url,
      NHSA_MSGID_SCHEMA: hospital.schema,
      ...HOSPITAL_ENV,
    };
    const start = async (name: 'admission' | 'fee-detail', entry: string, own: NodeJS.ProcessEnv) => {
      const schema = await createTestSchema(`bench_fp_${name.replace('-', '_')}`);
      schemas.push(schema);
      const env = {
        ...common,
        KAFKA_CONSUMER_GROUP: uniqueName(`bench-fp-${name}`),
        SERVICE_SCHEMA: schema.schema,
        ...own,
      };
      services.push(await ChildService.start(entry, env, new RegExp(`${name} listening on http`)));
    };
    await Promise.all([
      start('admission', 'apps/admission/src/main.ts', {}),
      start('fee-detail', 'apps/fee-detail/src/main.ts', {
        FEE_DETAIL_BATCH_SIZE: String(options.feeBatchSize),
      }),
    ]);
    return { prefix, topics, sim, stop };
  } catch (err) {
    await stop().catch((cleanupError: unknown) =>
      console.error('cleanup after a failed start:', cleanupError),
    );
    throw err;
  }
}
