import { randomUUID } from 'node:crypto';
import { createEnvelope } from '@yb/contracts';
import {
  CommandHandler,
  withAdvisoryLock,
  type EventStore,
  type HandleCommandResult,
  type OutboxMessage,
} from '@yb/event-store';
import { type PlatformClient } from '@yb/platform-client';
import { businessDate, outboxMessageOf, type RunAgain, type StreamCaches } from '@yb/service-runtime';
import { type DataSource } from 'typeorm';
import { CATALOGUE_KINDS, isFileCatalogue, type CatalogueInfno } from '../lookup/catalogue-kinds';
import { readRows } from '../lookup/lookup-rows';
import { type LookupTables } from '../lookup/lookup-tables';
import { catalogueVersionMessage } from '../outbound/catalogue-version';
import { fetchCatalogueFile } from '../platform/catalogue-files';
import { fetchPage, type PageAnswer } from '../platform/catalogue-pages';
import { type DownloadCommand } from './download.commands';
import { CatalogueDownload } from './download.decider';
import { type DownloadEvent } from './download.events';
import { type DownloadState } from './download.state';

const STREAM_PREFIX = 'catalogue-';
export const downloadStream = (infno: CatalogueInfno) => `${STREAM_PREFIX}${infno}`;

export interface DownloadSettings {
  readonly pageSize: number;
  readonly firstUpdtTime: string;
  readonly dictionaryTypes: readonly string[];
  /** 1901's admdvs: the hospital's area. */
  readonly admdvs: string;
  readonly timeZone: string;
  /** Where a completed 1901 download publishes each dictionary (insurance.catalogue.dictionaries). */
  readonly dictionaryTopic: string;
  /** Where every completed download publishes the version it leaves (insurance.catalogue.versions). */
  readonly versionTopic: string;
}

/** The 版本号 of a first file download: "everything" (spec part 2 §5.2). */
const FIRST_VERSION = '0';

/** How soon a page the platform did not answer is asked again. */
const UNANSWERED_RETRY_MS = 5_000;

/**
 * One catalogue's downloads: the decider's stream per catalogue, the platform asked page by page off the
 * consumer path (a PlatformWorker keyed by infno), each page upserted into its lookup table and then recorded
 * as PageLoaded. A crash between the two loads that page again on the next run (the upsert leaves each row
 * once); a crash anywhere else goes on from the page after the last recorded one. One worker per catalogue
 * across processes (an advisory lock).
 */
export class DownloadWorkflow {
  private readonly downloads: CommandHandler<DownloadCommand, DownloadEvent, DownloadState>;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly client: PlatformClient,
    private readonly tables: LookupTables,
    private readonly settings: DownloadSettings,
  ) {
    this.downloads = new CommandHandler(store, CatalogueDownload);
  }

  /** Its command handler's cache, under the name /metrics reports it by (StreamCacheMetrics). */
  streamCaches(): StreamCaches {
    return { 'catalogue-download': this.downloads };
  }

  execute(
    infno: CatalogueInfno,
    command: DownloadCommand,
    inbox?: { messageId: string; consumer: string },
    completed: readonly OutboxMessage[] = [],
  ): Promise<HandleCommandResult<DownloadEvent, DownloadState>> {
    return this.downloads.handle(downloadStream(infno), command, {
      ...(inbox && { inboxMessageId: inbox.messageId, inboxConsumer: inbox.consumer }),
      owesWork: (state) => state.run !== undefined,
      outbox: (events, state) =>
        events.some((e) => e.type === 'DownloadCompleted')
          ? [
              ...completed,
              catalogueVersionMessage(this.settings.versionTopic, infno, state, new Date().toISOString()),
            ]
          : [],
    });
  }

  /** Starts a download unless one is open (then that one goes on); the worker is to be scheduled after. */
  start(
    infno: CatalogueInfno,
    trigger: 'schedule' | 'operator' | 'start',
    requested_by?: string,
    inbox?: { messageId: string; consumer: string },
  ): Promise<HandleCommandResult<DownloadEvent, DownloadState>> {
    return this.execute(
      infno,
      {
        type: 'StartDownload',
        run_id: randomUUID(),
        trigger,
        ...(requested_by && { requested_by }),
        at: new Date().toISOString(),
      },
      inbox,
    );
  }

  async state(infno: CatalogueInfno): Promise<DownloadState> {
    return (await this.downloads.aggregateStream(downloadStream(infno))).state;
  }

  /** The catalogues whose download is open (the worker's durable list). */
  async owed(): Promise<string[]> {
    return (await this.store.pendingWork(STREAM_PREFIX)).map((stream) => stream.slice(STREAM_PREFIX.length));
  }

  /** Loads the open download's pages until it completes or is refused, then clears the mark. */
  async drive(infno: CatalogueInfno): Promise<void | RunAgain> {
    return withAdvisoryLock(this.dataSource, 'catalogue download', infno, async () => {
      const table = CATALOGUE_KINDS[infno];
      for (;;) {
        const { state, version } = await this.downloads.aggregateStream(downloadStream(infno));
        const run = state.run;
        if (!run) {
          await this.store.clearPendingWork(downloadStream(infno), version);
          return;
        }
        const page_num = run.next_page;
        // A file catalogue asks each time for what is newer than the newest version loaded so far (its pages are
        // versions); a paged query keeps the run's cursor and moves the page.
        const answer: PageAnswer = isFileCatalogue(infno)
          ? await fetchCatalogueFile(this.client, infno, run.newest || FIRST_VERSION)
          : await fetchPage(this.client, {
              infno,
              page_num,
              cursor: run.from_cursor || this.settings.firstUpdtTime,
              pageSize: this.settings.pageSize,
              dictionaryTypes: this.settings.dictionaryTypes,
              admdvs: this.settings.admdvs,
              today: businessDate(new Date(), this.settings.timeZone),
            });
        if (answer.status === 'unanswered') return { againInMs: UNANSWERED_RETRY_MS };
        if (answer.status === 'refused') {
          await this.execute(infno, {
            type: 'RecordRefusal',
            run_id: run.run_id,
            page_num,
            err_msg: answer.err_msg,
          });
          continue;
        }
        const read = readRows(table, answer.rows);
        const rows = await this.tables.load(table, read);
        // A file whose rows do not advance the version would be asked for again and again: the run ends there.
        const stalled = isFileCatalogue(infno) && rows > 0 && (read.newest ?? '') === run.newest;
        await this.execute(
          infno,
          {
            type: 'RecordPage',
            run_id: run.run_id,
            page_num,
            rows,
            rejected: read.rejected,
            problems: read.problems,
            ...(answer.pages !== undefined && { pages: answer.pages }),
            ...(stalled && { pages: page_num }),
            ...(read.newest !== undefined && { newest: read.newest }),
          },
          undefined,
          infno === '1901' ? await this.dictionaryMessages() : [],
        );
      }
    });
  }

  /**
   * What a completed 1901 download publishes, in the transaction that records it: each configured dictionary
   * whole as it now stands (one record per type on a compacted topic), for the services to extend their lists.
   */
  private async dictionaryMessages(): Promise<OutboxMessage[]> {
    const downloaded_at = new Date().toISOString();
    const dictionaries = await this.tables.dictionaries(this.settings.dictionaryTypes);
    return [...dictionaries].map(([type, codes]) =>
      outboxMessageOf(
        this.settings.dictionaryTopic,
        createEnvelope({
          type: 'DictionaryPublished',
          schemaVersion: 1,
          key: type,
          data: { type, admdvs: this.settings.admdvs, codes, downloaded_at },
        }),
      ),
    );
  }
}
