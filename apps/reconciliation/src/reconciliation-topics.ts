import { commandTopic, Topics } from '@yb/contracts';
import { topicName, type ServiceConfig } from '@yb/service-runtime';

/** The topics reconciliation reads and writes, as named in this deployment (KAFKA_TOPIC_PREFIX). */
export interface ReconciliationTopics {
  /** Settlement results and registrations in. */
  readonly insuranceInpatient: string;
  /** ReconcileDay (the dashboard). */
  readonly commands: string;
  /** Its results out. */
  readonly results: string;
  /** The month's clearing applications out. */
  readonly clearing: string;
}

export function reconciliationTopics(config: Pick<ServiceConfig, 'topicPrefix'>): ReconciliationTopics {
  return {
    insuranceInpatient: topicName(config, Topics.insuranceInpatient),
    commands: topicName(config, commandTopic('reconciliation')),
    results: topicName(config, Topics.reconciliation),
    clearing: topicName(config, Topics.clearing),
  };
}
