import { commandTopic, Topics } from '@yb/contracts';
import { topicName, type ServiceConfig } from '@yb/service-runtime';

/** The topics quality reads and writes, as named in this deployment (KAFKA_TOPIC_PREFIX). */
export interface QualityTopics {
  /** The HIS's admissions, fee lines, voids and discharges. */
  readonly hisInpatient: string;
  /** The HIS's orders and medical record homepage. */
  readonly hisClinical: string;
  /** admission's and fee-detail's results in (registration, uploaded lines); quality's results out. */
  readonly insuranceInpatient: string;
  /** AuditSettlement (the settlement saga) and AcknowledgeAuditFinding (the billing office). */
  readonly commands: string;
}

export const QUALITY_TOPICS = Symbol('QUALITY_TOPICS');
export const QUALITY_CONFIG = Symbol('QUALITY_CONFIG');

export function qualityTopics(config: Pick<ServiceConfig, 'topicPrefix'>): QualityTopics {
  return {
    hisInpatient: topicName(config, Topics.hisInpatient),
    hisClinical: topicName(config, Topics.hisClinical),
    insuranceInpatient: topicName(config, Topics.insuranceInpatient),
    commands: topicName(config, commandTopic('quality')),
  };
}
