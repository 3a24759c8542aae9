import { Module, type DynamicModule } from '@nestjs/common';
import { type Telemetry } from '@yb/observability';
import { ServiceRuntimeModule, type ServiceConfig } from '@yb/service-runtime';
import { SettlementHandlers } from './messages/settlement-handlers';
import { SagaIndex } from './saga/saga-index';
import { SagaSweeper } from './saga/saga-sweeper';
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
        SagaIndex,
        SettlementWorkflow,
        SettlementHandlers,
        SagaSweeper,
      ],
    };
  }
}
