import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DOWNLOADABLE_CATALOGUES, Topics } from '@yb/contracts';
import { EventStore } from '@yb/event-store';
import { KafkaConsumerHost } from '@yb/messaging';
import { type Telemetry } from '@yb/observability';
import { PlatformClient } from '@yb/platform-client';
import {
  assertWorkerFitsPool,
  PlatformCallRecovery,
  PlatformWorker,
  PlatformWorkers,
  SERVICE_LOGGER,
  ServiceRuntimeModule,
  StreamCacheMetrics,
  topicName,
  type ServiceConfig,
} from '@yb/service-runtime';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { type CatalogueConfig } from './catalogue-config';
import { catalogueTopics } from './catalogue-topics';
import { LookupController } from './http/lookup.controller';
import { MappingController } from './http/mapping.controller';
import { DownloadScheduleWorkflow } from './download-schedule/download-schedule-workflow';
import { DownloadScheduler } from './inbound/download-scheduler';
import { DownloadWorkflow } from './download/download-workflow';
import { registerCatalogueHandlers } from './inbound/catalogue-handlers';
import { type CatalogueInfno } from './lookup/catalogue-kinds';
import { CatalogueLookup } from './lookup/catalogue-lookup';
import { LookupTables } from './lookup/lookup-tables';
import { NationalItems } from './lookup/national-items';
import { ItemMappingWorkflow } from './mapping/item-mapping-workflow';

export const CATALOGUE_HTTP_PORT = 8789;

const DOWNLOAD_WORKER = Symbol('DOWNLOAD_WORKER');
const MAPPING_WORKER = Symbol('MAPPING_WORKER');
const CATALOGUE_CONFIG = Symbol('CATALOGUE_CONFIG');

/**
 * Registered before the runtime starts (onModuleInit comes before its onApplicationBootstrap): the handlers and
 * the download worker; then the lookup tables are made, a catalogue never downloaded is started, and the
 * schedule runs. The scheduler stops before the worker does.
 */
@Injectable()
class CatalogueRegistrations implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(KafkaConsumerHost) private readonly host: KafkaConsumerHost,
    @Inject(PlatformWorkers) private readonly workers: PlatformWorkers,
    @Inject(PlatformCallRecovery) private readonly recovery: PlatformCallRecovery,
    @Inject(DownloadWorkflow) private readonly downloads: DownloadWorkflow,
    @Inject(DOWNLOAD_WORKER) private readonly worker: PlatformWorker,
    @Inject(ItemMappingWorkflow) private readonly items: ItemMappingWorkflow,
    @Inject(MAPPING_WORKER) private readonly mappingWorker: PlatformWorker,
    @Inject(LookupTables) private readonly tables: LookupTables,
    @Inject(DownloadScheduler) private readonly scheduler: DownloadScheduler,
    @Inject(CATALOGUE_CONFIG) private readonly config: CatalogueConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.tables.ensure();
    registerCatalogueHandlers(this.host, this.downloads, this.items, {
      downloads: this.worker,
      mappings: this.mappingWorker,
    });
    this.workers.add(this.worker).add(this.mappingWorker);
    // 3301 of an unknown outcome is sent again (the platform replaces a mapping with the same); 3302 too.
    this.recovery.resolveWith(['3301', '3302'], async (call) => {
      await this.items.drive(call.visitKey.replace(/^item-/, ''));
      return { outcome: 'APPLIED', note: 'the mapping call was sent again and its answer recorded' };
    });
    // A catalogue query changes nothing on the platform: one left unanswered by a crash is simply asked again.
    this.recovery.resolveWith(DOWNLOADABLE_CATALOGUES, () =>
      Promise.resolve({ outcome: 'NOT_APPLIED', note: 'a query: the download asks for the page again' }),
    );
    for (const infno of this.config.downloads) {
      const state = await this.downloads.state(infno);
      // Nothing held yet: the first download does not wait for the night (the worker takes it once started).
      if (state.versions === 0 && !state.run) await this.downloads.start(infno, 'start');
    }
    await this.scheduler.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
  }
}

/**
 * The catalogue service: the platform's catalogues and dictionaries downloaded by version into lookup tables, and
 * the hospital's items mapped to national codes (3301/3302) and published for fee-detail.
 */
@Module({})
export class CatalogueModule {
  static forRoot(config: ServiceConfig, catalogue: CatalogueConfig, telemetry?: Telemetry): DynamicModule {
    const topics = catalogueTopics(config);
    assertWorkerFitsPool(config, 'CATALOGUE_CONCURRENT_DOWNLOADS', catalogue.concurrentDownloads);
    return {
      module: CatalogueModule,
      controllers: [MappingController, LookupController],
      imports: [
        ServiceRuntimeModule.forRoot({ config, telemetry, consumes: [topics.commands, topics.hisCatalogue] }),
      ],
      providers: [
        { provide: CATALOGUE_CONFIG, useValue: catalogue },
        {
          provide: LookupTables,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new LookupTables(dataSource, config.schema),
        },
        {
          provide: DownloadWorkflow,
          inject: [EventStore, DataSource, PlatformClient, LookupTables, StreamCacheMetrics],
          useFactory: (
            store: EventStore,
            dataSource: DataSource,
            client: PlatformClient,
            tables: LookupTables,
            caches: StreamCacheMetrics,
          ) =>
            caches.registered(
              new DownloadWorkflow(store, dataSource, client, tables, {
                pageSize: catalogue.pageSize,
                firstUpdtTime: catalogue.firstUpdtTime,
                dictionaryTypes: catalogue.dictionaryTypes,
                admdvs: config.platform.mdtrtarea_admvs,
                timeZone: catalogue.timeZone,
                dictionaryTopic: topicName(config, Topics.catalogueDictionaries),
                versionTopic: topicName(config, Topics.catalogueVersions),
              }),
            ),
        },
        {
          provide: CatalogueLookup,
          inject: [DataSource, LookupTables],
          useFactory: (dataSource: DataSource, tables: LookupTables) =>
            new CatalogueLookup(dataSource, tables),
        },
        {
          provide: NationalItems,
          inject: [DataSource, LookupTables],
          useFactory: (dataSource: DataSource, tables: LookupTables) => new NationalItems(dataSource, tables),
        },
        {
          provide: ItemMappingWorkflow,
          inject: [EventStore, DataSource, PlatformClient, NationalItems, StreamCacheMetrics],
          useFactory: (
            store: EventStore,
            dataSource: DataSource,
            client: PlatformClient,
            national: NationalItems,
            caches: StreamCacheMetrics,
          ) => caches.registered(new ItemMappingWorkflow(store, dataSource, client, national, config)),
        },
        {
          provide: MAPPING_WORKER,
          inject: [ItemMappingWorkflow, SERVICE_LOGGER],
          useFactory: (items: ItemMappingWorkflow, logger: Logger) =>
            new PlatformWorker(
              'item-mapping',
              { run: (id) => items.drive(id), owed: () => items.owed() },
              { concurrency: 1 },
              logger,
            ),
        },
        {
          provide: DOWNLOAD_WORKER,
          inject: [DownloadWorkflow, SERVICE_LOGGER],
          useFactory: (downloads: DownloadWorkflow, logger: Logger) =>
            new PlatformWorker(
              'catalogue-download',
              { run: (infno) => downloads.drive(infno as CatalogueInfno), owed: () => downloads.owed() },
              { concurrency: catalogue.concurrentDownloads },
              logger,
            ),
        },
        {
          provide: DownloadScheduleWorkflow,
          inject: [EventStore, StreamCacheMetrics],
          useFactory: (store: EventStore, caches: StreamCacheMetrics) =>
            caches.registered(new DownloadScheduleWorkflow(store)),
        },
        {
          provide: DownloadScheduler,
          inject: [DownloadScheduleWorkflow, DownloadWorkflow, DOWNLOAD_WORKER, SERVICE_LOGGER],
          useFactory: (
            schedule: DownloadScheduleWorkflow,
            downloads: DownloadWorkflow,
            worker: PlatformWorker,
            logger: Logger,
          ) =>
            new DownloadScheduler(
              schedule,
              catalogue,
              async (infno, trigger) => {
                await downloads.start(infno, trigger);
                worker.schedule(infno);
              },
              logger,
            ),
        },
        CatalogueRegistrations,
      ],
    };
  }
}
