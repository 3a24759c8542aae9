import { Inject, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { KafkaConsumerHost } from '@yb/messaging';
import { EventStore } from '@yb/event-store';
import { type Telemetry } from '@yb/observability';
import { PlatformClient } from '@yb/platform-client';
import {
  PendingWorkLeases,
  PlatformWorker,
  PlatformWorkers,
  SagaStateMetrics,
  SERVICE_LOGGER,
  ServiceRuntimeModule,
  StreamCacheMetrics,
  type ServiceConfig,
} from '@yb/service-runtime';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { SettlementHandlers } from './inbound/settlement-handlers';
import { SagaIndex } from './saga/saga-index';
import { SagaSweeper } from './inbound/saga-sweeper';
import { SettlementWorkflow } from './saga/settlement-workflow';
import { SETTLEMENT_CONFIG, type SettlementConfig } from './settlement-config';
import { SETTLEMENT_TOPICS, settlementTopics } from './settlement-topics';
import { registerSlipHandlers } from './inbound/slip-handlers';
import { SlipPrinting } from './platform/slip-printing';
import { SLIP_STREAM_PREFIX, SlipWorkflow } from './slip/slip-workflow';

const SLIP_WORKER = Symbol('SLIP_WORKER');

/** The platform's slip (YH03) after each settlement, where the region offers it: off the consumer path. */
@Injectable()
class SlipRegistrations implements OnModuleInit {
  constructor(
    @Inject(KafkaConsumerHost) private readonly host: KafkaConsumerHost,
    @Inject(PlatformWorkers) private readonly workers: PlatformWorkers,
    @Inject(SettlementWorkflow) private readonly sagas: SettlementWorkflow,
    @Inject(SlipWorkflow) private readonly slips: SlipWorkflow,
    @Inject(SLIP_WORKER) private readonly worker: PlatformWorker,
  ) {}

  onModuleInit(): void {
    registerSlipHandlers(this.host, this.sagas, this.slips, this.worker);
    this.workers.add(this.worker);
  }
}

export const SETTLEMENT_HTTP_PORT = 8783;

/** The settlement service: the discharge-settlement saga per visit (2303, 2304, 2305, 2601), on the shared runtime. */
@Module({})
export class SettlementModule {
  static forRoot(config: ServiceConfig, settings: SettlementConfig, telemetry?: Telemetry): DynamicModule {
    const topics = settlementTopics(config);
    return {
      module: SettlementModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          telemetry,
          consumes: [
            topics.hisInpatient,
            topics.ownCommands,
            topics.insuranceInpatient,
            topics.reconciliation,
          ],
        }),
      ],
      providers: [
        { provide: SETTLEMENT_TOPICS, useValue: topics },
        { provide: SETTLEMENT_CONFIG, useValue: settings },
        {
          provide: SagaIndex,
          inject: [SagaStateMetrics],
          useFactory: (sagaStates: SagaStateMetrics) => {
            const index = new SagaIndex();
            sagaStates.register('settlement', () => Promise.resolve(index.countByState()));
            return index;
          },
        },
        {
          provide: SettlementWorkflow,
          inject: [EventStore, PlatformClient, DataSource, SagaIndex, StreamCacheMetrics],
          useFactory: (
            store: EventStore,
            platform: PlatformClient,
            dataSource: DataSource,
            index: SagaIndex,
            caches: StreamCacheMetrics,
          ) =>
            caches.registered(new SettlementWorkflow(store, platform, dataSource, topics, settings, index)),
        },
        SettlementHandlers,
        SagaSweeper,
        ...(settings.platformSlip ? slipProviders(config, settings, topics.insuranceInpatient) : []),
      ],
    };
  }
}

function slipProviders(config: ServiceConfig, settings: SettlementConfig, resultTopic: string) {
  return [
    {
      provide: SlipWorkflow,
      inject: [EventStore, StreamCacheMetrics],
      useFactory: (store: EventStore, caches: StreamCacheMetrics) =>
        caches.registered(new SlipWorkflow(store, resultTopic)),
    },
    {
      provide: SLIP_WORKER,
      inject: [SlipWorkflow, PlatformClient, EventStore, SERVICE_LOGGER],
      useFactory: (slips: SlipWorkflow, client: PlatformClient, store: EventStore, logger: Logger) => {
        const printing = new SlipPrinting(
          slips,
          client,
          config.platform.fixmedins_code,
          settings.slipRetryMs,
        );
        return new PlatformWorker(
          'settlement-slip',
          { run: (setl_id) => printing.run(setl_id), owed: (sweep) => slips.owed(sweep) },
          { concurrency: 2, leases: new PendingWorkLeases(store, SLIP_STREAM_PREFIX, config.replicaId) },
          logger,
        );
      },
    },
    SlipRegistrations,
  ];
}
