import { createEnvelope } from '@yb/contracts';
import { type OutboxMessage } from '@yb/event-store';
import { outboxMessageOf } from '@yb/service-runtime';
import { type CatalogueInfno } from '../lookup/catalogue-kinds';
import { type DownloadState } from '../download/download.state';

/**
 * The version a completed download leaves the hospital holding (CatalogueVersionDownloaded, keyed by infno on the
 * compacted insurance.catalogue.versions): built from the state the completion leaves.
 */
export function catalogueVersionMessage(
  topic: string,
  infno: CatalogueInfno,
  state: DownloadState,
  downloaded_at: string,
): OutboxMessage {
  const last = state.last!;
  return outboxMessageOf(
    topic,
    createEnvelope({
      type: 'CatalogueVersionDownloaded',
      schemaVersion: 1,
      key: infno,
      data: {
        infno,
        version: state.cursor,
        rows: last.rows,
        trigger: last.trigger,
        ...(last.requested_by && { requested_by: last.requested_by }),
        started_at: last.started_at,
        downloaded_at,
      },
    }),
  );
}
