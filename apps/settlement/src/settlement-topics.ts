import { commandTopic, Topics } from '@yb/contracts';
import { topicName, type ServiceConfig } from '@yb/service-runtime';

/** The topics settlement reads and writes, as named in this deployment (KAFKA_TOPIC_PREFIX). */
export interface SettlementTopics {
  readonly hisInpatient: string;
  readonly insuranceInpatient: string;
  /** Its own operator commands (RetrySettlement, CancelSettlement). */
  readonly ownCommands: string;
  /** reconciliation's results: a settlement the billing office reversed in our books (SettlementReversedLocally). */
  readonly reconciliation: string;
  /** The commands the saga sends. */
  readonly commands: { readonly 'fee-detail': string; readonly quality: string; readonly admission: string };
}

export const SETTLEMENT_TOPICS = Symbol('SETTLEMENT_TOPICS');

export function settlementTopics(config: Pick<ServiceConfig, 'topicPrefix'>): SettlementTopics {
  return {
    hisInpatient: topicName(config, Topics.hisInpatient),
    insuranceInpatient: topicName(config, Topics.insuranceInpatient),
    ownCommands: topicName(config, commandTopic('settlement')),
    reconciliation: topicName(config, Topics.reconciliation),
    commands: {
      'fee-detail': topicName(config, commandTopic('fee-detail')),
      quality: topicName(config, commandTopic('quality')),
      admission: topicName(config, commandTopic('admission')),
    },
  };
}
