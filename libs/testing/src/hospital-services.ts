import { ALL_TOPICS, dlqTopic, Topics } from '@yb/contracts';
import { ChildService } from './child-service';
import { kafkaBrokers, uniqueName } from './stack';
import { createTestSchema, type TestSchema } from './postgres';
import { PlatformSimProcess } from './platform-sim-process';
import { createTopicsWithLeaders, testKafka } from './kafka';
import { testHospitalEnv } from './test-hospital';
import { type ServiceProcessOptions } from './service-runtime-mode';

/** The services a hospital runs, as `apps/<name>/src/main.ts`. */
export type HospitalService =
  | 'admission'
  | 'fee-detail'
  | 'settlement'
  | 'quality'
  | 'reporting'
  | 'billing-dashboard'
  | 'reconciliation'
  | 'catalogue';

export interface HospitalServicesOptions {
  /** Names the run's topic prefix, schemas and consumer groups. */
  label: string;
  /** The services to run (default admission and fee-detail). */
  services?: readonly HospitalService[];
  /** Partitions of each topic (default 1). */
  partitions?: number;
  /** Variables for every service (e.g. NHSA_TIMEOUT_MS, OTEL_SDK_DISABLED). */
  env?: Record<string, string>;
  /**
   * Processes of a service (default 1 each): replicas share its schema and consumer group, as a Deployment's
   * pods do; `replica` (0, 1, …) names one in service(), crashAndRestart() and the rest.
   */
  replicas?: Partial<Record<HospitalService, number>>;
  /** Variables for the platform simulator (e.g. PLATFORM_SIM_CATALOGUE_ITEMS). */
  simEnv?: Record<string, string>;
  /** Variables for one service (e.g. FEE_DETAIL_BATCH_SIZE). */
  serviceEnv?: Partial<Record<HospitalService, Record<string, string>>>;
  /**
   * How the services and the simulator run: from source (default) or compiled (benchmarks, chaos), and their
   * heap limit.
   */
  process?: ServiceProcessOptions;
  /**
   * The platform address the services are given (NHSA_BASE_URL), from the simulator's: a chaos run puts a fault
   * proxy in front of it. Default: the simulator's own.
   */
  platformUrl?: (simUrl: string) => string | Promise<string>;
}

/**
 * The hospital's services as production runs them, for an end-to-end test or a benchmark: the platform
 * simulator (enrolling unknown persons) and the chosen services, each its own main.ts in a child process
 * configured only through the environment; topics behind one unique prefix, created up front; a consumer
 * group and a schema per service; one msgid schema shared, as every service of a hospital must.
 */
export class HospitalServices {
  /** The schema of the msgid counter every service shares (a test calling the platform as the hospital shares it too). */
  msgidSchema = '';

  private constructor(
    readonly prefix: string,
    readonly sim: PlatformSimProcess,
    /** Running processes by service and replica (instanceKey). */
    private readonly services: Map<string, ChildService>,
    private readonly schemas: TestSchema[],
    private readonly schemaNames: ReadonlyMap<HospitalService, string>,
    private readonly consumerGroups: ReadonlyMap<HospitalService, string>,
    /** Starts (or starts again, on the same schema, group and topics) one replica of a service. */
    private readonly launch: (service: HospitalService, replica: number) => Promise<ChildService>,
  ) {}

  /** The running process of a service (its output, its HTTP address in `ready[1]` when it prints one). */
  service(name: HospitalService, replica = 0): ChildService {
    const running = this.services.get(instanceKey(name, replica));
    if (!running) throw new Error(`${instanceKey(name, replica)} is not running in this hospital`);
    return running;
  }

  /** The PostgreSQL schema a service keeps its books in (a harness reads or seeds its inbox there). */
  schemaOf(name: HospitalService): string {
    const schema = this.schemaNames.get(name);
    if (!schema) throw new Error(`${name} has never run in this hospital`);
    return schema;
  }

  /** The Kafka consumer group a service's replicas consume in (a harness waits for its lag to reach zero). */
  consumerGroupOf(name: HospitalService): string {
    const group = this.consumerGroups.get(name);
    if (!group) throw new Error(`${name} has never run in this hospital`);
    return group;
  }

  /** Whether the service runs now (started and not stopped). */
  isRunning(name: HospitalService, replica = 0): boolean {
    return this.services.has(instanceKey(name, replica));
  }

  /** Kills a service without warning (SIGKILL, as a crash) and starts it again with the same configuration. */
  async crashAndRestart(name: HospitalService, replica = 0): Promise<ChildService> {
    await this.service(name, replica).stop('SIGKILL');
    this.services.delete(instanceKey(name, replica));
    return this.launch(name, replica);
  }

  /** Stops a service gracefully (SIGTERM: it finishes the message in hand); startService runs it again. */
  async stopService(name: HospitalService, replica = 0): Promise<void> {
    await this.service(name, replica).stop();
    this.services.delete(instanceKey(name, replica));
  }

  /** Starts a stopped service with its configuration (schema, consumer group, topics): it resumes where it was. */
  async startService(name: HospitalService, replica = 0): Promise<ChildService> {
    if (this.services.has(instanceKey(name, replica)))
      throw new Error(`${instanceKey(name, replica)} is already running in this hospital`);
    return this.launch(name, replica);
  }

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
    const named = ALL_TOPICS;
    // Created up front: on KRaft a subscription to a topic that does not exist yet fails.
    const admin = testKafka().admin();
    await admin.connect();
    await createTopicsWithLeaders(
      admin,
      [...named, ...named.map(dlqTopic)].map((t) => ({
        topic: `${prefix}${t}`,
        numPartitions: options.partitions ?? 1,
      })),
    ).finally(() => admin.disconnect());

    const schemas: TestSchema[] = [];
    const services = new Map<string, ChildService>();
    const schemaLabel = options.label.replace(/-/g, '_');
    const sim = await PlatformSimProcess.start(
      { PLATFORM_SIM_ENROL_UNKNOWN: 'true', ...options.simEnv },
      options.process,
    );
    // One environment (schema, consumer group) per service, made once even when its replicas start together:
    // replicas with a schema and a group each would be independent copies, each doing all the work.
    const envs = new Map<HospitalService, Promise<NodeJS.ProcessEnv>>();
    const schemaNames = new Map<HospitalService, string>();
    const consumerGroups = new Map<HospitalService, string>();
    let platformUrl = sim.url;
    let msgidSchema = '';
    const serviceEnv = async (service: HospitalService): Promise<NodeJS.ProcessEnv> => {
      const schema = await createTestSchema(`${schemaLabel}_${service.replace(/-/g, '_')}`);
      schemas.push(schema);
      schemaNames.set(service, schema.schema);
      const group = uniqueName(`${options.label}-${service}`);
      consumerGroups.set(service, group);
      return {
        ...process.env,
        ...testHospitalEnv(platformUrl, msgidSchema),
        KAFKA_BROKERS: kafkaBrokers().join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_CONSUMER_GROUP: group,
        DATABASE_URL: schema.databaseUrl,
        SERVICE_SCHEMA: schema.schema,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: '0',
        // The test hospital settles on the HIS's request alone; a test of the cashier's confirmation (on by
        // default in a real installation) turns it on with serviceEnv.
        ...(service === 'settlement' && { SETTLEMENT_CONFIRMATION: 'false' }),
        ...options.env,
        ...options.serviceEnv?.[service],
      };
    };
    const launch = async (service: HospitalService, replica: number): Promise<ChildService> => {
      let made = envs.get(service);
      if (!made) {
        made = serviceEnv(service);
        envs.set(service, made);
      }
      const env = await made;
      // One name per replica, kept by its restart (as a pod's name is): the leases it held are its own again.
      const child = await ChildService.start(
        `apps/${service}/src/main.ts`,
        { ...env, REPLICA_ID: instanceKey(service, replica) },
        new RegExp(`${service} listening on (http[^\\s"]+)`),
        options.process,
      );
      services.set(instanceKey(service, replica), child);
      return child;
    };
    const hospital = new HospitalServices(
      prefix,
      sim,
      services,
      schemas,
      schemaNames,
      consumerGroups,
      launch,
    );
    try {
      platformUrl = (await options.platformUrl?.(sim.url)) ?? sim.url;
      // One msgid schema for every service, as a hospital's services must share one sequence.
      const msgids = await createTestSchema(`${schemaLabel}_msgids`);
      schemas.push(msgids);
      msgidSchema = msgids.schema;
      hospital.msgidSchema = msgidSchema;
      // A service's first replica makes its schema; the others start once it has (they share it).
      await Promise.all(
        (options.services ?? ['admission', 'fee-detail']).map(async (service) => {
          await launch(service, 0);
          const replicas = options.replicas?.[service] ?? 1;
          await Promise.all(Array.from({ length: replicas - 1 }, (_, i) => launch(service, i + 1)));
        }),
      );
      return hospital;
    } catch (err) {
      await hospital.stop();
      throw err;
    }
  }

  /** SIGTERM to every service (each finishes the message in hand), then the simulator, topics and schemas. */
  async stop(): Promise<void> {
    await Promise.all([...this.services.values()].map((s) => s.stop()));
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

/** A running process's name: the service's for its first replica, `service#n` for the others. */
export function instanceKey(service: HospitalService, replica: number): string {
  return replica === 0 ? service : `${service}#${replica}`;
}
