import { commandTopic, Topics } from '@yb/contracts';
import { topicName, type ServiceConfig } from '@yb/service-runtime';

/** The topics catalogue reads, as named in this deployment (KAFKA_TOPIC_PREFIX). */
export interface CatalogueTopics {
  /** DownloadCatalogue, ConfirmItemMapping, WithdrawItemMapping (the billing office). */
  readonly commands: string;
  /** The HIS's item list (HospitalItemsPublished). */
  readonly hisCatalogue: string;
}

export function catalogueTopics(config: Pick<ServiceConfig, 'topicPrefix'>): CatalogueTopics {
  return {
    commands: topicName(config, commandTopic('catalogue')),
    hisCatalogue: topicName(config, Topics.hisCatalogue),
  };
}
