import { type EntityManager } from 'typeorm';
import { type EventStore } from './event-store';
import { EventStoreInputError } from './errors';
import { PollLoop } from './poll-loop';
import { type LogPosition, type RecordedEvent } from './recorded-event';

/** A read model fed by the event log; its tables live in the same database as the events. */
export interface Projection {
  /** Names its checkpoint; change it to rebuild under a new name. */
  readonly name: string;
  /** The event types it applies (default: all); the checkpoint moves past the others too. */
  readonly eventTypes?: readonly string[];
  /** Applies one event through `manager` (the transaction that also moves the checkpoint). */
  apply(event: RecordedEvent, manager: EntityManager): Promise<void>;
  /** Empties the read model, before a rebuild from the first event. */
  reset(manager: EntityManager): Promise<void>;
}

export interface ProjectionRunnerOptions {
  /** Events per transaction (default 500). */
  batchSize?: number;
  /** Pause when caught up or after a failure (ms, default 250). */
  pollIntervalMs?: number;
  /** Told when a batch fails (it is rolled back and retried from the same checkpoint). */
  onError?: (error: unknown, projection: string) => void;
}

interface CheckpointRow {
  transaction_id: string;
  global_position: string;
}

/**
 * Keeps a projection up to date: each batch reads the log after the checkpoint, applies the events
 * and moves the checkpoint in one transaction, so the read model and its checkpoint never disagree.
 * The checkpoint row is locked for the batch, so runners of the same projection take turns.
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly loop: PollLoop;
  private readonly handles: (type: string) => boolean;

  constructor(
    private readonly store: EventStore,
    private readonly projection: Projection,
    options: ProjectionRunnerOptions = {},
  ) {
    if (!projection.name) throw new EventStoreInputError('projection.name', 'must be a non-empty string');
    this.batchSize = options.batchSize ?? 500;
    const types = projection.eventTypes ? new Set(projection.eventTypes) : null;
    this.handles = (type) => types === null || types.has(type);
    const onError = options.onError ?? (() => undefined);
    this.loop = new PollLoop(async () => (await this.processNextBatch()) === this.batchSize, {
      intervalMs: options.pollIntervalMs ?? 250,
      onError: (error) => onError(error, projection.name),
    });
  }

  /** Applies the next batch of events; returns how many were read (0 when caught up). */
  async processNextBatch(): Promise<number> {
    return this.store.dataSource.transaction('READ COMMITTED', async (manager) => {
      const from = await this.lockCheckpoint(manager);
      const events = await this.store.readAll({ after: from, limit: this.batchSize, manager });
      for (const event of events) {
        if (this.handles(event.type)) await this.projection.apply(event, manager);
      }
      if (events.length > 0) await this.saveCheckpoint(manager, events[events.length - 1].position);
      return events.length;
    });
  }

  /** Processes batches until none is left; returns how many events were read. */
  async catchUp(): Promise<number> {
    let total = 0;
    let read: number;
    do {
      read = await this.processNextBatch();
      total += read;
    } while (read === this.batchSize);
    return total;
  }

  /** Empties the read model and sets the checkpoint back to the start (in one transaction), then catches up. */
  async rebuild(): Promise<number> {
    await this.store.dataSource.transaction('READ COMMITTED', async (manager) => {
      await this.lockCheckpoint(manager);
      await this.projection.reset(manager);
      await this.saveCheckpoint(manager, { transactionId: 0n, globalPosition: 0n });
    });
    return this.catchUp();
  }

  async checkpoint(): Promise<LogPosition> {
    return this.store.dataSource.transaction((manager) => this.lockCheckpoint(manager));
  }

  /** Polls until stopped. */
  start(): void {
    this.loop.start();
  }

  /** Lets the batch in progress commit, then stops. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async lockCheckpoint(manager: EntityManager): Promise<LogPosition> {
    const table = this.store.tables.checkpoints;
    await manager.query(
      `INSERT INTO ${table} (name, transaction_id, global_position) VALUES ($1, '0', 0) ON CONFLICT DO NOTHING`,
      [this.projection.name],
    );
    const [row]: CheckpointRow[] = await manager.query(
      `SELECT transaction_id::text AS transaction_id, global_position FROM ${table} WHERE name = $1 FOR UPDATE`,
      [this.projection.name],
    );
    return { transactionId: BigInt(row.transaction_id), globalPosition: BigInt(row.global_position) };
  }

  private async saveCheckpoint(manager: EntityManager, position: LogPosition): Promise<void> {
    await manager.query(
      `UPDATE ${this.store.tables.checkpoints}
       SET transaction_id = $2::text::xid8, global_position = $3, updated_at = now() WHERE name = $1`,
      [this.projection.name, position.transactionId.toString(), position.globalPosition.toString()],
    );
  }
}
