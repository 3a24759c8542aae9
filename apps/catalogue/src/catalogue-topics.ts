import { commandTopic } from '@yb/contracts';
import { topicName, type ServiceConfig } from '@yb/service-runtime';

/** The topics catalogue reads, as named in this deployment (KAFKA_TOPIC_PREFIX). */
export interface CatalogueTopics {
  /** DownloadCatalogue (the billing office). */
  readonly commands: string;
}

export function catalogueTopics(config: Pick<ServiceConfig, 'topicPrefix'>): CatalogueTopics {
  return { commands: topicName(config, commandTopic('catalogue')) };
}
