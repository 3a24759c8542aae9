import { assertWorkerFitsPool, PlatformWorker } from './platform-worker';
import { HeldWork, quiet, tick } from './platform-worker.test-kit';

describe('PlatformWorker', () => {
  let work: HeldWork;
  let worker: PlatformWorker;

  const start = async (options: Partial<ConstructorParameters<typeof PlatformWorker>[2]> = {}) => {
    worker = new PlatformWorker(
      'test',
      work,
      { concurrency: 2, retryDelayMs: { min: 1_000, max: 8_000 }, sweepIntervalMs: 60_000, ...options },
      quiet,
    );
    await worker.start();
  };

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    work = new HeldWork();
  });
  afterEach(async () => {
    const stopping = worker.stop();
    for (const key of new Set(work.started)) while (work.isRunning(key)) work.finish(key);
    await stopping;
    jest.useRealTimers();
  });

  it('runs at most `concurrency` keys at once, the others when a run ends', async () => {
    await start();
    for (const key of ['A', 'B', 'C']) worker.schedule(key);
    await tick();
    expect(work.started).toEqual(['A', 'B']);
    work.finish('A');
    await tick();
    expect(work.started).toEqual(['A', 'B', 'C']);
    expect(work.maxRunning).toBe(2);
  });

  it('has room while a slot is free and nothing waits for one', async () => {
    await start();
    expect(worker.hasRoom()).toBe(true);
    worker.schedule('A');
    await tick();
    expect(worker.hasRoom()).toBe(true);
    worker.schedule('B');
    await tick();
    expect(worker.hasRoom()).toBe(false);
    work.finish('A');
    await tick();
    expect(worker.hasRoom()).toBe(true);
    worker.schedule('C', 50);
    expect(worker.hasRoom()).toBe(false);
  });

  it('never runs one key twice at a time: scheduled while it runs, it runs again after', async () => {
    await start();
    worker.schedule('A');
    await tick();
    worker.schedule('A');
    worker.schedule('A');
    await tick();
    expect(work.started).toEqual(['A']);
    work.finish('A');
    await tick();
    expect(work.started).toEqual(['A', 'A']);
    work.finish('A');
    await tick();
    expect(work.started).toEqual(['A', 'A']);
  });

  it('waits for the delay asked, and an earlier ask wins', async () => {
    await start();
    worker.schedule('A', 50);
    await tick();
    expect(work.started).toEqual([]);
    worker.schedule('A', 500);
    await jest.advanceTimersByTimeAsync(49);
    expect(work.started).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(work.started).toEqual(['A']);
    work.finish('A');
    worker.schedule('B', 500);
    worker.schedule('B', 10);
    await jest.advanceTimersByTimeAsync(10);
    expect(work.started).toEqual(['A', 'B']);
  });

  it('tries a failed key again with a doubling delay, and keeps trying', async () => {
    await start();
    worker.schedule('A');
    await tick();
    work.finish('A', new Error('2302 outcome unknown'));
    await tick();
    expect(worker.status()).toEqual({ running: 0, waiting: 1, failing: 1 });
    await jest.advanceTimersByTimeAsync(999);
    expect(work.started).toEqual(['A']);
    await jest.advanceTimersByTimeAsync(1);
    expect(work.started).toEqual(['A', 'A']);
    work.finish('A', new Error('again'));
    await jest.advanceTimersByTimeAsync(1_999);
    expect(work.started).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(work.started).toHaveLength(3);
    work.finish('A');
    await tick();
    expect(worker.status()).toEqual({ running: 0, waiting: 0, failing: 0 });
  });

  it('finds at start, and then at each sweep, the keys marked as owed that nobody scheduled', async () => {
    work.owedKeys.add('LEFT-BY-A-CRASH');
    await start({ sweepIntervalMs: 1_000 });
    await tick();
    expect(work.started).toEqual(['LEFT-BY-A-CRASH']);
    work.finish('LEFT-BY-A-CRASH');
    work.owedKeys.add('MARKED-BY-ANOTHER-REPLICA');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(work.started).toEqual(['LEFT-BY-A-CRASH', 'MARKED-BY-ANOTHER-REPLICA']);
  });

  it('stops starting work on stop, and waits for the runs in hand', async () => {
    await start();
    worker.schedule('A');
    worker.schedule('B', 100);
    await tick();
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await tick();
    expect(stopped).toBe(false);
    work.finish('A');
    await stopping;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(work.started).toEqual(['A']);
  });
});

describe('assertWorkerFitsPool', () => {
  it('refuses more lock-holding keys than the pool holds beside their other statements and the consumer, naming the variable', () => {
    expect(() => assertWorkerFitsPool({ databasePoolSize: 10 }, 'X_CONCURRENCY', 8)).not.toThrow();
    expect(() => assertWorkerFitsPool({ databasePoolSize: 10 }, 'X_CONCURRENCY', 9)).toThrow(
      'configuration: X_CONCURRENCY must be at most DATABASE_POOL_SIZE − 2 (8)',
    );
  });
});
