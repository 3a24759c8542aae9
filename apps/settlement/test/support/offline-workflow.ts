import { type EventStore } from '@yb/event-store';
import { parsePlatformClientConfig, PlatformClient } from '@yb/platform-client';
import { type DataSource } from 'typeorm';
import { SagaIndex } from '../../src/saga/saga-index';
import { SettlementWorkflow } from '../../src/saga/settlement-workflow';
import { settlementConfigFromEnv } from '../../src/settlement-config';
import { settlementTopics } from '../../src/settlement-topics';

/**
 * A settlement workflow on the schema of `store` whose platform is never reached (127.0.0.1:9): for what makes no
 * platform call (registrations, requests held for them, reads, a start of the sweeper).
 */
export function offlineSettlementWorkflow(
  dataSource: DataSource,
  store: EventStore,
  index = new SagaIndex(),
): SettlementWorkflow {
  const platform = new PlatformClient({
    dataSource,
    config: parsePlatformClientConfig({
      baseUrl: 'http://127.0.0.1:9/',
      fixmedins_code: 'H42010200123',
      fixmedins_name: '武汉市某某医院',
      mdtrtarea_admvs: '420100',
      operator: { opter_type: '1', opter: 'TEST', opter_name: '测试', ip: '127.0.0.1' },
      msgidSchema: store.tables.schema,
    }),
  });
  return new SettlementWorkflow(
    store,
    platform,
    dataSource,
    settlementTopics({ topicPrefix: '' }),
    settlementConfigFromEnv({}),
    index,
  );
}
