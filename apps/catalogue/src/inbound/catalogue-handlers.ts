import { type KafkaConsumerHost } from '@yb/messaging';
import { type DownloadWorkflow } from '../download/download-workflow';
import { type ItemMappingWorkflow } from '../mapping/item-mapping-workflow';

/** The inbox's name for this service's handlers. */
export const CATALOGUE_CONSUMER = 'catalogue';

/** Where a handler hands platform work: a worker, by key. */
interface WorkQueue {
  schedule(key: string): void;
}

/**
 * The catalogue's messages, none of which waits for the platform: a person's DownloadCatalogue starts a download
 * (or the open one goes on); the HIS's items are recorded (an unchanged item is a no-op, so a redelivery is
 * too); a person's mapping or withdrawal is decided with the message in the inbox. Platform work goes to its
 * worker. A mapping the decider refuses is thrown: the consumer dead-letters it with the reason.
 */
export function registerCatalogueHandlers(
  host: KafkaConsumerHost,
  downloads: DownloadWorkflow,
  items: ItemMappingWorkflow,
  workers: { downloads: WorkQueue; mappings: WorkQueue },
): void {
  const inbox = (messageId: string) => ({ messageId, consumer: CATALOGUE_CONSUMER });
  host.handle('DownloadCatalogue', async ({ envelope }) => {
    const { infno, requested_by } = envelope.data;
    await downloads.start(infno, 'operator', requested_by.username, inbox(envelope.id));
    workers.downloads.schedule(infno);
  });
  host.handle('HospitalItemsPublished', async ({ envelope }) => {
    for (const item of envelope.data.items) await items.recordItem(item);
  });
  host.handle('ConfirmItemMapping', async ({ envelope }) => {
    const { requested_by, ...request } = envelope.data;
    await items.confirm({ ...request, by: requested_by.username }, inbox(envelope.id));
    workers.mappings.schedule(request.fixmedins_hilist_id);
  });
  host.handle('WithdrawItemMapping', async ({ envelope }) => {
    const { fixmedins_hilist_id, requested_by } = envelope.data;
    await items.withdraw(fixmedins_hilist_id, requested_by.username, inbox(envelope.id));
    workers.mappings.schedule(fixmedins_hilist_id);
  });
}
