import { Module, type DynamicModule } from '@nestjs/common';
import { EventStore } from '@yb/event-store';
import { type Telemetry } from '@yb/observability';
import { PlatformClient } from '@yb/platform-client';
import { SagaStateMetrics, ServiceRuntimeModule, type ServiceConfig } from '@yb/service-runtime';
import { DataSource } from 'typeorm';
import { SettlementHandlers } from './inbound/settlement-handlers';
import { SagaIndex } from './saga/saga-index';
import { SagaSweeper } from './inbound/saga-sweeper';
import { SettlementWorkflow } from './saga/settlement-workflow';
import { SETTLEMENT_CONFIG, type SettlementConfig } from './settlement-config';
import { SETTLEMENT_TOPICS, settlementTopics } from './settlement-topics';

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
          consumes: [topics.hisInpatient, topics.ownCommands, topics.insuranceInpatient],
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
          inject: [EventStore, PlatformClient, DataSource, SagaIndex],
          useFactory: (
            store: EventStore,
            platform: PlatformClient,
            dataSource: DataSource,
            index: SagaIndex,
          ) => new SettlementWorkflow(store, platform, dataSource, topics, settings, index),
        },
        SettlementHandlers,
        SagaSweeper,
      ],
    };
  }
}
