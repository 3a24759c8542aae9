import { commandTopic, Topics } from '@yb/contracts';
import { topicName, type ServiceConfig } from '@yb/service-runtime';

/** The topics the dashboard reads (results, platform calls, the HIS's admissions) and the ones it commands. */
export interface DashboardTopics {
  readonly insuranceInpatient: string;
  readonly platformCalls: string;
  readonly hisInpatient: string;
  readonly settlementCommands: string;
  readonly qualityCommands: string;
  readonly reportingCommands: string;
}

export const DASHBOARD_TOPICS = Symbol('DASHBOARD_TOPICS');
export const DASHBOARD_CONFIG = Symbol('DASHBOARD_CONFIG');

export function dashboardTopics(config: Pick<ServiceConfig, 'topicPrefix'>): DashboardTopics {
  return {
    insuranceInpatient: topicName(config, Topics.insuranceInpatient),
    platformCalls: topicName(config, Topics.platformCalls),
    hisInpatient: topicName(config, Topics.hisInpatient),
    settlementCommands: topicName(config, commandTopic('settlement')),
    qualityCommands: topicName(config, commandTopic('quality')),
    reportingCommands: topicName(config, commandTopic('reporting')),
  };
}
