import { commandTopic, Topics } from '@yb/contracts';
import { topicName, type ServiceConfig } from '@yb/service-runtime';

/**
 * The topics the dashboard reads (results, platform calls, the HIS's admissions and item list, reconciliation and
 * the catalogue's mappings) and the ones it commands.
 */
export interface DashboardTopics {
  readonly insuranceInpatient: string;
  readonly platformCalls: string;
  readonly hisInpatient: string;
  /** Reconciliation's results (对账): groups checked, differences found and resolved. */
  readonly reconciliation: string;
  /** The month's clearing applications (清算申请). */
  readonly clearing: string;
  /** The HIS's item list: read for the catalogue pages, and written by the dashboard's CSV import. */
  readonly hisCatalogue: string;
  /** Each item's mapping as the platform holds it (3301/3302). */
  readonly catalogueMappings: string;
  /** Each catalogue's version as last downloaded (CatalogueVersionDownloaded). */
  readonly catalogueVersions: string;
  readonly settlementCommands: string;
  readonly qualityCommands: string;
  readonly reportingCommands: string;
  readonly reconciliationCommands: string;
  readonly catalogueCommands: string;
  /** A person's decision on held fee lines (DecideHeldFeeLines). */
  readonly feeDetailCommands: string;
}

export const DASHBOARD_TOPICS = Symbol('DASHBOARD_TOPICS');
export const DASHBOARD_CONFIG = Symbol('DASHBOARD_CONFIG');

export function dashboardTopics(config: Pick<ServiceConfig, 'topicPrefix'>): DashboardTopics {
  return {
    insuranceInpatient: topicName(config, Topics.insuranceInpatient),
    platformCalls: topicName(config, Topics.platformCalls),
    hisInpatient: topicName(config, Topics.hisInpatient),
    reconciliation: topicName(config, Topics.reconciliation),
    clearing: topicName(config, Topics.clearing),
    hisCatalogue: topicName(config, Topics.hisCatalogue),
    catalogueMappings: topicName(config, Topics.catalogueMappings),
    catalogueVersions: topicName(config, Topics.catalogueVersions),
    settlementCommands: topicName(config, commandTopic('settlement')),
    qualityCommands: topicName(config, commandTopic('quality')),
    reportingCommands: topicName(config, commandTopic('reporting')),
    reconciliationCommands: topicName(config, commandTopic('reconciliation')),
    catalogueCommands: topicName(config, commandTopic('catalogue')),
    feeDetailCommands: topicName(config, commandTopic('fee-detail')),
  };
}
