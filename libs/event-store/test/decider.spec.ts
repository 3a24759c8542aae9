import { randomUUID } from 'node:crypto';
import {
  CommandHandler,
  ExpectedVersionConflictError,
  type CommandHandlerStore,
  type EventStore,
} from '../src';
import { feeLedger, FeeAlreadyChargedError, type FeeLedgerCommand } from './support/fee-ledger';
import { openTestEventStore, type TestEventStore } from './support/test-event-store';

/**
 * The real store, with every read held until `readers` reads have happened: the writers then
 * decide on the same version and race to append, deterministically.
 */
function storeWhereReadsMeet(store: EventStore, readers: number) {
  let arrived = 0;
  let release!: () => void;
  const allRead = new Promise<void>((resolve) => (release = resolve));
  return {
    appendToStream: store.appendToStream.bind(store),
    async readStreamAndInbox(...args: Parameters<EventStore['readStreamAndInbox']>) {
      const read = await store.readStreamAndInbox(...args);
      if (++arrived === readers) release();
      if (arrived <= readers) await allRead;
      return read;
    },
  };
}

describe('CommandHandler.handle against PostgreSQL', () => {
  let t: TestEventStore;
  beforeAll(async () => {
    t = await openTestEventStore('es_decider');
  });
  afterAll(() => t.close());

  /** A handler as one process has it: its own cache. */
  const handler = (store: CommandHandlerStore) => new CommandHandler(store, feeLedger);

  const charge = (feedetl_sn: string, det_item_fee_sumamt: string): FeeLedgerCommand => ({
    type: 'ChargeFee',
    feedetl_sn,
    det_item_fee_sumamt,
  });

  it('two writers racing on one stream: one wins, the other re-decides on fresh state, both decisions hold', async () => {
    const stream = `visit-${randomUUID()}`;
    await handler(t.store).handle(stream, charge('F0', '5'));
    const racing = storeWhereReadsMeet(t.store, 2);
    const results = await Promise.all([
      handler(racing).handle(stream, charge('F1', '12.5')),
      handler(racing).handle(stream, charge('F2', '0.3')),
    ]);
    expect(results.map((r) => r.kind === 'handled' && r.attempts).sort()).toEqual([1, 2]);
    const events = await t.store.readStream(stream);
    // Line numbers come from the state: the loser decided again on the winner's event.
    expect(events.map((e) => [e.streamVersion, (e.data as { line_no: number }).line_no])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(events.map((e) => (e.data as { feedetl_sn: string }).feedetl_sn).sort()).toEqual([
      'F0',
      'F1',
      'F2',
    ]);
  });

  it('gives up with the conflict after the bounded retries', async () => {
    const stream = `visit-${randomUUID()}`;
    const racing = storeWhereReadsMeet(t.store, 2);
    const results = await Promise.allSettled([
      handler(racing).handle(stream, charge('F1', '1'), { retries: 0 }),
      handler(racing).handle(stream, charge('F2', '1'), { retries: 0 }),
    ]);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(ExpectedVersionConflictError);
    expect(await t.store.readStream(stream)).toHaveLength(1);
  });

  it('re-decides a retried command against the rules: a fee charged by the winner is refused', async () => {
    const stream = `visit-${randomUUID()}`;
    const racing = storeWhereReadsMeet(t.store, 2);
    const results = await Promise.allSettled([
      handler(racing).handle(stream, charge('F1', '1')),
      handler(racing).handle(stream, charge('F1', '1')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused!.reason).toBeInstanceOf(FeeAlreadyChargedError);
  });

  it('the same message delivered twice has one effect, and is reported as a duplicate before deciding', async () => {
    const stream = `visit-${randomUUID()}`;
    const delivery = { inboxMessageId: randomUUID(), inboxConsumer: 'fee-detail' };
    const outbox = (events: readonly unknown[]) =>
      events.map(() => ({
        messageId: randomUUID(),
        topic: 'insurance.inpatient',
        key: 'ZY7',
        payload: '{}',
      }));
    const ledgers = handler(t.store);
    const first = await ledgers.handle(stream, charge('F1', '8.88'), {
      ...delivery,
      outbox,
    });
    expect(first).toMatchObject({ kind: 'handled', nextExpectedVersion: 1 });
    // The redelivery would be refused by the rules (F1 is charged): the inbox answers first.
    const second = await ledgers.handle(stream, charge('F1', '8.88'), {
      ...delivery,
      outbox,
    });
    expect(second).toEqual({
      kind: 'duplicate-message',
      messageId: delivery.inboxMessageId,
      consumer: 'fee-detail',
    });
    expect(await t.store.readStream(stream)).toHaveLength(1);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM ${t.store.tables.outbox} WHERE message_key = 'ZY7'`,
    );
    expect(count).toBe(1);
  });
});
