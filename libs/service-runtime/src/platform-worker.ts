import { Injectable } from '@nestjs/common';
import { type Logger } from 'pino';
import { ServiceConfigError, type ServiceConfig } from './service-config';
import { type PendingWorkClaim, type PendingWorkLease, type PendingWorkSweep } from '@yb/event-store';
import { renewalIntervalMs, type KeyLeases } from './work-leases';

export interface PlatformWorkerOptions {
  /**
   * Keys (visits) worked on at the same time. A run that borrows a connection per statement only (never across
   * the platform call) waits on the platform, not on the pool, so this is not tied to the pool's size; a run
   * that holds a connection while it works (a lock) is (assertWorkerFitsPool).
   */
  concurrency: number;
  /** Waits before a failed key is tried again: doubled per failure from `min` up to `max` (default 1 s to 60 s). */
  retryDelayMs?: { min: number; max: number };
  /**
   * How often the durable marks are read for work this process was not told of (another replica's, a crash's;
   * default 30 s).
   */
  sweepIntervalMs?: number;
  /**
   * Leases shared with the service's other replicas (PendingWorkLeases): a key is claimed before each run (or
   * its lease taken by the append that handed it over: leaseToTake) and released after, and a key another replica holds is looked at again when its lease runs out. Without them
   * the worker assumes it is the only one.
   */
  leases?: KeyLeases;
}

/** How long after another replica's lease runs out the key is looked at again (its holder releases sooner). */
const LEASE_RECHECK_SLACK_MS = 100;

const DEFAULT_RETRY_DELAY_MS = { min: 1_000, max: 60_000 };
const DEFAULT_SWEEP_INTERVAL_MS = 30_000;

/**
 * Throws, naming `variable`, unless `concurrency` keys fit the service's pool: for a worker whose runs hold a
 * connection while they work (a lock, a transaction) and borrow another, with the consumer needing its own.
 */
export function assertWorkerFitsPool(
  config: Pick<ServiceConfig, 'databasePoolSize'>,
  variable: string,
  concurrency: number,
): void {
  const most = config.databasePoolSize - 2;
  if (concurrency > most) {
    throw new ServiceConfigError(
      variable,
      `must be at most DATABASE_POOL_SIZE − 2 (${most}): each one being worked on holds a connection and borrows another`,
    );
  }
}

/** What a run says when the key's work must wait for something outside it (not a failure). */
export interface RunAgain {
  readonly againInMs: number;
}

/**
 * What a run says when it found the key owing nothing as of a version of its stream: the worker clears the mark
 * (unless a later append made it again), with the lease's release when there are leases (one round trip) —
 * unless the run's own last append cleared it already (`markCleared`: CommandHandler's clearsOwedWork, the
 * lease gone with the mark), when nothing is left to do.
 */
export interface OwedNothing {
  readonly owedNothingAsOf: number;
  readonly markCleared?: boolean;
}

/**
 * What the lease's claim saw of the key's stream (with leases): a state cached at `streamVersion` or later is
 * current, so the run starts from it without reading the stream.
 */
export interface ClaimedKey {
  readonly streamVersion: number;
}

/** The lease an append took with a key's mark (leaseToTake), as the appender hands the key to schedule. */
export interface LeaseTakenWithMark extends ClaimedKey {
  /**
   * Date.now() read before the append: the lease runs from the append's transaction, so its age is counted from
   * before it (counted from the append's return, a slow append would leave a run trusting a lease run out).
   */
  readonly askedAt: number;
}

export interface PlatformWork {
  /**
   * Does what the key owes the platform and clears its mark when nothing is owed any more, itself or by
   * answering `{ owedNothingAsOf }`; a throw means "try again later" (the mark stays, so the work survives a
   * crash too), as does `{ againInMs }` when the work waits for something else (no failure counted). With
   * leases, `claimed` is what the claim saw of the key's stream.
   */
  run(key: string, claimed?: ClaimedKey): Promise<void | RunAgain | OwedNothing>;
  /** Clears the key's mark made at `version` or before: how a run's OwedNothing is carried out without leases. */
  clearOwed?(key: string, version: number): Promise<void>;
  /**
   * The keys whose work is marked as owed in the database (the durable list the sweep reads); with `sweep`
   * (EventStore.pendingWork's), only those no replica holds and marked `idleForMs` ago or more.
   */
  owed(sweep?: PendingWorkSweep): Promise<string[]>;
}

/** Thrown by PlatformWorker.exclusively when another replica holds the key. */
export class KeyLeasedElsewhere extends Error {
  override readonly name = 'KeyLeasedElsewhere';
}

/** A run's outcome: done, asked to run again later, or skipped because another replica holds the key. */
type RunOutcome = void | RunAgain | OwedNothing | { readonly heldElsewhereForMs: number };

/** What a run's value says its key owes nothing as of, if it says so. */
function owedNothing(value: unknown): OwedNothing | undefined {
  return typeof value === 'object' && value !== null && 'owedNothingAsOf' in value
    ? (value as OwedNothing)
    : undefined;
}

/** What the worker holds now, for metrics and health. */
export interface PlatformWorkerStatus {
  readonly running: number;
  readonly waiting: number;
  /** Keys whose last attempt failed and that wait for their retry. */
  readonly failing: number;
}

/**
 * Platform work taken off the consumer path: a handler records what the platform is owed (an event, and a
 * durable mark in the same transaction) and schedules the key here; the worker runs keys with bounded
 * concurrency, never one key twice at a time (a key scheduled while it runs is run again after), so that
 * consumption never waits for the platform and a visit's calls keep their order. A key may be scheduled
 * with a delay, so that work arriving for it in the meantime is done in one go (e.g. 2301 batches filled
 * up to 50 lines). Failures are retried with backoff, never dropped; the sweep finds marks nobody
 * scheduled (work of a process that crashed, or of another replica), at start and then periodically.
 */
export class PlatformWorker {
  /** When each waiting key is due (epoch ms). */
  private readonly due = new Map<string, number>();
  private readonly running = new Map<string, Promise<void>>();
  /** Keys scheduled while they ran, with the delay asked. */
  private readonly again = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  /** Callers waiting for a key to have nothing due or running (settled()). */
  private readonly waiters = new Map<string, (() => void)[]>();
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = Infinity;
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = true;
  /** The release of the leases this replica's earlier run left, done once before the first claim. */
  private earlierLeases: Promise<void> | undefined;
  private earlierLeasesReleased = false;
  /**
   * Leases appends took with their marks for keys handed here (schedule's `leased`), and when: the key's next run
   * starts under one instead of claiming the key.
   */
  private readonly leasesTaken = new Map<string, LeaseTakenWithMark>();

  constructor(
    readonly name: string,
    private readonly work: PlatformWork,
    private readonly options: PlatformWorkerOptions,
    private readonly logger: Pick<Logger, 'warn' | 'error' | 'info'>,
  ) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new Error(`${name}: concurrency must be a whole number ≥ 1, got ${options.concurrency}`);
  }

  /** Starts taking work, beginning with every mark already in the database. */
  async start(): Promise<void> {
    this.stopped = false;
    const intervalMs = this.options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
    // At start every mark nobody holds; then, with leases, only marks left alone for a whole interval, so that a
    // replica's sweep does not take the visits whose messages another replica is handling right now.
    await this.sweep(this.options.leases && { idleForMs: 0 });
    this.sweepTimer = setInterval(
      () => void this.sweep(this.options.leases && { idleForMs: intervalMs }),
      intervalMs,
    );
    this.sweepTimer.unref();
  }

  /**
   * Stops starting work and waits for the keys being worked on; what waits stays marked for the next start, and
   * the leases appends took for keys not run yet are given back (another replica need not wait them out).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = Infinity;
    await Promise.allSettled([...this.running.values()]);
    this.due.clear();
    this.again.clear();
    const { leases } = this.options;
    const notRun = [...this.leasesTaken.keys()];
    this.leasesTaken.clear();
    if (leases) await Promise.all(notRun.map((key) => this.release(leases, key, undefined)));
    for (const key of [...this.waiters.keys()]) this.wake(key);
  }

  /**
   * The lease an append that marks a key's work and hands the key here right after may take with the mark
   * (HandleAllOptions.takeLease, on the stream the leases are on): the key's run then starts without a claim.
   * None without leases, nor before this replica's earlier run's leases are released (that would release it).
   */
  leaseToTake(): PendingWorkLease | undefined {
    const { leases } = this.options;
    return leases && this.earlierLeasesReleased && !this.stopped
      ? { holder: leases.holder, leaseMs: leases.leaseMs }
      : undefined;
  }

  /**
   * Asks for the key's work to be done in `delayMs` at the latest (sooner if it was due sooner). `leased`: the
   * append that made the key's mark took its lease too (leaseToTake), at that stream version.
   */
  schedule(key: string, delayMs = 0, leased?: LeaseTakenWithMark): void {
    const { leases } = this.options;
    if (leased && leases) {
      if (this.stopped) void this.release(leases, key, undefined);
      else this.leasesTaken.set(key, leased);
    }
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.again.set(key, Math.min(this.again.get(key) ?? Infinity, delayMs));
      return;
    }
    const dueAt = Date.now() + delayMs;
    if (dueAt < (this.due.get(key) ?? Infinity)) this.due.set(key, dueAt);
    this.pump();
  }

  /**
   * Resolves once the key has nothing due or running (its work done, or failed and not yet due again: a
   * caller that must not overtake the work checks the state again). Resolves at once for an idle key, and
   * on stop().
   */
  settled(key: string): Promise<void> {
    if (this.stopped || (!this.running.has(key) && !this.due.has(key))) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(key) ?? [];
      list.push(resolve);
      this.waiters.set(key, list);
    });
  }

  /**
   * Runs `work` holding the key's lease, as the worker's own runs do (for work started outside the schedule,
   * e.g. the start-up recovery of a visit's calls); throws KeyLeasedElsewhere when another replica holds it.
   */
  async exclusively<T>(key: string, work: (claimed?: ClaimedKey) => Promise<T>): Promise<T> {
    const outcome = await this.withLease(key, work);
    if ('heldElsewhereForMs' in outcome) {
      throw new KeyLeasedElsewhere(
        `${this.name}: ${key} is worked on by another replica for ${outcome.heldElsewhereForMs} ms more`,
      );
    }
    return outcome.value;
  }

  /**
   * Whether a key scheduled now would start at once: a run slot free and nothing waiting for one. Work that waits
   * for more of its kind (a 2301 for more lines) waits only when it would wait for a slot anyway: an idle
   * worker sends at once, a busy one gathers.
   */
  hasRoom(): boolean {
    return !this.stopped && this.running.size < this.options.concurrency && this.due.size === 0;
  }

  status(): PlatformWorkerStatus {
    return { running: this.running.size, waiting: this.due.size, failing: this.failures.size };
  }

  /** Starts what is due while there is room, and sets the timer for the next key due. */
  private pump(): void {
    if (this.stopped) return;
    const now = Date.now();
    let next = Infinity;
    for (const [key, dueAt] of this.due) {
      if (this.running.size >= this.options.concurrency) break;
      if (dueAt <= now) {
        this.due.delete(key);
        this.startRun(key);
      } else next = Math.min(next, dueAt);
    }
    if (this.running.size >= this.options.concurrency) return; // a finishing run pumps again
    if (next < this.timerDueAt) {
      clearTimeout(this.timer);
      this.timerDueAt = next;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.timerDueAt = Infinity;
        this.pump();
      }, next - now);
    }
  }

  private startRun(key: string): void {
    let heldElsewhere = false;
    const run = this.leasedRun(key)
      .then(
        (outcome) => {
          if (outcome && 'heldElsewhereForMs' in outcome) {
            // Not a failure: the other replica does the work; looked at again when its lease runs out.
            heldElsewhere = true;
            this.scheduleAgain(key, outcome.heldElsewhereForMs + LEASE_RECHECK_SLACK_MS);
            return;
          }
          this.failures.delete(key);
          if (outcome && 'againInMs' in outcome) this.scheduleAgain(key, outcome.againInMs);
        },
        (err: unknown) => {
          const failures = (this.failures.get(key) ?? 0) + 1;
          this.failures.set(key, failures);
          const { min, max } = this.options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
          const delayMs = Math.min(max, min * 2 ** (failures - 1));
          this.logger.warn(
            { worker: this.name, key, failures, retryInMs: delayMs, error: (err as Error)?.message ?? err },
            'platform work failed; it stays owed and is tried again',
          );
          this.again.set(key, Math.max(this.again.get(key) ?? 0, delayMs));
        },
      )
      .finally(() => {
        this.running.delete(key);
        const delayMs = this.again.get(key);
        this.again.delete(key);
        if (delayMs !== undefined) this.schedule(key, delayMs);
        else this.pump();
        // A key another replica holds wakes its waiters too: they must not wait for that replica here.
        const idle = !this.due.has(key) || this.failures.has(key) || heldElsewhere;
        if (!this.running.has(key) && idle) this.wake(key);
      });
    this.running.set(key, run);
  }

  private scheduleAgain(key: string, delayMs: number): void {
    this.again.set(key, Math.min(this.again.get(key) ?? Infinity, delayMs));
  }

  private async leasedRun(key: string): Promise<RunOutcome> {
    const outcome = await this.withLease(key, (claimed) => this.work.run(key, claimed));
    return 'heldElsewhereForMs' in outcome ? outcome : outcome.value;
  }

  /**
   * Runs `work` under the key's lease (renewed while it runs, released after unless the run's last append cleared
   * the mark and the lease with it), or not at all if it is taken.
   */
  private async withLease<T>(
    key: string,
    work: (claimed?: ClaimedKey) => Promise<T>,
  ): Promise<{ value: T } | { heldElsewhereForMs: number }> {
    const { leases } = this.options;
    if (!leases) {
      const value = await work();
      const owed = owedNothing(value);
      if (owed && !owed.markCleared) await this.clearOwed(key, owed.owedNothingAsOf);
      return { value };
    }
    await this.releaseEarlierLeases(leases);
    const claim = await this.leaseOn(key, leases);
    if (!claim.claimed) return { heldElsewhereForMs: claim.freeInMs };
    let owed: OwedNothing | undefined;
    const renewal = setInterval(
      // A renewal answered after the run's last append cleared the mark finds no lease: not a lost one.
      () => void this.renew(leases, key, () => !owed?.markCleared),
      renewalIntervalMs(leases.leaseMs),
    );
    renewal.unref();
    try {
      const value = await work({ streamVersion: claim.streamVersion });
      owed = owedNothing(value);
      return { value };
    } finally {
      clearInterval(renewal);
      if (!owed?.markCleared) await this.release(leases, key, owed?.owedNothingAsOf);
    }
  }

  /**
   * The key's lease for a run: the one an append took for it, as it is while a renewal is not due yet, else
   * renewed (false when it ran out and another replica took it); failing that, a claim.
   */
  private async leaseOn(key: string, leases: KeyLeases): Promise<PendingWorkClaim> {
    const taken = this.leasesTaken.get(key);
    this.leasesTaken.delete(key);
    if (taken) {
      const fresh = Date.now() - taken.askedAt < renewalIntervalMs(leases.leaseMs);
      if (fresh || (await leases.renew(key))) return { claimed: true, streamVersion: taken.streamVersion };
    }
    return leases.claim(key);
  }

  private async release(leases: KeyLeases, key: string, clearThrough: number | undefined): Promise<void> {
    await leases.release(key, clearThrough).catch((err: unknown) =>
      this.logger.warn(
        { worker: this.name, key, error: (err as Error)?.message ?? err },
        // A mark not cleared is found done by a later run (the next message's or the sweep's).
        'could not release the lease; it runs out by itself',
      ),
    );
  }

  private clearOwed(key: string, version: number): Promise<void> {
    if (!this.work.clearOwed) {
      throw new Error(`${this.name}: a run answered owedNothingAsOf, but the work has no clearOwed`);
    }
    return this.work.clearOwed(key, version);
  }

  /**
   * A process killed while working on keys leaves their leases under its replica's name; its restart (same name)
   * releases them before its first claim instead of waiting them out. Tried again at the next claim if it fails.
   */
  private releaseEarlierLeases(leases: KeyLeases): Promise<void> {
    this.earlierLeases ??= leases.releaseEarlierRun().then(
      (released) => {
        this.earlierLeasesReleased = true;
        if (released > 0)
          this.logger.info(
            { worker: this.name, replica: leases.holder, released },
            "released the leases this replica's earlier run left",
          );
      },
      (err: unknown) => {
        this.earlierLeases = undefined;
        throw err;
      },
    );
    return this.earlierLeases;
  }

  private async renew(leases: KeyLeases, key: string, held: () => boolean): Promise<void> {
    try {
      if (!(await leases.renew(key)) && held()) {
        this.logger.error(
          { worker: this.name, key },
          'the lease ran out while the key was worked on: another replica may have taken it over',
        );
      }
    } catch (err) {
      this.logger.warn(
        { worker: this.name, key, error: (err as Error)?.message ?? err },
        'could not renew the lease; the next renewal tries again',
      );
    }
  }

  private wake(key: string): void {
    const waiting = this.waiters.get(key);
    this.waiters.delete(key);
    for (const resolve of waiting ?? []) resolve();
  }

  private async sweep(query: PendingWorkSweep | undefined): Promise<void> {
    try {
      for (const key of await this.work.owed(query)) {
        if (!this.running.has(key) && !this.due.has(key) && !this.failures.has(key)) this.schedule(key);
      }
    } catch (err) {
      this.logger.warn(
        { worker: this.name, error: (err as Error)?.message ?? err },
        'could not read the owed platform work; the next sweep tries again',
      );
    }
  }
}

/**
 * Where a service registers its platform workers (in onModuleInit, like message handlers): ServiceLifecycle
 * starts them after the recovery of unsettled calls and before the consumer, and stops them after the
 * consumer; /metrics shows what each holds (yb_platform_work_keys).
 */
@Injectable()
export class PlatformWorkers {
  private readonly workers = new Map<string, PlatformWorker>();

  add(worker: PlatformWorker): this {
    if (this.workers.has(worker.name))
      throw new Error(`platform worker ${worker.name} is already registered`);
    this.workers.set(worker.name, worker);
    return this;
  }

  async start(): Promise<void> {
    for (const worker of this.workers.values()) await worker.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
  }

  statuses(): { worker: string; status: PlatformWorkerStatus }[] {
    return [...this.workers.values()].map((worker) => ({ worker: worker.name, status: worker.status() }));
  }
}
