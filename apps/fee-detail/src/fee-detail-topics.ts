import { commandTopic, Topics } from '@yb/contracts';
import { topicName, type ServiceConfig } from '@yb/service-runtime';

/** The topics fee-detail reads and writes, as named in this deployment (KAFKA_TOPIC_PREFIX). */
export interface FeeDetailTopics {
  /** The HIS's admissions, fee lines and voids. */
  readonly hisInpatient: string;
  /** Admission results in; fee-detail's own results out. */
  readonly insuranceInpatient: string;
  /** The settlement saga's ReconcileFeeTotals. */
  readonly commands: string;
  /** catalogue's item mappings (compacted), held in memory to check each fee line. */
  readonly catalogueMappings: string;
}

export function feeDetailTopics(config: Pick<ServiceConfig, 'topicPrefix'>): FeeDetailTopics {
  return {
    hisInpatient: topicName(config, Topics.hisInpatient),
    insuranceInpatient: topicName(config, Topics.insuranceInpatient),
    commands: topicName(config, commandTopic('fee-detail')),
    catalogueMappings: topicName(config, Topics.catalogueMappings),
  };
}
