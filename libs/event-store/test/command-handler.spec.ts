import { randomUUID } from 'node:crypto';
import {
  CommandHandler,
  createEventStoreDataSource,
  EventStore,
  EventStoreInputError,
  type CommandHandlerStore,
  type Decider,
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
      async readStreamAndInbox(streamId, options) {
        const read = await store.readStreamAndInbox(streamId, options);
        observed.eventsRead += read.events.length;
        return read;
      },
      async appendToStream(...args) {
        const before = observed.beforeNextAppend;
        observed.beforeNextAppend = undefined;
        await before?.();
        return store.appendToStream(...args);
      },
    } satisfies CommandHandlerStore,
  };
  /** How many events `work` read. */
  const readBy = async (work: () => Promise<unknown>) => {
    const before = observed.eventsRead;
    await work();
    return observed.eventsRead - before;
  };
  return Object.assign(observed, { readBy });
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

  it('a command reads only the events appended since the stream was last loaded, not the whole stream', async () => {
    const stream = `visit-${randomUUID()}`;
    const observed = observedStore(t.store);
    const handler = new CommandHandler(observed.store, feeLedger);
    const reads: number[] = [];
    for (let i = 1; i <= 20; i++)
      reads.push(await observed.readBy(() => handler.handle(stream, charge(`F${i}`))));
    // Each command folds the previous command's event as stored; the first found an empty stream.
    expect(reads).toEqual([0, ...Array<number>(19).fill(1)]);
    expect((await handler.aggregateStream(stream)).state.lines).toBe(20);

    // A handler without the stream in its cache reads it whole once, then only what is new.
    const fresh = observedStore(t.store);
    const other = new CommandHandler(fresh.store, feeLedger);
    let result;
    expect(await fresh.readBy(async () => (result = await other.handle(stream, charge('F21'))))).toBe(20);
    expect(result).toMatchObject({ kind: 'handled', nextExpectedVersion: 21, state: { lines: 21 } });
    expect(await fresh.readBy(() => other.handle(stream, charge('F22')))).toBe(1);
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
      await mine.aggregateStream(stream);
      await theirs.handle(stream, charge('F2'));
      await theirs.handle(stream, charge('F3'));
      let result;
      expect(await observed.readBy(async () => (result = await mine.handle(stream, charge('F4'))))).toBe(2);
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
      await mine.aggregateStream(stream);
      observed.beforeNextAppend = () => theirs.handle(stream, charge('F3'));
      let result;
      const read = await observed.readBy(async () => (result = await mine.handle(stream, charge('F4'))));
      expect(result).toMatchObject({
        kind: 'handled',
        attempts: 2,
        nextExpectedVersion: 4,
        state: { lines: 4 },
      });
      // The load found nothing new; after the conflict the cached state was dropped and the whole stream
      // read again (3 events), not only the event missed.
      expect(read).toBe(3);
      expect(lineNumbers(await t.store.readStream(stream))).toEqual([
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
      ]);
      // The state cached after the retry is the stream's.
      let after;
      expect(await observed.readBy(async () => (after = await mine.handle(stream, charge('F5'))))).toBe(1);
      expect(after).toMatchObject({ attempts: 1, nextExpectedVersion: 5, state: { lines: 5 } });
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
    // a was the least recently used of three in a cache of two: read whole (2 events).
    let result;
    expect(await observed.readBy(async () => (result = await handler.handle(a, charge('F3'))))).toBe(2);
    expect(result).toMatchObject({ kind: 'handled', nextExpectedVersion: 3, state: { lines: 3 } });
    await expect(handler.handle(a, charge('F2'))).rejects.toThrow(FeeAlreadyChargedError);
    expect(lineNumbers(await t.store.readStream(a))).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    // c stayed cached (at F1): a command on it reads only F2.
    expect(await observed.readBy(() => handler.handle(c, charge('F3')))).toBe(1);
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

  it('the cached state is the one a full read gives, down to the order of keys (jsonb sorts them)', async () => {
    type Note = { type: 'Noted'; data: Record<string, string> };
    const notes: Decider<Record<string, string>, Note, Note['data'][]> = {
      initialState: () => [],
      decide: (data) => [{ type: 'Noted', data }],
      evolve: (state, event) => [...state, event.data],
    };
    const stream = `notes-${randomUUID()}`;
    const handler = new CommandHandler(t.store, notes);
    await handler.handle(stream, { zeta: '1', a: '2', mid: '3' });
    await handler.handle(stream, { b: '4', a: '5' });
    const cached = JSON.stringify((await handler.aggregateStream(stream)).state);
    const fullRead = JSON.stringify((await new CommandHandler(t.store, notes).aggregateStream(stream)).state);
    expect(cached).toBe(fullRead);
  });
});
