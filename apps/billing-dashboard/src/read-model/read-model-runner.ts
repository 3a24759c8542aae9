import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EventStore, ProjectionRunner } from '@yb/event-store';
import { SERVICE_LOGGER } from '@yb/service-runtime';
import { type Logger } from 'pino';
import { Subject, type Observable } from 'rxjs';
import { DashboardProjection, type ReadModelChange } from './dashboard-projection';
import { DASHBOARD_TABLES, type DashboardTables } from './dashboard-tables';

/** A ProjectionRunner that tells what a batch changed once the batch committed (for the live view). */
class NotifyingProjectionRunner extends ProjectionRunner {
  constructor(
    store: EventStore,
    private readonly dashboard: DashboardProjection,
    private readonly committed: (change: ReadModelChange) => void,
    onError: (error: unknown) => void,
  ) {
    super(store, dashboard, { batchSize: 200, pollIntervalMs: 100, onError });
  }

  override async processNextBatch(): Promise<number> {
    try {
      const read = await super.processNextBatch();
      const change = this.dashboard.takeChanges();
      if (change.models.size > 0) this.committed(change);
      return read;
    } catch (err) {
      this.dashboard.discardChanges();
      throw err;
    }
  }
}

/**
 * Keeps the dashboard's read models up to date (checkpointed in the schema's `checkpoints` table), rebuilds
 * them from the recorded messages on request, and publishes each committed change to the live view.
 */
@Injectable()
export class ReadModelRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runner: NotifyingProjectionRunner;
  private readonly changes = new Subject<ReadModelChange>();
  private readonly stopped = new Subject<void>();
  private rebuilding: Promise<number> | null = null;

  constructor(
    @Inject(EventStore) store: EventStore,
    @Inject(DASHBOARD_TABLES) tables: DashboardTables,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    this.runner = new NotifyingProjectionRunner(
      store,
      new DashboardProjection(tables),
      (change) => this.changes.next(change),
      (err) => logger.error({ err }, 'read models: batch rolled back; will retry'),
    );
  }

  /** Committed read-model changes. */
  get changed(): Observable<ReadModelChange> {
    return this.changes.asObservable();
  }

  /** Emits once when the application shuts down (live streams end then). */
  get shuttingDown(): Observable<void> {
    return this.stopped.asObservable();
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped.next();
    this.stopped.complete();
    await this.rebuilding?.catch(() => undefined);
    await this.runner.stop();
    this.changes.complete();
  }

  /**
   * Empties every read model and replays the recorded messages from the first; returns how many were read. The
   * polling pauses meanwhile, so that the replay is this call's (a second request joins the running one).
   */
  rebuild(): Promise<number> {
    this.rebuilding ??= (async () => {
      await this.runner.stop();
      try {
        return await this.runner.rebuild();
      } finally {
        this.runner.start();
        this.rebuilding = null;
      }
    })();
    return this.rebuilding;
  }

  async checkpoint(): Promise<string> {
    return (await this.runner.checkpoint()).globalPosition.toString();
  }
}
