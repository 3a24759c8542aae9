import { type PendingWorkClaim } from '@yb/event-store';
import { KeyLeasedElsewhere, PlatformWorker } from './platform-worker';
import { HeldWork, quiet, tick } from './platform-worker.test-kit';
import { renewalIntervalMs, type KeyLeases } from './work-leases';

const LEASE_MS = 3_000;

/** The leases table the replicas share, in memory, on the (fake) clock. */
class LeaseTable {
  readonly rows = new Map<string, { holder: string; until: number }>();
  /** The holders whose earlier run's leases were released, one entry per call. */
  readonly earlierRunsReleased: string[] = [];
  /** Each claim and each renewal, as `holder:key`. */
  readonly claims: string[] = [];
  readonly renewals: string[] = [];

  /** What an append marking the key with AppendOptions.takeLease does: the lease is the holder's if free. */
  takeWithMark(key: string, holder: string): boolean {
    if (this.holderOf(key) !== undefined) return false;
    this.rows.set(key, { holder, until: Date.now() + LEASE_MS });
    return true;
  }

  holderOf(key: string): string | undefined {
    const row = this.rows.get(key);
    return row && row.until > Date.now() ? row.holder : undefined;
  }

  leasesFor(holder: string): KeyLeases {
    return {
      leaseMs: LEASE_MS,
      holder,
      releaseEarlierRun: async () => {
        this.earlierRunsReleased.push(holder);
        const held = [...this.rows].filter(([, row]) => row.holder === holder);
        for (const [key] of held) this.rows.delete(key);
        return held.length;
      },
      claim: async (key): Promise<PendingWorkClaim> => {
        this.claims.push(`${holder}:${key}`);
        const row = this.rows.get(key);
        if (row && row.until > Date.now()) return { claimed: false, freeInMs: row.until - Date.now() };
        this.rows.set(key, { holder, until: Date.now() + LEASE_MS });
        return { claimed: true, streamVersion: 0 };
      },
      renew: async (key) => {
        this.renewals.push(`${holder}:${key}`);
        const row = this.rows.get(key);
        if (row?.holder !== holder) return false;
        row.until = Date.now() + LEASE_MS;
        return true;
      },
      release: async (key) => {
        if (this.rows.get(key)?.holder === holder) this.rows.delete(key);
      },
    };
  }
}

describe('PlatformWorker with leases shared by replicas', () => {
  let table: LeaseTable;
  let workers: PlatformWorker[];
  let works: HeldWork[];

  const replica = async (holder: string, owed: string[] = []): Promise<[PlatformWorker, HeldWork]> => {
    const work = new HeldWork();
    for (const key of owed) work.owedKeys.add(key);
    const worker = new PlatformWorker(
      holder,
      work,
      {
        concurrency: 2,
        retryDelayMs: { min: 1_000, max: 8_000 },
        sweepIntervalMs: 60_000,
        leases: table.leasesFor(holder),
      },
      quiet,
    );
    await worker.start();
    workers.push(worker);
    works.push(work);
    return [worker, work];
  };

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    table = new LeaseTable();
    workers = [];
    works = [];
  });
  afterEach(async () => {
    const stopping = Promise.all(workers.map((worker) => worker.stop()));
    for (const work of works)
      for (const key of new Set(work.started)) while (work.isRunning(key)) work.finish(key);
    await stopping;
    jest.useRealTimers();
  });

  it('runs a key on one replica at a time; the other skips it, without a failure, until the lease is free', async () => {
    const [a, workA] = await replica('A');
    const [b, workB] = await replica('B');
    a.schedule('V1');
    await tick();
    b.schedule('V1');
    await tick();
    expect(workA.started).toEqual(['V1']);
    expect(workB.started).toEqual([]);
    expect(b.status()).toEqual({ running: 0, waiting: 1, failing: 0 });
    workA.finish('V1');
    await tick();
    expect(table.holderOf('V1')).toBeUndefined();
    await jest.advanceTimersByTimeAsync(LEASE_MS + 100);
    expect(workB.started).toEqual(['V1']);
    expect(table.holderOf('V1')).toBe('B');
  });

  it('keeps the lease while a run outlasts it, by renewing it', async () => {
    const [a, workA] = await replica('A');
    const [b, workB] = await replica('B');
    a.schedule('V1');
    await tick();
    for (let i = 0; i < 5; i++) {
      await jest.advanceTimersByTimeAsync(renewalIntervalMs(LEASE_MS));
      b.schedule('V1');
      await tick();
    }
    expect(table.holderOf('V1')).toBe('A');
    expect(workB.started).toEqual([]);
    workA.finish('V1');
    await tick();
    expect(table.holderOf('V1')).toBeUndefined();
  });

  it("takes over a crashed replica's key once its lease has run out", async () => {
    table.rows.set('V1', { holder: 'crashed', until: Date.now() + LEASE_MS });
    const [, work] = await replica('B', ['V1']); // the sweep at start finds the mark
    await tick();
    expect(work.started).toEqual([]);
    await jest.advanceTimersByTimeAsync(LEASE_MS + 100);
    expect(work.started).toEqual(['V1']);
    expect(table.holderOf('V1')).toBe('B');
  });

  it("a restarted replica takes back at once the keys its killed run held, and leaves other replicas' alone", async () => {
    // Its killed run's leases, and another replica's, with the whole lease still to run.
    table.rows.set('V1', { holder: 'A', until: Date.now() + LEASE_MS });
    table.rows.set('V2', { holder: 'B', until: Date.now() + LEASE_MS });
    const [a, work] = await replica('A', ['V1', 'V2']);
    await tick();
    expect(work.started).toEqual(['V1']);
    expect(table.holderOf('V1')).toBe('A');
    expect(table.holderOf('V2')).toBe('B');
    // Released once, before the first claim: a lease this run took since is kept.
    a.schedule('V3');
    await tick();
    expect(work.started).toEqual(['V1', 'V3']);
    expect(table.earlierRunsReleased).toEqual(['A']);
    expect(table.holderOf('V1')).toBe('A');
  });

  it('wakes those waiting for a key another replica holds, so they do not wait for that replica', async () => {
    const [a] = await replica('A');
    const [b] = await replica('B');
    a.schedule('V1');
    await tick();
    b.schedule('V1');
    let settled = false;
    void b.settled('V1').then(() => (settled = true));
    await tick();
    await tick();
    expect(settled).toBe(true);
  });

  it('runs outside work under the lease too, and refuses it while another replica holds the key', async () => {
    const [a] = await replica('A');
    const [b] = await replica('B');
    a.schedule('V1');
    await tick();
    await expect(b.exclusively('V1', async () => 'recovered')).rejects.toThrow(KeyLeasedElsewhere);
    await expect(b.exclusively('V2', async () => table.holderOf('V2'))).resolves.toBe('B');
    expect(table.holderOf('V2')).toBeUndefined();
  });

  it("runs a key under the lease its mark's append took, without claiming it: renewed if a renewal is due, claimed if lost", async () => {
    const [a, work] = await replica('A');
    // Not before the earlier run's leases are released (the first run's claim does it): that would release it.
    expect(a.leaseToTake()).toBeUndefined();
    a.schedule('V0');
    await tick();
    work.finish('V0');
    await tick();
    expect(a.leaseToTake()).toEqual({ holder: 'A', leaseMs: LEASE_MS });
    const claims = table.claims.length;

    // Handed over at once: no claim, no renewal; the run starts from the version the append left.
    expect(table.takeWithMark('V1', 'A')).toBe(true);
    a.schedule('V1', 0, { streamVersion: 7, askedAt: Date.now() });
    await tick();
    expect(work.started.at(-1)).toBe('V1');
    expect(work.startedAt.at(-1)).toBe(7);
    expect(table.claims).toHaveLength(claims);
    expect(table.renewals).toEqual([]);
    work.finish('V1');
    await tick();
    expect(table.holderOf('V1')).toBeUndefined();

    // Started later than a renewal would have come: renewed first, still no claim.
    expect(table.takeWithMark('V2', 'A')).toBe(true);
    a.schedule('V2', renewalIntervalMs(LEASE_MS) + 10, { streamVersion: 3, askedAt: Date.now() });
    await jest.advanceTimersByTimeAsync(renewalIntervalMs(LEASE_MS) + 10);
    expect(work.started.at(-1)).toBe('V2');
    expect(work.startedAt.at(-1)).toBe(3);
    expect(table.renewals).toEqual(['A:V2']);
    expect(table.claims).toHaveLength(claims);
    work.finish('V2');
    await tick();

    // Handed over at once by an append that took longer than a renewal's interval: the lease's age counts from
    // before the append, so it is renewed first.
    const askedAt = Date.now();
    expect(table.takeWithMark('V4', 'A')).toBe(true);
    await jest.advanceTimersByTimeAsync(renewalIntervalMs(LEASE_MS) + 10);
    a.schedule('V4', 0, { streamVersion: 2, askedAt });
    await tick();
    expect(work.started.at(-1)).toBe('V4');
    expect(table.renewals).toEqual(['A:V2', 'A:V4']);
    expect(table.claims).toHaveLength(claims);
    work.finish('V4');
    await tick();

    // Started after the lease ran out and another replica took the key: neither renewed nor run here.
    const [b, workB] = await replica('B');
    expect(table.takeWithMark('V3', 'A')).toBe(true);
    a.schedule('V3', LEASE_MS + 50, { streamVersion: 1, askedAt: Date.now() });
    await jest.advanceTimersByTimeAsync(LEASE_MS + 10);
    b.schedule('V3');
    await tick();
    expect(workB.started).toEqual(['V3']);
    await jest.advanceTimersByTimeAsync(50);
    expect(table.claims.slice(claims)).toEqual(['B:V3', 'A:V3']);
    expect(work.started).not.toContain('V3');
    expect(table.holderOf('V3')).toBe('B');
  });

  it('gives back, when it stops, the leases appends took for keys it has not run yet', async () => {
    const [a, work] = await replica('A');
    a.schedule('V0');
    await tick();
    work.finish('V0');
    await tick();
    expect(table.takeWithMark('V1', 'A')).toBe(true);
    a.schedule('V1', 60_000, { streamVersion: 1, askedAt: Date.now() });
    await a.stop();
    expect(work.started).toEqual(['V0']);
    expect(table.holderOf('V1')).toBeUndefined();
    // Handed one once stopped: given back at once.
    expect(a.leaseToTake()).toBeUndefined();
    expect(table.takeWithMark('V2', 'A')).toBe(true);
    a.schedule('V2', 0, { streamVersion: 1, askedAt: Date.now() });
    await tick();
    expect(table.holderOf('V2')).toBeUndefined();
  });
});
