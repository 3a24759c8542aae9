import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  CommandHandler,
  createEventStoreDataSource,
  EventStore,
  ExpectedVersionConflictError,
  type CommandHandlerStore,
  type Decider,
  type GroupCommand,
  type OutboxMessage,
} from '../src';
import {
  feeLedger,
  FeeAlreadyChargedError,
  type FeeLedgerCommand,
  type FeeLedgerEvent,
  type FeeLedgerState,
} from './support/fee-ledger';
import { openTestEventStore, type TestEventStore } from './support/test-event-store';

const CONSUMER = 'fee-detail';

/** The real store, counting its calls, and optionally running work before the next append. */
function countingStore(store: EventStore) {
  const calls = { reads: 0, appends: 0 };
  let beforeNextAppend: (() => Promise<unknown>) | undefined;
  const wrapped: CommandHandlerStore = {
    async readStreamAndInbox(...args) {
      calls.reads++;
      return store.readStreamAndInbox(...args);
    },
    async appendToStream(...args) {
      calls.appends++;
      const before = beforeNextAppend;
      beforeNextAppend = undefined;
      await before?.();
      return store.appendToStream(...args);
    },
  };
  return {
    calls,
    store: wrapped,
    beforeNextAppend: (work: () => Promise<unknown>) => void (beforeNextAppend = work),
  };
}

const charge = (feedetl_sn: string): FeeLedgerCommand => ({
  type: 'ChargeFee',
  feedetl_sn,
  det_item_fee_sumamt: '2.5',
});

/** A command as a consumer hands it over: its message id and one result message. */
function delivered(
  command: FeeLedgerCommand,
  messageId: string = randomUUID(),
): GroupCommand<FeeLedgerCommand, FeeLedgerEvent, FeeLedgerState> {
  return {
    command,
    inboxMessageId: messageId,
    outbox: (events, state): OutboxMessage[] => [
      {
        messageId: randomUUID(),
        topic: 'insurance.inpatient',
        key: 'ZY-GROUP',
        payload: JSON.stringify({ causedBy: messageId, events: events.length, lines: state.lines }),
      },
    ],
  };
}

const dataOf = (events: { data: unknown }[]) => events.map((e) => e.data as Record<string, unknown>);

describe('CommandHandler.handleAll against PostgreSQL', () => {
  let t: TestEventStore;
  beforeAll(async () => {
    t = await openTestEventStore('es_group');
  });
  afterAll(() => t.close());

  const inboxed = async (ids: string[]) =>
    (
      await t.dataSource.query(
        `SELECT message_id FROM ${t.store.tables.inbox} WHERE consumer = $1 AND message_id = ANY($2)`,
        [CONSUMER, ids],
      )
    ).map((r: { message_id: string }) => r.message_id);
  const outboxCausedBy = async (ids: string[]) =>
    (
      await t.dataSource.query(
        `SELECT payload::jsonb->>'causedBy' AS caused_by FROM ${t.store.tables.outbox}
         WHERE payload::jsonb->>'causedBy' = ANY($1) ORDER BY id`,
        [ids],
      )
    ).map((r: { caused_by: string }) => r.caused_by);

  it('decides each command on the state the previous ones left and appends them all in one transaction: on a stream the handler holds, one append and no read', async () => {
    const stream = `visit-${randomUUID()}`;
    const counting = countingStore(t.store);
    const handler = new CommandHandler(counting.store, feeLedger);
    await handler.handle(stream, charge('F0'));
    counting.calls.reads = counting.calls.appends = 0;

    const items = ['F1', 'F2', 'F3', 'F4'].map((sn) => delivered(charge(sn)));
    const result = await handler.handleAll(stream, items, { inboxConsumer: CONSUMER });

    expect(counting.calls).toEqual({ reads: 0, appends: 1 });
    expect(result).toMatchObject({ completed: 4, attempts: 1, nextExpectedVersion: 5, state: { lines: 5 } });
    expect(
      result.outcomes.map((o) => o.kind === 'handled' && [o.nextExpectedVersion, o.state.lines]),
    ).toEqual([
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
    ]);
    const events = await t.store.readStream(stream);
    expect(dataOf(events).map((d) => [d.feedetl_sn, d.line_no])).toEqual([
      ['F0', 1],
      ['F1', 2],
      ['F2', 3],
      ['F3', 4],
      ['F4', 5],
    ]);
    // One transaction: the group's four events share it, and it is not the first command's.
    const groupTransactions = new Set(events.slice(1).map((e) => e.position.transactionId));
    expect(groupTransactions.size).toBe(1);
    expect(groupTransactions.has(events[0].position.transactionId)).toBe(false);
    const ids = items.map((i) => i.inboxMessageId as string);
    expect((await inboxed(ids)).sort()).toEqual([...ids].sort());
    // Each command's result message was built from its own events and the state after them, in order.
    expect(await outboxCausedBy(ids)).toEqual(ids);
  });

  it('a command costs one statement on a stream the handler holds, two on one it does not, and a group of ten one', async () => {
    const stream = `visit-${randomUUID()}`;
    await new CommandHandler(t.store, feeLedger).handle(stream, charge('F0'));
    const handler = new CommandHandler(t.store, feeLedger);
    const handleDelivered = (sn: string) =>
      handler.handle(stream, charge(sn), {
        inboxMessageId: randomUUID(),
        inboxConsumer: CONSUMER,
        outbox: delivered(charge(sn)).outbox,
      });
    const statements = jest.spyOn(Client.prototype, 'query');
    try {
      await handleDelivered('F1');
      // The read with its inbox look-up; the checked write, its own transaction.
      expect(statements).toHaveBeenCalledTimes(2);
      statements.mockClear();
      await handleDelivered('F2');
      // The checked write alone, on the state the previous append left.
      expect(statements).toHaveBeenCalledTimes(1);
      statements.mockClear();
      const group = Array.from({ length: 10 }, (_, i) => delivered(charge(`G${i}`)));
      await handler.handleAll(stream, group, { inboxConsumer: CONSUMER });
      expect(statements).toHaveBeenCalledTimes(1);
    } finally {
      statements.mockRestore();
    }
  });

  it('reports the messages the inbox holds, or that come twice in the group, as duplicates without deciding them', async () => {
    const stream = `visit-${randomUUID()}`;
    const counting = countingStore(t.store);
    const handler = new CommandHandler(counting.store, feeLedger);
    const earlier = delivered(charge('F1'));
    await handler.handleAll(stream, [earlier], { inboxConsumer: CONSUMER });
    counting.calls.reads = counting.calls.appends = 0;

    // F1 again would be refused (charged already) were it decided; the repeated F2 likewise.
    const f2 = delivered(charge('F2'));
    const result = await handler.handleAll(
      stream,
      [earlier, f2, delivered(charge('F3')), { ...f2, outbox: undefined }],
      { inboxConsumer: CONSUMER },
    );
    expect(result.outcomes.map((o) => o.kind)).toEqual([
      'duplicate-message',
      'handled',
      'handled',
      'duplicate-message',
    ]);
    expect(result.outcomes[0]).toEqual({
      kind: 'duplicate-message',
      messageId: earlier.inboxMessageId,
      consumer: CONSUMER,
    });
    expect(result.completed).toBe(4);
    expect(counting.calls).toEqual({ reads: 1, appends: 1 });
    expect(dataOf(await t.store.readStream(stream)).map((d) => d.feedetl_sn)).toEqual(['F1', 'F2', 'F3']);

    // After other commands, on the state the handler holds, the redelivery refused there: the group is decided
    // again on a read, not appended up to it.
    const later = await handler.handleAll(
      stream,
      [delivered(charge('F4')), earlier, delivered(charge('F5'))],
      {
        inboxConsumer: CONSUMER,
      },
    );
    expect(later.outcomes.map((o) => o.kind)).toEqual(['handled', 'duplicate-message', 'handled']);
    expect(counting.calls).toEqual({ reads: 2, appends: 2 });
    expect(dataOf(await t.store.readStream(stream)).map((d) => d.feedetl_sn)).toEqual([
      'F1',
      'F2',
      'F3',
      'F4',
      'F5',
    ]);
  });

  it('a redelivery on a stream the handler holds, which decide would accept again: the append finds it in the inbox, writes nothing, and it is reported a duplicate', async () => {
    type Note = { type: 'Noted'; data: { text: string } };
    const notes: Decider<string, Note, string[]> = {
      initialState: () => [],
      decide: (text) => [{ type: 'Noted', data: { text } }],
      evolve: (state, event) => [...state, event.data.text],
    };
    const stream = `notes-${randomUUID()}`;
    const counting = countingStore(t.store);
    const handler = new CommandHandler(counting.store, notes);
    const first = { command: 'first', inboxMessageId: randomUUID() };
    await handler.handleAll(stream, [first], { inboxConsumer: CONSUMER });
    counting.calls.reads = counting.calls.appends = 0;

    const result = await handler.handleAll(
      stream,
      [first, { command: 'second', inboxMessageId: randomUUID() }],
      {
        inboxConsumer: CONSUMER,
      },
    );
    expect(result.outcomes.map((o) => o.kind)).toEqual(['duplicate-message', 'handled']);
    expect(result).toMatchObject({ attempts: 2, nextExpectedVersion: 2, state: ['first', 'second'] });
    // Decided on the cached state, refused by the append's inbox check, decided again on a read.
    expect(counting.calls).toEqual({ reads: 1, appends: 2 });
    expect(dataOf(await t.store.readStream(stream)).map((d) => d.text)).toEqual(['first', 'second']);
  });

  it('a message another consumer recorded between the read and the append: the group is decided again without it', async () => {
    const stream = `visit-${randomUUID()}`;
    const counting = countingStore(t.store);
    const handler = new CommandHandler(counting.store, feeLedger);
    const items = ['F1', 'F2', 'F3'].map((sn) => delivered(charge(sn)));
    // Another instance handled F2's message (on another stream, say) after our read.
    counting.beforeNextAppend(() =>
      t.store.appendToStream(`other-${randomUUID()}`, 'any', [], {
        inboxMessageId: items[1].inboxMessageId,
        inboxConsumer: CONSUMER,
      }),
    );
    const result = await handler.handleAll(stream, items, { inboxConsumer: CONSUMER });
    expect(result.outcomes.map((o) => o.kind)).toEqual(['handled', 'duplicate-message', 'handled']);
    expect(result.attempts).toBe(2);
    expect(counting.calls).toEqual({ reads: 2, appends: 2 });
    expect(dataOf(await t.store.readStream(stream)).map((d) => [d.feedetl_sn, d.line_no])).toEqual([
      ['F1', 1],
      ['F3', 2],
    ]);
    expect(await outboxCausedBy(items.map((i) => i.inboxMessageId as string))).toEqual([
      items[0].inboxMessageId,
      items[2].inboxMessageId,
    ]);
  });

  it('a writer in another process appending between the read and the append: the whole group is decided again on the stream read afresh', async () => {
    const stream = `visit-${randomUUID()}`;
    const second = createEventStoreDataSource({ databaseUrl: t.schema.databaseUrl, schema: t.schema.schema });
    await second.initialize();
    try {
      const theirs = new CommandHandler(new EventStore(second), feeLedger);
      const counting = countingStore(t.store);
      const mine = new CommandHandler(counting.store, feeLedger);
      await mine.handle(stream, charge('F1'));
      counting.beforeNextAppend(() => theirs.handle(stream, charge('F2')));
      const items = ['F3', 'F4', 'F5'].map((sn) => delivered(charge(sn)));
      const result = await mine.handleAll(stream, items, { inboxConsumer: CONSUMER });
      expect(result).toMatchObject({
        attempts: 2,
        completed: 3,
        nextExpectedVersion: 5,
        state: { lines: 5 },
      });
      // Line numbers come from the state: the group was decided again after F2.
      expect(dataOf(await t.store.readStream(stream)).map((d) => [d.feedetl_sn, d.line_no])).toEqual([
        ['F1', 1],
        ['F2', 2],
        ['F3', 3],
        ['F4', 4],
        ['F5', 5],
      ]);
      // A conflict on every attempt gives up after the bounded retries, having written nothing.
      const stubborn = countingStore(t.store);
      const loser = new CommandHandler(stubborn.store, feeLedger);
      const otherStream = `visit-${randomUUID()}`;
      const race = async () => {
        await theirs.handle(otherStream, charge(`T${randomUUID()}`));
        stubborn.beforeNextAppend(race);
      };
      stubborn.beforeNextAppend(race);
      const lost = [delivered(charge('L1'))];
      await expect(
        loser.handleAll(otherStream, lost, { inboxConsumer: CONSUMER, retries: 2 }),
      ).rejects.toBeInstanceOf(ExpectedVersionConflictError);
      expect(stubborn.calls.appends).toBe(3);
      expect(await inboxed([lost[0].inboxMessageId as string])).toEqual([]);
    } finally {
      await second.destroy();
    }
  });

  it('a command decide refuses: the ones before it are appended, it is rejected, the later ones are left as they were', async () => {
    const stream = `visit-${randomUUID()}`;
    const handler = new CommandHandler(t.store, feeLedger);
    await handler.handle(stream, charge('F1'));
    const items = [
      delivered(charge('F2')),
      delivered(charge('F3')),
      delivered(charge('F1')),
      delivered(charge('F4')),
    ];
    const result = await handler.handleAll(stream, items, { inboxConsumer: CONSUMER });

    expect(result.outcomes.map((o) => o.kind)).toEqual(['handled', 'handled', 'rejected', 'not-handled']);
    const rejected = result.outcomes[2];
    expect(rejected.kind === 'rejected' && rejected.error).toBeInstanceOf(FeeAlreadyChargedError);
    expect(result).toMatchObject({ completed: 2, nextExpectedVersion: 3, state: { lines: 3 } });
    expect(dataOf(await t.store.readStream(stream)).map((d) => d.feedetl_sn)).toEqual(['F1', 'F2', 'F3']);
    const ids = items.map((i) => i.inboxMessageId as string);
    // Only the appended ones are in the inbox: the rejected and the later one can be handled again, in order.
    expect((await inboxed(ids)).sort()).toEqual([ids[0], ids[1]].sort());
    expect(await outboxCausedBy(ids)).toEqual([ids[0], ids[1]]);
    await expect(
      handler.handle(stream, items[2].command, { inboxMessageId: ids[2], inboxConsumer: CONSUMER }),
    ).rejects.toThrow(FeeAlreadyChargedError);
    expect(
      await handler.handle(stream, items[3].command, { inboxMessageId: ids[3], inboxConsumer: CONSUMER }),
    ).toMatchObject({ kind: 'handled', nextExpectedVersion: 4 });

    // Refused first: nothing to append, nothing written.
    const first = await handler.handleAll(stream, [delivered(charge('F1')), delivered(charge('F9'))], {
      inboxConsumer: CONSUMER,
    });
    expect(first.outcomes.map((o) => o.kind)).toEqual(['rejected', 'not-handled']);
    expect(first).toMatchObject({ completed: 0, nextExpectedVersion: 4 });
  });

  it('writes nothing of the group when its commit fails', async () => {
    const stream = `visit-${randomUUID()}`;
    const s = t.schema.schema;
    // A deferred constraint trigger refuses a poisoned outbox row at COMMIT, after every statement succeeded.
    await t.dataSource.query(`
      CREATE FUNCTION "${s}".refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.payload LIKE '%poison%' THEN RAISE EXCEPTION 'poisoned outbox row refused at commit'; END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER refuse_poison AFTER INSERT ON "${s}".outbox
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "${s}".refuse_poison();`);
    const handler = new CommandHandler(t.store, feeLedger);
    const items = ['F1', 'F2', 'F3'].map((sn) => delivered(charge(sn)));
    const poisoned = items.map((item, i) =>
      i < 2
        ? item
        : {
            ...item,
            outbox: (): OutboxMessage[] => [
              { messageId: randomUUID(), topic: 'insurance.inpatient', key: 'ZY', payload: 'poison' },
            ],
          },
    );
    await expect(handler.handleAll(stream, poisoned, { inboxConsumer: CONSUMER })).rejects.toThrow(
      'poisoned outbox row refused at commit',
    );
    const ids = items.map((i) => i.inboxMessageId as string);
    expect(await t.store.readStream(stream)).toEqual([]);
    expect(await inboxed(ids)).toEqual([]);
    expect(await outboxCausedBy(ids)).toEqual([]);
    // The connection went back to the pool usable, and the same messages are handled in full.
    const again = await handler.handleAll(stream, items, { inboxConsumer: CONSUMER });
    expect(again).toMatchObject({ completed: 3, nextExpectedVersion: 3 });
    expect((await inboxed(ids)).sort()).toEqual([...ids].sort());
  });

  it('decides as the same commands handled one by one would, down to the order of keys (jsonb sorts them)', async () => {
    // Each note records the state it was decided on, as text: key order shows.
    type Note = { type: 'Noted'; data: { fields: Record<string, string>; decidedOn: string } };
    const notes: Decider<Record<string, string>, Note, Record<string, string>[]> = {
      initialState: () => [],
      decide: (fields, state) => [{ type: 'Noted', data: { fields, decidedOn: JSON.stringify(state) } }],
      evolve: (state, event) => [...state, event.data.fields],
    };
    const commands: Record<string, string>[] = [
      { zeta: '1', a: '2', mid: '3', é: '4', ab: '5' },
      { b: '4', a: '5' },
      { c: '6' },
    ];
    const one = `notes-${randomUUID()}`;
    const oneByOne = new CommandHandler(t.store, notes);
    for (const command of commands) await oneByOne.handle(one, command);
    const grouped = `notes-${randomUUID()}`;
    await new CommandHandler(t.store, notes).handleAll(
      grouped,
      commands.map((command) => ({ command })),
    );
    const decidedOn = async (stream: string) =>
      (await t.store.readStream(stream)).map((e) => (e.data as Note['data']).decidedOn);
    expect(await decidedOn(grouped)).toEqual(await decidedOn(one));
    expect((await decidedOn(grouped))[1]).toBe('[{"a":"2","ab":"5","é":"4","mid":"3","zeta":"1"}]');
  });

  it("marks the stream as owing work in the group's transaction when the state after the group owes it", async () => {
    const prefix = `owing-${randomUUID().slice(0, 8)}-`;
    const handler = new CommandHandler(t.store, feeLedger);
    const owesWork = (state: FeeLedgerState) => state.lines >= 3;
    await handler.handleAll(`${prefix}short`, [delivered(charge('F1')), delivered(charge('F2'))], {
      inboxConsumer: CONSUMER,
      owesWork,
    });
    await handler.handleAll(
      `${prefix}long`,
      ['F1', 'F2', 'F3'].map((sn) => delivered(charge(sn))),
      {
        inboxConsumer: CONSUMER,
        owesWork,
      },
    );
    expect(await t.store.pendingWork(prefix)).toEqual([`${prefix}long`]);
    // Marked at the group's last version: a worker finished with an earlier one does not clear it.
    expect(await t.store.clearPendingWork(`${prefix}long`, 2)).toBe(false);
    expect(await t.store.clearPendingWork(`${prefix}long`, 3)).toBe(true);
  });

  it("stores each command's outbox rows with its own traceparent, else the caller's context", async () => {
    const stream = `visit-${randomUUID()}`;
    const handler = new CommandHandler(t.store, feeLedger);
    const traced = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const items = [{ ...delivered(charge('F1')), traceparent: traced }, delivered(charge('F2'))];
    await handler.handleAll(stream, items, { inboxConsumer: CONSUMER });
    const rows = await t.dataSource.query(
      `SELECT payload::jsonb->>'causedBy' AS caused_by, traceparent FROM ${t.store.tables.outbox}
       WHERE payload::jsonb->>'causedBy' = ANY($1) ORDER BY id`,
      [items.map((i) => i.inboxMessageId)],
    );
    // No tracer is registered in this test: the caller's context has no traceparent.
    expect(rows).toEqual([
      { caused_by: items[0].inboxMessageId, traceparent: traced },
      { caused_by: items[1].inboxMessageId, traceparent: null },
    ]);
  });
});
