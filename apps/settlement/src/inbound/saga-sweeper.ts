import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EventStore } from '@yb/event-store';
import { SERVICE_LOGGER } from '@yb/service-runtime';
import { type Logger } from 'pino';
import { SETTLEMENT_CONFIG, type SettlementConfig } from '../settlement-config';
import { SagaIndex } from '../saga/saga-index';
import { SettlementWorkflow, STREAM_PREFIX } from '../saga/settlement-workflow';

const STALLED_AFTER_MS = 60_000;
const CHECKPOINT = 'settlement-saga-index';

/** The checkpoint's state: the visits whose saga was open as of its position. */
interface IndexCheckpointState {
  readonly open_visits: string[];
}

/**
 * At start, rebuilds the index of open sagas and resumes those that owe a platform call or a queued request's
 * turn (a crash interrupted them); then, periodically, times out steps whose deadline passed, so that no saga
 * waits forever for an answer that will not come. Every replica sweeps: each sweep first reads the sagas whose
 * streams changed since the last (other replicas' included, so a saga whose replica went away is still timed
 * out), and a timeout or a resume is decided on the saga's events under its lock, so one done by another
 * replica is a no-op here.
 *
 * The index's checkpoint (the `checkpoints` row CHECKPOINT) keeps, with the log position read up to, the visits
 * open then: a start reads those and the sagas changed since, not every saga the hospital ever settled. Any
 * replica's pair is a true one (a visit open as of the position is in its index, one closed after it changed
 * after it), so replicas overwrite each other's. Without a row (the first start) every saga is read.
 */
@Injectable()
export class SagaSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private startedAt = Date.now();
  /**
   * The event log's position up to which every saga stream change is in the index: only past events a minute
   * old, as a transaction that commits late can write below a position already read.
   */
  private readUpTo = '0';
  /** The position the checkpoint row holds as this process last read or wrote it. */
  private checkpointed = '0';

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(SettlementWorkflow) private readonly workflow: SettlementWorkflow,
    @Inject(SagaIndex) private readonly index: SagaIndex,
    @Inject(SETTLEMENT_CONFIG) private readonly config: SettlementConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.startedAt = Date.now();
    this.running = this.resumeAll().then(
      () => undefined,
      (err: unknown) =>
        this.logger.error({ err }, 'settlement: resuming sagas failed; the sweeper tries again'),
    );
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /**
   * The open sagas rebuilt from their events (see the checkpoint); those owing a platform call, or with a request
   * queued on a free visit, are driven on.
   */
  async resumeAll(): Promise<number> {
    let resumed = 0;
    for (const ipt_no of await this.rebuildIndex()) {
      if (this.index.owesDriving(ipt_no)) {
        await this.workflow.resume(ipt_no);
        resumed += 1;
      }
    }
    if (resumed > 0) this.logger.info({ resumed }, 'settlement: sagas in flight resumed from their events');
    return resumed;
  }

  /**
   * Reads into the index the visits open at the checkpoint and the sagas changed since (every saga without one);
   * returns the visits read.
   */
  private async rebuildIndex(): Promise<string[]> {
    const [row]: { position: string; state: IndexCheckpointState | null }[] =
      await this.store.dataSource.query(
        `SELECT global_position::text AS position, state FROM ${this.store.tables.checkpoints} WHERE name = $1`,
        [CHECKPOINT],
      );
    const open = row?.state?.open_visits ?? [];
    for (const ipt_no of open) this.index.update(ipt_no, await this.workflow.load(ipt_no));
    // Only once every open visit is in: a start that fails before has the next sweep read every saga.
    if (row?.state) this.readUpTo = this.checkpointed = row.position;
    const changed = await this.refreshIndex();
    this.logger.info(
      { checkpoint: row?.state ? row.position : null, open: open.length, changed: changed.length },
      'settlement: saga index rebuilt from the visits open at the checkpoint and the sagas changed since',
    );
    return [...new Set([...open, ...changed])];
  }

  /** Reads into the index the sagas whose streams changed since the last read; returns their visits. */
  private async refreshIndex(): Promise<string[]> {
    const rows: { stream_id: string; version: number; settled: string | null }[] =
      await this.store.dataSource.query(
        `SELECT stream_id, max(stream_version)::int AS version,
                (max(global_position) FILTER (WHERE recorded_at < now() - interval '1 minute'))::text AS settled
         FROM ${this.store.tables.events}
         WHERE stream_id LIKE $1 AND global_position > $2 GROUP BY stream_id`,
        [`${STREAM_PREFIX}%`, this.readUpTo],
      );
    const visits: string[] = [];
    let readUpTo = BigInt(this.readUpTo);
    for (const { stream_id, version, settled } of rows) {
      const ipt_no = stream_id.slice(STREAM_PREFIX.length);
      // A saga this process holds at that version is read no more: each sweep looks again at every saga changed
      // in the last minute, most of them unchanged since the last sweep.
      this.index.update(ipt_no, await this.workflow.load(ipt_no, version));
      visits.push(ipt_no);
      if (settled !== null && BigInt(settled) > readUpTo) readUpTo = BigInt(settled);
    }
    this.readUpTo = readUpTo.toString();
    await this.saveCheckpoint();
    return visits;
  }

  /**
   * The position read up to and the visits open in the index now, taken together (no await between them). A
   * failed write only makes the next start read more: logged, and tried again by the next sweep.
   */
  private async saveCheckpoint(): Promise<void> {
    if (this.readUpTo === this.checkpointed) return;
    const position = this.readUpTo;
    const state: IndexCheckpointState = { open_visits: this.index.visits() };
    try {
      await this.store.dataSource.query(
        `INSERT INTO ${this.store.tables.checkpoints} (name, transaction_id, global_position, state)
         VALUES ($1, '0', $2, $3)
         ON CONFLICT (name) DO UPDATE SET global_position = $2, state = $3, updated_at = now()`,
        [CHECKPOINT, position, JSON.stringify(state)],
      );
      this.checkpointed = position;
    } catch (err: unknown) {
      this.logger.warn(
        { err },
        "settlement: the saga index's checkpoint was not written; the next sweep tries again",
      );
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.running
        .then(() => this.sweep())
        .catch((err: unknown) => this.logger.error({ err }, 'settlement: sweep failed; will try again'))
        .finally(() => this.schedule());
    }, this.config.sweepIntervalMs);
  }

  private async sweep(): Promise<void> {
    await this.refreshIndex();
    // An answer sent while this process was down waits in Kafka until the consumer group has rebalanced (up to
    // its session timeout): a deadline is enforced only once the process has been up for a whole step timeout.
    const listening = Date.now() - this.startedAt >= this.config.stepTimeoutMs;
    for (const ipt_no of listening ? this.index.due(new Date().toISOString()) : []) {
      if (this.stopped) return;
      await this.workflow.timeOut(ipt_no);
    }
    // A saga whose driver failed (its message dead-lettered after retries) is driven on here.
    for (const ipt_no of this.index.stalled(STALLED_AFTER_MS)) {
      if (this.stopped) return;
      await this.workflow.resume(ipt_no);
    }
  }
}
