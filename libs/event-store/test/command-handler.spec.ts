import { randomUUID } from 'node:crypto';
import {
  CommandHandler,
  createEventStoreDataSource,
  EventStore,
  EventStoreInputError,
  type CommandHandlerStore,
  type RecordedEvent,
} from '../src';
import { feeLedger, FeeAlreadyChargedError, type FeeLedgerCommand } from './support/fee-ledger';
import { openTestEventStore, type TestEventStore } from './support/test-event-store';

/** The real store, counting the events its readStream returns, and optionally running work before an append. */
function observedStore(store: EventStore) {
  const observed = {
    eventsRead: 0,
    beforeNextAppend: undefined as (() => Promise<unknown>) | undefined,
    store: {
      isMessageProcessed: store.isMessageProcessed.bind(store),
      async readStream(streamId, options) {
        const events = await store.readStream(streamId, options);
        observed.eventsRead += events.length;
        return events;
      },
      async appendToStream(...args) {
        const before = observed.beforeNextAppend;
        observed.beforeNextAppend = undefined;
        await before?.();
        return store.appendToStream(...args);
      },
    } satisfies CommandHandlerStore,
  };
  return observed;
}

const charge = (feedetl_sn: string): FeeLedgerCommand => ({
  type: 'ChargeFee',
  feedetl_sn,
  det_item_fee_sumamt: '1.5',
});

const lineNumbers = (events: RecordedEvent[]) =>
  events.map((e) => [e.streamVersion, (e.data as { line_no: number }).line_no]);

describe('CommandHandler against PostgreSQL', () => {
  let t: TestEventStore;
  beforeAll(async () => {
    t = await openTestEventStore('es_command_handler');
  });
  afterAll(() => t.close());

  it('readStream after a version returns only the newer events, and refuses a negative version', async () => {
    const stream = `visit-${randomUUID()}`;
    await t.store.appendToStream(
      stream,
      'no-stream',
      [1, 2, 3].map((n) => ({ type: 'N', data: { n } })),
    );
    const newer = await t.store.readStream(stream, { afterVersion: 1 });
    expect(newer.map((e) => [e.streamVersion, e.data])).toEqual([
      [2, { n: 2 }],
      [3, { n: 3 }],
    ]);
    expect(await t.store.readStream(stream, { afterVersion: 3 })).toEqual([]);
    await expect(t.store.readStream(stream, { afterVersion: -1 })).rejects.toThrow(EventStoreInputError);
  });

  it('after the first command a stream is not read again: each command folds only what it appended', async () => {
    const stream = `visit-${randomUUID()}`;
    const observed = observedStore(t.store);
    const handler = new CommandHandler(observed.store, feeLedger);
    for (let i = 1; i <= 20; i++) await handler.handle(stream, charge(`F${i}`));
    expect(observed.eventsRead).toBe(0);
    expect((await handler.aggregateStream(stream)).state.lines).toBe(20);

    // A handler without the stream in its cache reads it once, then no more.
    const fresh = observedStore(t.store);
    const other = new CommandHandler(fresh.store, feeLedger);
    const result = await other.handle(stream, charge('F21'));
    expect(fresh.eventsRead).toBe(20);
    expect(result).toMatchObject({ kind: 'handled', nextExpectedVersion: 21, state: { lines: 21 } });
    await other.handle(stream, charge('F22'));
    expect(fresh.eventsRead).toBe(20);
  });

  it('events another process appended are folded in before deciding', async () => {
    const stream = `visit-${randomUUID()}`;
    const secondDataSource = createEventStoreDataSource({
      databaseUrl: t.schema.databaseUrl,
      schema: t.schema.schema,
    });
    await secondDataSource.initialize();
    try {
      const observed = observedStore(t.store);
      const mine = new CommandHandler(observed.store, feeLedger);
      const theirs = new CommandHandler(new EventStore(secondDataSource), feeLedger);
      await mine.handle(stream, charge('F1'));
      await theirs.handle(stream, charge('F2'));
      await theirs.handle(stream, charge('F3'));
      const result = await mine.handle(stream, charge('F4'));
      expect(observed.eventsRead).toBe(2);
      expect(result).toMatchObject({ kind: 'handled', attempts: 1, nextExpectedVersion: 4 });
      // The rules see the other process's lines: F3 is charged already.
      await expect(mine.handle(stream, charge('F3'))).rejects.toThrow(FeeAlreadyChargedError);
      expect(lineNumbers(await t.store.readStream(stream))).toEqual([
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
      ]);
    } finally {
      await secondDataSource.destroy();
    }
  });

  it('a writer in another process appending between load and append: the conflict drops the cached state, the command is decided again on the stream read afresh', async () => {
    const stream = `visit-${randomUUID()}`;
    const secondDataSource = createEventStoreDataSource({
      databaseUrl: t.schema.databaseUrl,
      schema: t.schema.schema,
    });
    await secondDataSource.initialize();
    try {
      const observed = observedStore(t.store);
      const mine = new CommandHandler(observed.store, feeLedger);
      const theirs = new CommandHandler(new EventStore(secondDataSource), feeLedger);
      await mine.handle(stream, charge('F1'));
      await mine.handle(stream, charge('F2'));
      observed.beforeNextAppend = () => theirs.handle(stream, charge('F3'));
      const result = await mine.handle(stream, charge('F4'));
      expect(result).toMatchObject({
        kind: 'handled',
        attempts: 2,
        nextExpectedVersion: 4,
        state: { lines: 4 },
      });
      // The retry read the whole stream again (3 events), not only the one it had missed.
      expect(observed.eventsRead).toBe(3);
      expect(lineNumbers(await t.store.readStream(stream))).toEqual([
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
      ]);
      // The state cached after the retry is the stream's.
      const after = await mine.handle(stream, charge('F5'));
      expect(after).toMatchObject({ attempts: 1, nextExpectedVersion: 5, state: { lines: 5 } });
      expect(observed.eventsRead).toBe(3);
    } finally {
      await secondDataSource.destroy();
    }
  });

  it('a stream evicted from the cache is read again whole and decided on correctly', async () => {
    const [a, b, c] = [1, 2, 3].map(() => `visit-${randomUUID()}`);
    const observed = observedStore(t.store);
    const handler = new CommandHandler(observed.store, feeLedger, { cacheSize: 2 });
    for (const stream of [a, b, c]) {
      await handler.handle(stream, charge('F1'));
      await handler.handle(stream, charge('F2'));
    }
    expect(observed.eventsRead).toBe(0);
    // a was the least recently used of three in a cache of two.
    const result = await handler.handle(a, charge('F3'));
    expect(observed.eventsRead).toBe(2);
    expect(result).toMatchObject({ kind: 'handled', nextExpectedVersion: 3, state: { lines: 3 } });
    await expect(handler.handle(a, charge('F2'))).rejects.toThrow(FeeAlreadyChargedError);
    expect(lineNumbers(await t.store.readStream(a))).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    // c stayed cached: a command on it reads nothing.
    await handler.handle(c, charge('F3'));
    expect(observed.eventsRead).toBe(2);
  });

  it('a refused command and a redelivered message leave the cached state as it was', async () => {
    const stream = `visit-${randomUUID()}`;
    const handler = new CommandHandler(t.store, feeLedger);
    const delivery = { inboxMessageId: randomUUID(), inboxConsumer: 'fee-detail' };
    await handler.handle(stream, charge('F1'), delivery);
    await expect(handler.handle(stream, charge('F1'))).rejects.toThrow(FeeAlreadyChargedError);
    expect(await handler.handle(stream, charge('F2'), delivery)).toMatchObject({ kind: 'duplicate-message' });
    expect(await handler.aggregateStream(stream)).toEqual({
      version: 1,
      state: { lines: 1, open: { F1: '1.50' } },
    });
  });
});
