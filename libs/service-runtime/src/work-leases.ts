import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type EventStore, type PendingWorkClaim } from '@yb/event-store';

/**
 * Leases on keys shared by a service's replicas: a PlatformWorker claims a key before running it, renews the
 * lease while it runs and releases it after, so that one replica at a time works on a key. A replica that
 * dies leaves a lease that runs out after `leaseMs`, and another replica takes the key over then.
 */
export interface KeyLeases {
  /** How long a claim or a renewal holds the key. */
  readonly leaseMs: number;
  claim(key: string): Promise<PendingWorkClaim>;
  /** False when this process holds the key no more (its lease ran out and another took it). */
  renew(key: string): Promise<boolean>;
  release(key: string): Promise<void>;
}

/** Default lease: long enough to outlast a renewal missed under load, short enough for a quick takeover. */
export const DEFAULT_LEASE_MS = 30_000;

/** This process's name in the leases it holds: unique per start, so a restarted process holds nothing. */
export function leaseHolderId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** How often a held lease is renewed: three times per lease, so one late renewal does not lose it. */
export function renewalIntervalMs(leaseMs: number): number {
  return Math.max(1, Math.floor(leaseMs / 3));
}

/**
 * Leases on the event store's durable marks (pending_work) of the streams `prefix` + key: the marks the
 * worker's sweep reads are the ones it leases.
 */
export class PendingWorkLeases implements KeyLeases {
  readonly leaseMs: number;
  readonly holder: string;

  constructor(
    private readonly store: Pick<
      EventStore,
      'claimPendingWork' | 'renewPendingWorkLease' | 'releasePendingWork'
    >,
    private readonly prefix: string,
    options: { leaseMs?: number; holder?: string } = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.holder = options.holder ?? leaseHolderId();
  }

  claim(key: string): Promise<PendingWorkClaim> {
    return this.store.claimPendingWork(this.prefix + key, this.holder, this.leaseMs);
  }

  renew(key: string): Promise<boolean> {
    return this.store.renewPendingWorkLease(this.prefix + key, this.holder, this.leaseMs);
  }

  release(key: string): Promise<void> {
    return this.store.releasePendingWork(this.prefix + key, this.holder);
  }
}
