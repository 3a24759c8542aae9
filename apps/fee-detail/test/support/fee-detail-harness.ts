import {
  createEnvelope,
  parseMessage,
  PatientAdmittedV1,
  type Envelope,
  type MessageOf,
  type MessageType,
} from '@yb/contracts';
import { EventStore, OutboxRelay, ProjectionRunner } from '@yb/event-store';
import { KafkaConsumerHost, KafkaPublisher, openEnvelope } from '@yb/messaging';
import { PlatformCallJournal, type PlatformClient } from '@yb/platform-client';
import {
  createTestSchema,
  createTestTopics,
  testKafka,
  uniqueName,
  type TestSchema,
  type TestTopics,
  PlatformSimProcess,
} from '@yb/testing';
import { createLogger } from '@yb/observability';
import { PendingWorkLeases, PlatformWorker } from '@yb/service-runtime';
import { type Admin, type Consumer } from 'kafkajs';
import { type DataSource } from 'typeorm';
import { ItemMappings, type ItemMapping } from '../../src/catalogue/item-mappings';
import { FEE_LEDGER_STREAM_PREFIX, FeeLedgerWorkflow } from '../../src/fee-ledger/fee-ledger-workflow';
import { HeldItems } from '../../src/fee-ledger/held-items';
import { HeldLineRelease } from '../../src/inbound/held-line-release';
import { registerFeeDetailHandlers } from '../../src/inbound/fee-detail-handlers';
import { FeeUploader } from '../../src/platform/fee-uploader';
import { platformWorkDelay } from '../../src/fee-ledger/next-platform-step';
import { ConsumptionWatermark } from '../../src/fee-ledger/consumption-watermark';
import { migratedDataSource, registerVisit, startTestPlatformClient } from './test-hospital';

type Topic = 'his' | 'insurance' | 'commands' | 'mappings';

/**
 * The fee-detail components over the real Kafka, PostgreSQL and the simulator (a child process), on a
 * throw-away schema and unique topics; plus what a test needs around them: a HIS publisher, a reader of
 * the results, and a PlatformClient of its own to register visits (admission is another service).
 */
export class FeeDetailHarness {
  sim!: PlatformSimProcess;
  schema!: TestSchema;
  topics!: TestTopics<Topic>;
  dataSource!: DataSource;
  journal!: PlatformCallJournal;
  /** The test's own client: 2401 registrations and out-of-band changes on the platform. */
  testClient!: PlatformClient;
  /** fee-detail's results, in the order they were read. */
  readonly results: MessageOf<MessageType>[] = [];
  private serviceClient!: PlatformClient;
  private relay!: OutboxRelay;
  private host!: KafkaConsumerHost;
  private worker!: PlatformWorker;
  private admin!: Admin;
  private publisher!: KafkaPublisher;
  private resultReader!: Consumer;
  /** fee-detail's copy of the mappings, and the release of held lines (a test stops and starts it). */
  mappings!: ItemMappings;
  release!: HeldLineRelease;
  /** The ledgers, and so the visits marked as owing the platform work (the upload worker's sweep reads them). */
  ledgers!: FeeLedgerWorkflow;

  async start(
    label: string,
    /**
     * `sweepMs`: the held-line release's pass when no mapping arrives (long: a release comes from the mapping);
     * `uploadConcurrency`: visits uploaded at once (default 4); `poolSize`: the connections the whole of it
     * shares (default 10); `simEnv`: the simulator's own variables.
     */
    options: {
      batchSize: number;
      timeoutMs: number;
      coalesceMs?: number;
      sweepMs?: number;
      uploadConcurrency?: number;
      poolSize?: number;
      simEnv?: Record<string, string>;
    },
  ): Promise<void> {
    // As the platform: a line whose code is outside the catalogue is refused (a mapping error shows).
    this.sim = await PlatformSimProcess.start({
      PLATFORM_SIM_REFUSE_UNKNOWN_CODES: 'true',
      ...options.simEnv,
    });
    this.schema = await createTestSchema(label);
    this.topics = await createTestTopics(['his', 'insurance', 'commands', 'mappings']);
    this.dataSource = await migratedDataSource(this.schema, options.poolSize);
    this.journal = new PlatformCallJournal(this.dataSource);
    this.serviceClient = await this.client(options.timeoutMs);
    this.testClient = await this.client(10_000);

    const kafka = testKafka();
    const store = new EventStore(this.dataSource);
    const ledgers = (this.ledgers = new FeeLedgerWorkflow(store, this.topics.names.insurance));
    const groupId = uniqueName('fee-detail');
    this.admin = kafka.admin();
    await this.admin.connect();
    const watermark = new ConsumptionWatermark(
      async () => this.admin,
      groupId,
      [this.topics.names.his, this.topics.names.insurance],
      () => this.host.commitSkippedOffsets(),
    );
    const uploader = new FeeUploader(
      ledgers,
      this.serviceClient,
      this.journal,
      { batchSize: options.batchSize },
      watermark,
    );
    this.relay = new OutboxRelay(store, kafka, { pollIntervalMs: 50 });
    this.relay.start();
    const { mappings: mappingTopic, ...consumed } = this.topics.names;
    this.host = new KafkaConsumerHost({
      kafka,
      groupId,
      topics: Object.values(consumed),
      retry: { maxAttempts: 2 },
    });
    this.worker = new PlatformWorker(
      'fee-upload',
      { run: (ipt_no) => uploader.drive(ipt_no), owed: (sweep) => ledgers.owedVisits(sweep) },
      {
        concurrency: options.uploadConcurrency ?? 4,
        retryDelayMs: { min: 200, max: 2_000 },
        sweepIntervalMs: 5_000,
        leases: new PendingWorkLeases(store, FEE_LEDGER_STREAM_PREFIX, 'fee-detail-test'),
      },
      createLogger({ serviceName: 'fee-detail-test' }),
    );
    const config = { batchSize: options.batchSize, coalesceMs: options.coalesceMs ?? 20 };
    const delayFor = (state: Parameters<typeof platformWorkDelay>[0]) => platformWorkDelay(state, config);
    // The catalogue's mappings as fee-detail holds them: none until a test publishes one (publishMapping); a
    // line with a national code of an unmapped item is taken as given.
    this.mappings = new ItemMappings(kafka, mappingTopic);
    await this.mappings.start();
    const heldItems = new HeldItems(store);
    await heldItems.ensureTable();
    this.release = new HeldLineRelease(
      ledgers,
      heldItems,
      new ProjectionRunner(store, heldItems),
      this.mappings,
      this.worker,
      delayFor,
      createLogger({ serviceName: 'fee-detail-test' }),
      options.sweepMs,
    );
    this.mappings.onMapped(() => this.release.itemMapped());
    registerFeeDetailHandlers(this.host, ledgers, this.worker, delayFor, watermark, this.mappings);
    await this.worker.start();
    this.release.start();
    await this.host.start();

    this.publisher = new KafkaPublisher(kafka);
    await this.publisher.connect();
    this.resultReader = kafka.consumer({ groupId: uniqueName('fee-results'), maxWaitTimeInMs: 200 });
    await this.resultReader.connect();
    await this.resultReader.subscribe({ topic: this.topics.names.insurance, fromBeginning: true });
    await this.resultReader.run({
      eachMessage: async ({ message }) => {
        const result = parseMessage(openEnvelope(JSON.parse(message.value!.toString())));
        // The topic also carries the admission results the test publishes itself.
        if (!result.type.startsWith('Admission')) this.results.push(result);
      },
    });
  }

  async stop(): Promise<void> {
    await this.release?.stop();
    await this.mappings?.stop();
    await this.host?.stop();
    await this.worker?.stop();
    await this.admin?.disconnect();
    await this.resultReader?.disconnect();
    await this.publisher?.disconnect();
    await this.relay?.stop();
    for (const client of [this.serviceClient, this.testClient]) await client?.stop().catch(() => undefined);
    await this.dataSource?.destroy();
    await this.sim?.stop();
    await this.topics?.delete();
    await this.schema?.drop();
  }

  /** Publishes a HIS event (or our own admission result / saga command) as its producer would. */
  async publish<T extends MessageType>(
    type: T,
    ipt_no: string,
    data: unknown,
    again?: Envelope,
  ): Promise<Envelope> {
    const envelope = again ?? createEnvelope({ type, schemaVersion: 1, key: ipt_no, data });
    const topic =
      type === 'ReconcileFeeTotals' ? 'commands' : type.startsWith('Admission') ? 'insurance' : 'his';
    await this.publisher.publish(this.topics.names[topic], envelope);
    return envelope;
  }

  /** The catalogue service's publication of an item's mapping (insurance.catalogue.mappings). */
  async publishMapping(mapping: ItemMapping): Promise<void> {
    const envelope = createEnvelope({
      type: 'ItemMappingPublished',
      schemaVersion: 1,
      key: mapping.fixmedins_hilist_id,
      data: mapping,
    });
    await this.publisher.publish(this.topics.names.mappings, envelope);
  }

  resultsOf<T extends MessageType>(type: T, ipt_no: string): MessageOf<T>[] {
    return this.results.filter((m): m is MessageOf<T> => m.type === type && m.key === ipt_no);
  }

  /** A visit the HIS admits and admission registers (2401) for a seeded person; returns its mdtrt_id. */
  async admit(
    ipt_no: string,
    { psn_no, insutype, insuplc_admdvs }: { psn_no: string; insutype: string; insuplc_admdvs: string },
  ): Promise<{ mdtrt_id: string }> {
    await this.publish('PatientAdmitted', ipt_no, {
      ...PatientAdmittedV1.example,
      ipt_no,
      psn_no,
      insutype,
      insuplc_admdvs,
    });
    const { mdtrt_id, msgid } = await this.register(ipt_no, psn_no, insutype, insuplc_admdvs);
    await this.publish('AdmissionRegistered', ipt_no, { ipt_no, mdtrt_id, psn_no, msgid });
    return { mdtrt_id };
  }

  /** 2401 on the simulator for a seeded person, as the admission service would; returns mdtrt_id and msgid. */
  register(ipt_no: string, psn_no: string, insutype: string, insuplc_admdvs: string) {
    return registerVisit(this.testClient, { ipt_no, psn_no, insutype, insuplc_admdvs });
  }

  private client(timeoutMs: number): Promise<PlatformClient> {
    return startTestPlatformClient({
      simUrl: this.sim.url,
      dataSource: this.dataSource,
      msgidSchema: this.schema.schema,
      timeoutMs,
    });
  }
}
