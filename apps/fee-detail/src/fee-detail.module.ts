import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { EventStore, ProjectionRunner } from '@yb/event-store';
import { KafkaConsumerHost } from '@yb/messaging';
import { type Telemetry } from '@yb/observability';
import { PlatformCallJournal, PlatformClient } from '@yb/platform-client';
import {
  KafkaAdminConnection,
  PendingWorkLeases,
  PlatformCallRecovery,
  PlatformWorker,
  PlatformWorkers,
  SERVICE_LOGGER,
  ServiceRuntimeModule,
  StreamCacheMetrics,
  type ServiceConfig,
} from '@yb/service-runtime';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { type FeeDetailConfig } from './fee-detail-config';
import { ItemMappings } from './catalogue/item-mappings';
import { feeDetailTopics } from './fee-detail-topics';
import { FEE_LEDGER_STREAM_PREFIX, FeeLedgerWorkflow } from './fee-ledger/fee-ledger-workflow';
import { HeldItems } from './fee-ledger/held-items';
import { HeldLineRelease } from './inbound/held-line-release';
import { platformWorkDelay } from './fee-ledger/next-platform-step';
import { ConsumptionWatermark } from './fee-ledger/consumption-watermark';
import { registerFeeDetailHandlers } from './inbound/fee-detail-handlers';
import { FeeUploader } from './platform/fee-uploader';

/** The uploader's worker: visits owing the platform, taken off the consumer path. */
const FEE_UPLOAD_WORKER = Symbol('FEE_UPLOAD_WORKER');
const FEE_DETAIL_CONFIG = Symbol('FEE_DETAIL_CONFIG');

export const FEE_DETAIL_HTTP_PORT = 8782;

/**
 * Registered before the runtime starts (onModuleInit comes before its onApplicationBootstrap): the message
 * handlers, the uploader's worker, and the resolver PlatformClient.recover() gives the 2301/2302 calls a
 * crash left unsettled.
 */
@Injectable()
class FeeDetailRegistrations implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(KafkaConsumerHost) private readonly host: KafkaConsumerHost,
    @Inject(PlatformCallRecovery) private readonly recovery: PlatformCallRecovery,
    @Inject(PlatformWorkers) private readonly workers: PlatformWorkers,
    @Inject(FeeLedgerWorkflow) private readonly ledgers: FeeLedgerWorkflow,
    @Inject(FeeUploader) private readonly uploader: FeeUploader,
    @Inject(FEE_UPLOAD_WORKER) private readonly worker: PlatformWorker,
    @Inject(FEE_DETAIL_CONFIG) private readonly config: FeeDetailConfig,
    @Inject(ConsumptionWatermark) private readonly watermark: ConsumptionWatermark,
    @Inject(ItemMappings) private readonly mappings: ItemMappings,
    @Inject(HeldItems) private readonly heldItems: HeldItems,
    @Inject(HeldLineRelease) private readonly release: HeldLineRelease,
  ) {}

  async onModuleInit(): Promise<void> {
    // The catalogue's mappings in memory before the first fee line is checked against them.
    await this.mappings.start();
    await this.heldItems.ensureTable();
    this.mappings.onMapped(() => this.release.itemMapped());
    registerFeeDetailHandlers(
      this.host,
      this.ledgers,
      this.worker,
      (state) => platformWorkDelay(state, this.config, this.worker.hasRoom()),
      this.watermark,
      this.mappings,
    );
    this.workers.add(this.worker);
    // Under the visit's lease: another replica may be driving the visit right now.
    this.recovery.resolveWith(['2301', '2302'], (call) =>
      this.worker.exclusively(call.visitKey, () => this.uploader.resolveCall(call)),
    );
  }

  onApplicationBootstrap(): void {
    this.release.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.release.stop();
    await this.mappings.stop();
  }
}

/** The fee-detail service: 2301 and 2302 for each inpatient visit's fee lines, on the shared service runtime. */
@Module({})
export class FeeDetailModule {
  static forRoot(config: ServiceConfig, feeDetail: FeeDetailConfig, telemetry?: Telemetry): DynamicModule {
    const topics = feeDetailTopics(config);
    return {
      module: FeeDetailModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          telemetry,
          consumes: [topics.hisInpatient, topics.insuranceInpatient, topics.commands],
        }),
      ],
      providers: [
        { provide: FEE_DETAIL_CONFIG, useValue: feeDetail },
        {
          provide: ItemMappings,
          inject: [Kafka],
          useFactory: (kafka: Kafka) => new ItemMappings(kafka, topics.catalogueMappings),
        },
        {
          provide: FeeLedgerWorkflow,
          inject: [EventStore, StreamCacheMetrics],
          useFactory: (store: EventStore, caches: StreamCacheMetrics) =>
            caches.registered(
              new FeeLedgerWorkflow(store, topics.insuranceInpatient, {
                cacheSize: feeDetail.ledgerCache.visits,
                cacheEvents: feeDetail.ledgerCache.events,
              }),
            ),
        },
        {
          provide: ConsumptionWatermark,
          inject: [KafkaAdminConnection, KafkaConsumerHost],
          useFactory: (admin: KafkaAdminConnection, host: KafkaConsumerHost) =>
            new ConsumptionWatermark(
              () => admin.get(),
              config.consumerGroup,
              [topics.hisInpatient, topics.insuranceInpatient],
              () => host.commitSkippedOffsets(),
            ),
        },
        {
          provide: FeeUploader,
          inject: [FeeLedgerWorkflow, PlatformClient, DataSource, ConsumptionWatermark],
          useFactory: (
            ledgers: FeeLedgerWorkflow,
            client: PlatformClient,
            dataSource: DataSource,
            watermark: ConsumptionWatermark,
          ) => new FeeUploader(ledgers, client, new PlatformCallJournal(dataSource), feeDetail, watermark),
        },
        {
          provide: FEE_UPLOAD_WORKER,
          inject: [FeeUploader, FeeLedgerWorkflow, EventStore, SERVICE_LOGGER],
          useFactory: (
            uploader: FeeUploader,
            ledgers: FeeLedgerWorkflow,
            store: EventStore,
            logger: Logger,
          ) =>
            new PlatformWorker(
              'fee-upload',
              {
                run: (ipt_no, claimed) => uploader.drive(ipt_no, claimed),
                owed: (sweep) => ledgers.owedVisits(sweep),
              },
              {
                concurrency: feeDetail.uploadConcurrency,
                leases: new PendingWorkLeases(store, FEE_LEDGER_STREAM_PREFIX, config.replicaId),
              },
              logger,
            ),
        },
        {
          provide: HeldItems,
          inject: [EventStore],
          useFactory: (store: EventStore) => new HeldItems(store),
        },
        {
          provide: HeldLineRelease,
          inject: [FeeLedgerWorkflow, HeldItems, EventStore, ItemMappings, FEE_UPLOAD_WORKER, SERVICE_LOGGER],
          useFactory: (
            ledgers: FeeLedgerWorkflow,
            heldItems: HeldItems,
            store: EventStore,
            mappings: ItemMappings,
            worker: PlatformWorker,
            logger: Logger,
          ) =>
            new HeldLineRelease(
              ledgers,
              heldItems,
              new ProjectionRunner(store, heldItems),
              mappings,
              worker,
              (state) => platformWorkDelay(state, feeDetail, worker.hasRoom()),
              logger,
            ),
        },
        FeeDetailRegistrations,
      ],
    };
  }
}
