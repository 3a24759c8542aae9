import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EventStore, PollLoop } from '@yb/event-store';
import { PlatformClient } from '@yb/platform-client';
import { type Logger } from 'pino';
import { DeadLetterPayloads } from './dead-letter-payloads';
import { type ServiceConfig } from './service-config';
import { SERVICE_CONFIG, SERVICE_LOGGER } from './tokens';

const PRUNE_EVERY_MS = 60 * 60_000;
// Small deletes, each its own short transaction: pruning a backlog never holds locks for long.
const ROWS_PER_DELETE = 5_000;

/**
 * Keeps the inbox and the platform call journal from growing without bound: every hour, and once at
 * start, deletes inbox records older than config.retention.inboxDays and settled platform calls older
 * than config.retention.platformCallJournalDays, and kept dead-letter payloads closed (replayed or resolved by a
 * person) more than config.retention.deadLetterPayloadDays ago (DEFAULT_RETENTION says why those defaults).
 * Several instances may prune at once: a row is deleted once, whoever gets there.
 */
@Injectable()
export class InboxAndJournalRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PollLoop;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PlatformClient) private readonly platform: PlatformClient,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {
    this.loop = new PollLoop(
      async () => {
        await this.pruneOnce();
        return false;
      },
      {
        intervalMs: PRUNE_EVERY_MS,
        onError: (err) => this.logger.warn({ err }, 'retention: pruning failed; tried again next hour'),
      },
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Stops before the database pool closes (DatabaseModule closes it on application shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Deletes everything past its retention; returns how many rows of each. */
  async pruneOnce(): Promise<{ inbox: number; platformCallJournal: number; deadLetterPayloads: number }> {
    const { inboxDays, platformCallJournalDays, deadLetterPayloadDays } = this.config.retention;
    const inbox = await inBatches((limit) => this.store.pruneInbox(inboxDays, limit));
    const platformCallJournal = await inBatches((limit) =>
      this.platform.pruneJournal(platformCallJournalDays, limit),
    );
    const payloads = new DeadLetterPayloads(this.store);
    const deadLetterPayloads = await inBatches((limit) => payloads.prune(deadLetterPayloadDays, limit));
    // After a key rotation: the open payloads, which retention does not delete, move to the new key.
    const resealed = await inBatches((limit) => payloads.reseal(limit));
    if (resealed > 0)
      this.logger.info({ resealed }, 'retention: kept dead-letter payloads sealed under the new key');
    const pruned = { inbox, platformCallJournal, deadLetterPayloads };
    if (inbox + platformCallJournal + deadLetterPayloads > 0) {
      this.logger.info(pruned, 'retention: rows past their retention deleted');
    }
    return pruned;
  }
}

async function inBatches(batch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (let deleted = ROWS_PER_DELETE; deleted === ROWS_PER_DELETE; total += deleted) {
    deleted = await batch(ROWS_PER_DELETE);
  }
  return total;
}
