import { setTimeout as sleep } from 'node:timers/promises';
import {
  createEventStoreDataSource,
  EventStore,
  runEventStoreMigrations,
  type RecordedEvent,
} from '@yb/event-store';
import { ChildService, createTestSchema, waitFor, type TestSchema } from '@yb/testing';
import { type DataSource } from 'typeorm';
import { PendingWorkLeases, PlatformWorker, type PlatformWork } from '../src';

// Two replicas' workers on the real PostgreSQL, racing for the same marked streams: each stream's "platform
// call" must be made once, by one worker at a time. A replica killed while it holds a stream's lease: its restart
// (the same replica name) works the stream at once, another replica takes it over once the lease has run out.

const PREFIX = 'job-';
const quiet = { warn: () => undefined, error: () => undefined, info: () => undefined };

describe('PlatformWorker leases on PostgreSQL (two replicas)', () => {
  let schema: TestSchema;
  let dataSource: DataSource;
  let store: EventStore;
  const workers: PlatformWorker[] = [];

  beforeAll(async () => {
    schema = await createTestSchema('leases');
    dataSource = createEventStoreDataSource({
      databaseUrl: schema.databaseUrl,
      schema: schema.schema,
      poolSize: 6,
    });
    await runEventStoreMigrations(dataSource);
    store = new EventStore(dataSource);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  });
  afterAll(async () => {
    await dataSource.destroy();
    await schema.drop();
  });

  /** Streams that owe one platform call each, marked as the services mark them. */
  const markJobs = async (label: string, count: number): Promise<string[]> => {
    const keys = Array.from({ length: count }, (_, i) => `${label}-${i}`);
    for (const key of keys) {
      await store.appendToStream(PREFIX + key, 'no-stream', [{ type: 'CallOwed', data: {} }], {
        markPendingWork: true,
      });
    }
    return keys;
  };

  /** Keys being run by either replica now (both replicas live in this test's process). */
  const running = new Set<string>();

  /**
   * A replica's work: calls "the platform" (a pause, no connection held) if the stream still owes it. With leases,
   * the stream's version as the claim saw it and as read at the run's start go to `claimedAndRead`.
   */
  const platformWork = (
    calls: string[],
    overlaps: string[],
    claimedAndRead: [number | undefined, number][] = [],
  ): PlatformWork => {
    return {
      run: async (key, claimed) => {
        if (running.has(key)) overlaps.push(key);
        running.add(key);
        let version: number;
        try {
          const events: RecordedEvent[] = await store.readStream(PREFIX + key);
          version = events.length;
          claimedAndRead.push([claimed?.streamVersion, version]);
          if (!events.some((event) => event.type === 'CallMade')) {
            calls.push(key);
            await sleep(40);
            await store.appendToStream(PREFIX + key, version, [{ type: 'CallMade', data: {} }]);
            version++;
          }
        } finally {
          // The work ends before its mark goes: once the mark (and its lease) is deleted, the other replica may
          // claim the key and start before this run's continuation runs — it finds the call made, no overlap of
          // work (CI on Kafka 3.9.1 counted that window as one, 6 Dec).
          running.delete(key);
        }
        await store.clearPendingWork(PREFIX + key, version);
      },
      owed: async () => (await store.pendingWork(PREFIX)).map((id) => id.slice(PREFIX.length)),
    };
  };

  const replica = (name: string, work: PlatformWork, leases?: PendingWorkLeases) => {
    const worker = new PlatformWorker(
      name,
      work,
      { concurrency: 3, retryDelayMs: { min: 50, max: 200 }, sweepIntervalMs: 200, leases },
      quiet,
    );
    workers.push(worker);
    return worker;
  };

  const allMarksCleared = (label: string) =>
    waitFor(
      `the ${label} streams' marks to be cleared`,
      async () => ((await store.pendingWork(`${PREFIX}${label}-`)).length === 0 ? true : undefined),
      { timeoutMs: 60_000 },
    );

  /** Replicas A and B with `leaseMs` leases (through `leasesOf`, e.g. to count their claims), noting what they do. */
  const twoLeasedReplicas = (
    leasesOf: (leases: PendingWorkLeases) => PendingWorkLeases = (leases) => leases,
    leaseMs = 2_000,
  ) => {
    const calls: string[] = [];
    const overlaps: string[] = [];
    const claimedAndRead: [number | undefined, number][] = [];
    const [a, b] = (['a', 'b'] as const).map((name) =>
      replica(
        name.toUpperCase(),
        platformWork(calls, overlaps, claimedAndRead),
        leasesOf(new PendingWorkLeases(store, PREFIX, `replica-${name}`, { leaseMs })),
      ),
    );
    return { a, b, calls, overlaps, claimedAndRead };
  };

  it('with leases, each stream is worked on by one replica at a time and its call made once', async () => {
    const keys = await markJobs('leased', 24);
    const { a, b, calls, overlaps, claimedAndRead } = twoLeasedReplicas();
    // Both replicas told of every stream at once, and both sweeping: the race the leases are for.
    for (const key of keys) {
      a.schedule(key);
      b.schedule(key);
    }
    await Promise.all([a.start(), b.start()]);
    await allMarksCleared('leased');
    // A replica told of a key the other finished may still claim it (its claim marks it again) and find it done:
    // once both have stopped, nothing is left marked or leased.
    await Promise.all([a.stop(), b.stop()]);
    expect(overlaps).toEqual([]);
    expect(calls.sort()).toEqual([...keys].sort());
    // What each claim saw of its stream is what a read at the run's start finds: the run may start from it.
    expect(claimedAndRead.length).toBeGreaterThanOrEqual(keys.length);
    expect(claimedAndRead.filter(([claimed, read]) => claimed !== read)).toEqual([]);
    const left = await dataSource.query(
      `SELECT count(*)::int AS n FROM ${store.tables.pendingWork} WHERE starts_with(stream_id, $1)`,
      [`${PREFIX}leased-`],
    );
    expect(left).toEqual([{ n: 0 }]);
  });

  it('marks that take their lease: the marking replica runs each stream without a claim, the other keeps off it', async () => {
    const claims: string[] = [];
    const claimsCounted = (leases: PendingWorkLeases) =>
      Object.assign(Object.create(leases) as PendingWorkLeases, {
        claim: (key: string) => {
          claims.push(`${leases.holder}:${key}`);
          return leases.claim(key);
        },
      });
    // A lease that outlasts the slowest start: a run that starts after its mark's lease ran out rightly claims the
    // stream again, which a 2 s lease let a loaded CI machine do (7 Dec: `replica-b:taken-23`).
    const { a, b, calls, overlaps, claimedAndRead } = twoLeasedReplicas(claimsCounted, 30_000);
    await Promise.all([a.start(), b.start()]);
    // A first run each (its claim releases what the replica's earlier run left): leases may be taken after it.
    expect([a.leaseToTake(), b.leaseToTake()]).toEqual([undefined, undefined]);
    const [firstA, firstB] = await markJobs('first', 2);
    a.schedule(firstA);
    b.schedule(firstB);
    await allMarksCleared('first');
    expect(b.leaseToTake()).toEqual({ holder: 'replica-b', leaseMs: 30_000 });

    // Each stream's message consumed by one replica (its mark takes the lease), while the other is told of the
    // stream too (as its sweep would find it) and races for it.
    const keys = Array.from({ length: 24 }, (_, i) => `taken-${i}`);
    const leasesTaken = await Promise.all(
      keys.map(async (key, i) => {
        const [consumer, other] = i % 2 === 0 ? [a, b] : [b, a];
        const askedAt = Date.now();
        const appended = await store.appendToStream(
          PREFIX + key,
          'no-stream',
          [{ type: 'CallOwed', data: {} }],
          {
            markPendingWork: true,
            takeLease: consumer.leaseToTake(),
          },
        );
        const leaseTaken = appended.kind === 'appended' && appended.leaseTaken;
        consumer.schedule(key, 0, leaseTaken ? { streamVersion: 1, askedAt } : undefined);
        other.schedule(key);
        return leaseTaken;
      }),
    );
    await allMarksCleared('taken');
    await Promise.all([a.stop(), b.stop()]);
    expect(leasesTaken.every(Boolean)).toBe(true);
    expect(overlaps).toEqual([]);
    expect(calls.filter((key) => key.startsWith('taken-')).sort()).toEqual([...keys].sort());
    // The marking replica never claimed its streams; the other's claims (when it found one free: done) are its own.
    const ownClaims = keys.flatMap((key, i) => (i % 2 === 0 ? `replica-a:${key}` : `replica-b:${key}`));
    expect(claims.filter((claim) => ownClaims.includes(claim))).toEqual([]);
    expect(claimedAndRead.filter(([claimed, read]) => claimed !== read)).toEqual([]);
    expect(await marksOf('taken')).toEqual([]);
  });

  it('without leases the same race makes calls twice (what the leases prevent)', async () => {
    const keys = await markJobs('unleased', 8);
    const calls: string[] = [];
    const overlaps: string[] = [];
    const a = replica('A', platformWork(calls, overlaps));
    const b = replica('B', platformWork(calls, overlaps));
    for (const key of keys) {
      a.schedule(key);
      b.schedule(key);
    }
    await Promise.all([a.start(), b.start()]);
    await allMarksCleared('unleased');
    expect(overlaps.length).toBeGreaterThan(0);
    expect(calls.length).toBeGreaterThan(keys.length);
  });

  /** A worker in a child process that takes the stream's lease and is killed (SIGKILL) while it holds it. */
  const killedWhileHolding = async (key: string, holder: string, leaseMs: number) => {
    const child = await ChildService.start(
      'libs/service-runtime/test/support/leased-worker.ts',
      {
        ...process.env,
        DATABASE_URL: schema.databaseUrl,
        SERVICE_SCHEMA: schema.schema,
        LEASE_PREFIX: PREFIX,
        REPLICA_ID: holder,
        LEASE_MS: String(leaseMs),
      },
      new RegExp(`holding ${key}`),
    );
    expect(await child.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    const killedAt = Date.now();
    const [lease]: { leased_by: string; left_ms: number }[] = await dataSource.query(
      `SELECT leased_by, (extract(epoch FROM lease_until - now()) * 1000)::float8 AS left_ms
         FROM ${store.tables.pendingWork} WHERE stream_id = $1`,
      [PREFIX + key],
    );
    // What the killed process left: its lease, with most of it still to run.
    expect(lease.leased_by).toBe(holder);
    expect(lease.left_ms).toBeGreaterThan(leaseMs / 2);
    return { killedAt, leaseLeftMs: lease.left_ms };
  };

  /** A replica in this process that notes when it starts working on a stream. */
  const timedReplica = (holder: string, leaseMs: number) => {
    const calls: string[] = [];
    const overlaps: string[] = [];
    const startedAt: number[] = [];
    const work = platformWork(calls, overlaps);
    replica(
      holder,
      {
        ...work,
        run: (key) => {
          startedAt.push(Date.now());
          return work.run(key);
        },
      },
      new PendingWorkLeases(store, PREFIX, holder, { leaseMs }),
    );
    return { worker: workers[workers.length - 1], calls, startedAt };
  };

  it('a replica killed while holding a stream works it at once when restarted (not after its lease)', async () => {
    const [key] = await markJobs('restarted', 1);
    const { killedAt } = await killedWhileHolding(key, 'replica-a', 60_000);
    const restarted = timedReplica('replica-a', 60_000);
    await restarted.worker.start();
    await allMarksCleared('restarted');
    expect(restarted.calls).toEqual([key]);
    // Its restart released the killed run's lease: seconds at most, where the lease had a minute to run.
    expect(restarted.startedAt[0] - killedAt).toBeLessThan(5_000);
  });

  it("another replica takes over a killed replica's stream once its lease has run out, not before", async () => {
    const [key] = await markJobs('taken-over', 1);
    const { killedAt, leaseLeftMs } = await killedWhileHolding(key, 'replica-a', 3_000);
    const other = timedReplica('replica-b', 3_000);
    await other.worker.start();
    await allMarksCleared('taken-over');
    expect(other.calls).toEqual([key]);
    const tookOverAfterMs = other.startedAt[0] - killedAt;
    expect(tookOverAfterMs).toBeGreaterThanOrEqual(leaseLeftMs - 100);
    // Within the lease's time: the key is looked at again when the lease runs out (plus the sweep's 200 ms).
    expect(tookOverAfterMs).toBeLessThan(leaseLeftMs + 2_000);
  });
  /** The marks of the `label` streams as the table holds them. */
  const marksOf = (label: string) =>
    dataSource.query(
      `SELECT stream_id, stream_version::int AS version, leased_by FROM ${store.tables.pendingWork}
       WHERE starts_with(stream_id, $1) ORDER BY stream_id`,
      [`${PREFIX}${label}-`],
    );

  it("gives a lease up and clears the stream's mark in one statement, unless work was marked again meanwhile", async () => {
    const [done, markedAgain, stillOwed] = await markJobs('cleared', 3);
    const leases = new PendingWorkLeases(store, PREFIX, 'replica-c', { leaseMs: 60_000 });
    for (const key of [done, markedAgain, stillOwed])
      expect(await leases.claim(key)).toEqual({ claimed: true, streamVersion: 1 });
    // A stream with no events yet: version 0.
    expect(await leases.claim('cleared-unwritten')).toEqual({ claimed: true, streamVersion: 0 });
    await leases.release('cleared-unwritten', 0);
    // A message consumed while the run worked on the stream: it owes work again, as of version 2.
    await store.appendToStream(PREFIX + markedAgain, 1, [{ type: 'CallOwed', data: {} }], {
      markPendingWork: true,
    });

    await leases.release(done, 1);
    await leases.release(markedAgain, 1);
    await leases.release(stillOwed); // a run that did not finish the work: the mark stays
    expect(await marksOf('cleared')).toEqual([
      { stream_id: PREFIX + markedAgain, version: 2, leased_by: null },
      { stream_id: PREFIX + stillOwed, version: 1, leased_by: null },
    ]);
  });

  it('clears the mark of a run that answers owedNothingAsOf: with the lease, or by clearOwed without leases', async () => {
    /** Runs that find their stream owing nothing; each worker sweeps only its own streams. */
    const owedNothing = (label: string): PlatformWork => ({
      run: async (key) => ({ owedNothingAsOf: (await store.readStream(PREFIX + key)).length }),
      owed: async () => (await store.pendingWork(`${PREFIX}${label}-`)).map((id) => id.slice(PREFIX.length)),
    });
    await markJobs('done-leased', 4);
    const leasedWorker = replica(
      'L',
      owedNothing('done-leased'),
      new PendingWorkLeases(store, PREFIX, 'replica-l', { leaseMs: 2_000 }),
    );
    await leasedWorker.start();
    await allMarksCleared('done-leased');

    await markJobs('done-unleased', 4);
    const unleasedWorker = replica('U', {
      ...owedNothing('done-unleased'),
      clearOwed: async (key, version) => {
        await store.clearPendingWork(PREFIX + key, version);
      },
    });
    await unleasedWorker.start();
    await allMarksCleared('done-unleased');
  });

  it('sends no release after a run whose last append cleared the mark: the lease went with it', async () => {
    const keys = await markJobs('self-cleared', 3);
    const leases = new PendingWorkLeases(store, PREFIX, 'replica-s', { leaseMs: 60_000 });
    const released: string[] = [];
    const counted = Object.assign(Object.create(leases) as PendingWorkLeases, {
      release: async (key: string, clearThrough?: number) => {
        released.push(key);
        await leases.release(key, clearThrough);
      },
    });
    const worker = replica(
      'S',
      {
        // The call's record finishes the work: its append clears the mark (and the lease) itself.
        run: async (key, claimed) => {
          const version = claimed!.streamVersion;
          await store.appendToStream(PREFIX + key, version, [{ type: 'CallMade', data: {} }], {
            clearPendingWork: true,
          });
          return { owedNothingAsOf: version + 1, markCleared: true };
        },
        owed: async () =>
          (await store.pendingWork(`${PREFIX}self-cleared-`)).map((id) => id.slice(PREFIX.length)),
      },
      counted,
    );
    await worker.start();
    await allMarksCleared('self-cleared');
    await worker.stop();
    expect(released).toEqual([]);
    // Nothing left leased: another replica claims each stream at once.
    const other = new PendingWorkLeases(store, PREFIX, 'replica-t', { leaseMs: 60_000 });
    for (const key of keys) expect(await other.claim(key)).toEqual({ claimed: true, streamVersion: 2 });
  });

  it('counts a run answering owedNothingAsOf as failed when nothing can clear the mark (no leases, no clearOwed)', async () => {
    const [key] = await markJobs('uncleared', 1);
    const worker = replica('N', { run: async () => ({ owedNothingAsOf: 1 }), owed: async () => [key] });
    await worker.start();
    await waitFor('the run to fail', async () => (worker.status().failing === 1 ? true : undefined));
    expect(await marksOf('uncleared')).toEqual([{ stream_id: PREFIX + key, version: 1, leased_by: null }]);
  });
});
