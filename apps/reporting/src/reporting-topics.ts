import { commandTopic, Topics } from '@yb/contracts';
import { topicName, type ServiceConfig } from '@yb/service-runtime';

/** The topics reporting reads and writes, as named in this deployment (KAFKA_TOPIC_PREFIX). */
export interface ReportingTopics {
  readonly hisInpatient: string;
  readonly hisClinical: string;
  readonly insuranceInpatient: string;
  readonly commands: string;
}

export function reportingTopics(config: ServiceConfig): ReportingTopics {
  return {
    hisInpatient: topicName(config, Topics.hisInpatient),
    hisClinical: topicName(config, Topics.hisClinical),
    insuranceInpatient: topicName(config, Topics.insuranceInpatient),
    commands: topicName(config, commandTopic('reporting')),
  };
}
