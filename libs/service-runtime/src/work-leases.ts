import { type EventStore, type PendingWorkClaim } from '@yb/event-store';

/**
 * Leases on keys shared by a service's replicas: a PlatformWorker claims a key before running it (unless the
 * append that handed it the key took the lease with the key's mark), renews the lease while it runs and releases
 * it after, so that one replica at a time works on a key. The holder is the
 * replica's stable name (ServiceConfig.replicaId): a restarted process first releases what its killed
 * predecessor held under that name and works on at once; a replica gone for good leaves leases that run out
 * after `leaseMs`, and another replica takes its keys over then.
 */
export interface KeyLeases {
  /** How long a claim or a renewal holds the key. */
  readonly leaseMs: number;
  /** The replica's name in the leases it holds. */
  readonly holder: string;
  /**
   * Releases the leases this holder's earlier run left (a process killed without releasing them); called once,
   * before this run's first claim. Returns how many there were.
   */
  releaseEarlierRun(): Promise<number>;
  claim(key: string): Promise<PendingWorkClaim>;
  /** False when this process holds the key no more (its lease ran out and another took it). */
  renew(key: string): Promise<boolean>;
  /**
   * Gives the key up. With `clearThrough`, the run found it owing nothing as of that version: its durable mark
   * goes too unless work was marked since (the release and the clearing in one statement).
   */
  release(key: string, clearThrough?: number): Promise<void>;
}

/**
 * Default lease: renewed every 5 s while the key is worked on, so two missed renewals under load do not lose it;
 * a replica lost for good holds its keys 15 s at most (a killed one that restarts takes them back at once).
 */
export const DEFAULT_LEASE_MS = 15_000;

/** How often a held lease is renewed: three times per lease, so one late renewal does not lose it. */
export function renewalIntervalMs(leaseMs: number): number {
  return Math.max(1, Math.floor(leaseMs / 3));
}

/**
 * Leases on the event store's durable marks (pending_work) of the streams `prefix` + key: the marks the
 * worker's sweep reads are the ones it leases. `holder` must be unique among the service's live processes and
 * the same after a restart (ServiceConfig.replicaId).
 */
export class PendingWorkLeases implements KeyLeases {
  readonly leaseMs: number;

  constructor(
    private readonly store: Pick<
      EventStore,
      'claimPendingWork' | 'renewPendingWorkLease' | 'releasePendingWork' | 'releasePendingWorkHeldBy'
    >,
    private readonly prefix: string,
    readonly holder: string,
    options: { leaseMs?: number } = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  releaseEarlierRun(): Promise<number> {
    return this.store.releasePendingWorkHeldBy(this.prefix, this.holder);
  }

  claim(key: string): Promise<PendingWorkClaim> {
    return this.store.claimPendingWork(this.prefix + key, this.holder, this.leaseMs);
  }

  renew(key: string): Promise<boolean> {
    return this.store.renewPendingWorkLease(this.prefix + key, this.holder, this.leaseMs);
  }

  release(key: string, clearThrough?: number): Promise<void> {
    return this.store.releasePendingWork(this.prefix + key, this.holder, clearThrough);
  }
}
