import { type KafkaConsumerHost } from '@yb/messaging';
import { type DownloadWorkflow } from '../download/download-workflow';

/** The inbox's name for this service's handlers. */
export const CATALOGUE_CONSUMER = 'catalogue';

/**
 * A person's DownloadCatalogue: the download starts (or the open one goes on), recorded with the message in
 * the inbox (a redelivery is a no-op), and the catalogue is handed to the download worker: the consumer never
 * waits for the platform.
 */
export function registerCatalogueHandlers(
  host: KafkaConsumerHost,
  downloads: DownloadWorkflow,
  worker: { schedule(infno: string): void },
): void {
  host.handle('DownloadCatalogue', async ({ envelope }) => {
    const { infno, requested_by } = envelope.data;
    await downloads.start(infno, 'operator', requested_by.username, {
      messageId: envelope.id,
      consumer: CATALOGUE_CONSUMER,
    });
    worker.schedule(infno);
  });
}
