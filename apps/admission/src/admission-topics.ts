import { commandTopic, Topics } from '@yb/contracts';
import { topicName, type ServiceConfig } from '@yb/service-runtime';

/** The topics admission reads and writes, as named in this deployment (KAFKA_TOPIC_PREFIX). */
export interface AdmissionTopics {
  readonly hisInpatient: string;
  readonly commands: string;
  readonly insuranceInpatient: string;
}

export const ADMISSION_TOPICS = Symbol('ADMISSION_TOPICS');

export function admissionTopics(config: ServiceConfig): AdmissionTopics {
  return {
    hisInpatient: topicName(config, Topics.hisInpatient),
    commands: topicName(config, commandTopic('admission')),
    insuranceInpatient: topicName(config, Topics.insuranceInpatient),
  };
}
