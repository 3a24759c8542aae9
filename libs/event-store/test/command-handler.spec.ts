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

/** The real store, counting its reads and the events they return, and optionally running work before an append. */
function observedStore(store: EventStore) {
  const observed = {
    reads: 0,
    eventsRead: 0,
    beforeNextAppend: undefined as (() => Promise<unknown>) | undefined,
    store: {
      async readStreamAndInbox(streamId, options) {
        const read = await store.readStreamAndInbox(streamId, options);
        observed.reads++;
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

  /** The same schema through a DataSource of its own, as another process (another replica) has it. */
  async function withOtherProcess(work: (store: EventStore) => Promise<void>): Promise<void> {
    const dataSource = createEventStoreDataSource({
      databaseUrl: t.schema.databaseUrl,
      schema: t.schema.schema,
    });
    await dataSource.initialize();
    try {
      await work(new EventStore(dataSource));
    } finally {
      await dataSource.destroy();
    }
  }

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

  it('a command on a stream the handler holds reads nothing; one not held reads it whole once', async () => {
    const stream = `visit-${randomUUID()}`;
    const observed = observedStore(t.store);
    const handler = new CommandHandler(observed.store, feeLedger);
    const reads: number[] = [];
    for (let i = 1; i <= 20; i++) {
      const before = observed.reads;
      await handler.handle(stream, charge(`F${i}`));
      reads.push(observed.reads - before);
    }
    // The first found the stream unknown (one read); the others decided on the state the previous append left.
    expect(reads).toEqual([1, ...Array<number>(19).fill(0)]);
    expect((await handler.aggregateStream(stream)).state.lines).toBe(20);

    // A handler without the stream in its cache reads it whole once, then nothing.
    const fresh = observedStore(t.store);
    const other = new CommandHandler(fresh.store, feeLedger);
    let result;
    expect(await fresh.readBy(async () => (result = await other.handle(stream, charge('F21'))))).toBe(20);
    expect(result).toMatchObject({ kind: 'handled', nextExpectedVersion: 21, state: { lines: 21 } });
    await other.handle(stream, charge('F22'));
    expect(fresh.reads).toBe(1);
  });

  it('a command that opens its stream is decided as new without a read; on a stream that exists (a redelivery), its append writes nothing and it is decided on a read', async () => {
    const stream = `visit-${randomUUID()}`;
    const observed = observedStore(t.store);
    const delivery = { inboxMessageId: randomUUID(), inboxConsumer: 'fee-detail', opensStream: true };
    const opened = await new CommandHandler(observed.store, feeLedger).handle(stream, charge('F1'), delivery);
    expect(opened).toMatchObject({ kind: 'handled', nextExpectedVersion: 1, attempts: 1 });
    expect(observed.reads).toBe(0);

    // Redelivered to a process that does not hold the stream: the append finds version 1, the read the inbox.
    const again = observedStore(t.store);
    const redelivered = await new CommandHandler(again.store, feeLedger).handle(
      stream,
      charge('F1'),
      delivery,
    );
    expect(redelivered).toMatchObject({ kind: 'duplicate-message' });
    expect(again.reads).toBe(1);
    // A new message of the kind that opens streams, on one that exists: decided on the state read.
    const reopened = new CommandHandler(again.store, feeLedger);
    const second = { ...delivery, inboxMessageId: randomUUID() };
    await expect(reopened.handle(stream, charge('F1'), second)).rejects.toThrow(FeeAlreadyChargedError);
    expect(await reopened.handle(stream, charge('F2'), second)).toMatchObject({
      kind: 'handled',
      nextExpectedVersion: 2,
      state: { lines: 2 },
    });
    expect((await t.store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it("a stream held at the version a statement just saw (a lease's claim) is current without a read; one held behind it is caught up", async () => {
    const stream = `visit-${randomUUID()}`;
    const observed = observedStore(t.store);
    const handler = new CommandHandler(observed.store, feeLedger);
    await handler.handle(stream, charge('F1'));
    await handler.handle(stream, charge('F2'));
    const reads = observed.reads;
    expect(await handler.aggregateStream(stream, 2)).toMatchObject({ version: 2, state: { lines: 2 } });
    expect(await handler.aggregateStream(stream, 1)).toMatchObject({ version: 2 });
    expect(observed.reads).toBe(reads);

    await withOtherProcess(async (store) => {
      await new CommandHandler(store, feeLedger).handle(stream, charge('F3'));
    });
    expect(await handler.aggregateStream(stream, 3)).toMatchObject({ version: 3, state: { lines: 3 } });
    expect(observed.reads).toBe(reads + 1);
    // Not held at all: read, whatever version is given.
    const fresh = observedStore(t.store);
    expect(await new CommandHandler(fresh.store, feeLedger).aggregateStream(stream, 3)).toMatchObject({
      version: 3,
    });
    expect(fresh.reads).toBe(1);
  });

  it("a worker's append that leaves its stream owing nothing clears the stream's mark; one that leaves work owed keeps it", async () => {
    const prefix = `owed-${randomUUID().slice(0, 8)}-`;
    const stream = `${prefix}visit`;
    const handler = new CommandHandler(t.store, feeLedger);
    // Owed while fewer than two lines are charged (the test's stand-in for "a platform step is left").
    const asWorker = { owesWork: (state: { lines: number }) => state.lines < 2, clearsOwedWork: true };
    const first = await handler.handle(stream, charge('F1'), asWorker);
    expect(first).toMatchObject({ kind: 'handled', owedWorkCleared: false });
    expect(await t.store.pendingWork(prefix)).toEqual([stream]);
    const second = await handler.handle(stream, charge('F2'), asWorker);
    expect(second).toMatchObject({ kind: 'handled', owedWorkCleared: true });
    expect(await t.store.pendingWork(prefix)).toEqual([]);
  });

  it('two handlers on one stream, as two replicas: each append on a stale cached state conflicts, is decided again on the events missed, and holds', async () => {
    const stream = `visit-${randomUUID()}`;
    await withOtherProcess(async (otherStore) => {
      const a = observedStore(t.store);
      const b = observedStore(otherStore);
      const first = new CommandHandler(a.store, feeLedger);
      const second = new CommandHandler(b.store, feeLedger);
      // Both hold the stream: each has appended to it.
      await first.handle(stream, charge('A1'));
      await second.handle(stream, charge('B1'));
      await first.handle(stream, charge('A2'));
      // Turn about, each on a state the other has moved past: every append conflicts once.
      const results = [];
      for (const [handler, sn] of [
        [second, 'B2'],
        [first, 'A3'],
        [second, 'B3'],
      ] as const)
        results.push(await handler.handle(stream, charge(sn)));
      expect(results.map((r) => r.kind === 'handled' && [r.attempts, r.nextExpectedVersion])).toEqual([
        [2, 4],
        [2, 5],
        [2, 6],
      ]);
      // Line numbers come from the state: each was decided again on the other's events, none lost or repeated.
      expect(lineNumbers(await t.store.readStream(stream))).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, n]));
      // Each read only what it had missed: a B1 and B2; b A1 (its first read), A2 and A3.
      expect([a.eventsRead, b.eventsRead]).toEqual([2, 3]);
      // Decided on a's stale state B3 would be charged again: the conflict has it decided on B3, refused.
      await expect(first.handle(stream, charge('B3'))).rejects.toThrow(FeeAlreadyChargedError);
      expect(await t.store.readStream(stream)).toHaveLength(6);
      // Alone on the stream again, a handler appends without a read.
      const before = a.reads;
      await first.handle(stream, charge('A4'));
      await first.handle(stream, charge('A5'));
      expect(a.reads).toBe(before);
      expect(lineNumbers(await t.store.readStream(stream)).at(-1)).toEqual([8, 8]);
    });
  });

  it('events another process appended are folded in before deciding: the append on the cached state conflicts', async () => {
    const stream = `visit-${randomUUID()}`;
    await withOtherProcess(async (otherStore) => {
      const observed = observedStore(t.store);
      const mine = new CommandHandler(observed.store, feeLedger);
      const theirs = new CommandHandler(otherStore, feeLedger);
      await mine.handle(stream, charge('F1'));
      await mine.aggregateStream(stream);
      await theirs.handle(stream, charge('F2'));
      await theirs.handle(stream, charge('F3'));
      let result;
      expect(await observed.readBy(async () => (result = await mine.handle(stream, charge('F4'))))).toBe(2);
      expect(result).toMatchObject({ kind: 'handled', attempts: 2, nextExpectedVersion: 4 });
      // The rules see the other process's lines: F3 is charged already.
      await expect(mine.handle(stream, charge('F3'))).rejects.toThrow(FeeAlreadyChargedError);
      expect(lineNumbers(await t.store.readStream(stream))).toEqual([
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
      ]);
    });
  });

  it('a writer in another process appending just before the append: the conflict reads the events after the cached version, the command is decided again on them', async () => {
    const stream = `visit-${randomUUID()}`;
    await withOtherProcess(async (otherStore) => {
      const observed = observedStore(t.store);
      const mine = new CommandHandler(observed.store, feeLedger);
      const theirs = new CommandHandler(otherStore, feeLedger);
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
      // The cached state was decided on without a read; after the conflict only the event missed was read.
      expect(read).toBe(1);
      expect(lineNumbers(await t.store.readStream(stream))).toEqual([
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
      ]);
      // The state cached after the retry is the stream's: the next command reads nothing.
      const reads = observed.reads;
      const after = await mine.handle(stream, charge('F5'));
      expect(observed.reads).toBe(reads);
      expect(after).toMatchObject({ attempts: 1, nextExpectedVersion: 5, state: { lines: 5 } });
    });
  });

  it('a stream found behind the cached state (restored from a backup, say) is read again whole and decided on it', async () => {
    const stream = `visit-${randomUUID()}`;
    const observed = observedStore(t.store);
    const handler = new CommandHandler(observed.store, feeLedger);
    for (const sn of ['F1', 'F2', 'F3']) await handler.handle(stream, charge(sn));
    await t.dataSource.query(
      `DELETE FROM ${t.store.tables.events} WHERE stream_id = $1 AND stream_version > 1`,
      [stream],
    );
    const result = await handler.handle(stream, charge('F4'));
    // F4 is charged at line 2: decided on the stream as stored, not on the cached three lines.
    expect(result).toMatchObject({ kind: 'handled', nextExpectedVersion: 2, state: { lines: 2 } });
    expect(lineNumbers(await t.store.readStream(stream))).toEqual([
      [1, 1],
      [2, 2],
    ]);
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
    // c stayed cached (at F2, as its append left it): a command on it reads nothing.
    const reads = observed.reads;
    await handler.handle(c, charge('F3'));
    expect(observed.reads).toBe(reads);
  });

  it('cacheUse says how the cache served: decisions without a read, reads after a held state, whole reads, states forgotten or not kept', async () => {
    const [a, b, c, long] = [1, 2, 3, 4].map(() => `visit-${randomUUID()}`);
    const handler = new CommandHandler(t.store, feeLedger, { cacheSize: 2, cacheEvents: 5 });
    expect(handler.cacheUse()).toEqual({
      streams: 0,
      events: 0,
      maxStreams: 2,
      maxEvents: 5,
      withoutRead: 0,
      readsAfterHeld: 0,
      wholeReads: 0,
      evicted: 0,
      notKept: 0,
    });
    for (const sn of ['F1', 'F2', 'F3']) await handler.handle(a, charge(sn));
    expect(handler.cacheUse()).toMatchObject({ streams: 1, events: 3, wholeReads: 1, withoutRead: 2 });

    // Another process appended: the held state fails its version check and only the newer event is read.
    await withOtherProcess((store) =>
      new CommandHandler(store, feeLedger).handle(a, charge('F4')).then(() => undefined),
    );
    await handler.handle(a, charge('F5'));
    expect(handler.cacheUse()).toMatchObject({ streams: 1, events: 5, readsAfterHeld: 1, withoutRead: 2 });
    expect(await handler.aggregateStream(a, 5)).toMatchObject({ version: 5 });
    expect(handler.cacheUse()).toMatchObject({ withoutRead: 3, readsAfterHeld: 1 });

    // Two more streams in a cache of two: a (five events, the bound) goes first.
    await handler.handle(b, charge('F1'));
    await handler.handle(c, charge('F1'));
    expect(handler.cacheUse()).toMatchObject({
      streams: 2,
      events: 2,
      wholeReads: 3,
      evicted: 1,
      notKept: 0,
    });

    // A stream past the bound is not kept: held up to its fifth event (the others forgotten to make room), then
    // dropped at its sixth; the seventh command reads it whole.
    for (const sn of ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7']) await handler.handle(long, charge(sn));
    expect(handler.cacheUse()).toMatchObject({
      streams: 0,
      events: 0,
      withoutRead: 3 + 5,
      wholeReads: 3 + 2,
      evicted: 3,
      notKept: 3,
    });
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
