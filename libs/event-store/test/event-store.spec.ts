import { randomUUID } from 'node:crypto';
import { waitFor, withClient } from '@yb/testing';
import {
  EventStoreInputError,
  ExpectedVersionConflictError,
  LOG_START,
  type Appended,
  type RecordedEvent,
} from '../src';
import { openTestEventStore, type TestEventStore } from './support/test-event-store';

const charged = (feedetl_sn: string, det_item_fee_sumamt: string) => ({
  type: 'FeeCharged',
  data: { feedetl_sn, det_item_fee_sumamt },
});

describe('EventStore on PostgreSQL', () => {
  let t: TestEventStore;
  beforeAll(async () => {
    t = await openTestEventStore('es_store');
  });
  afterAll(() => t.close());

  it('creates its tables by migration in the configured schema, ordering columns included', async () => {
    const columns = await t.dataSource.query(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = $1 AND column_name IN ('transaction_id', 'data', 'headers') ORDER BY 1, 2`,
      [t.schema.schema],
    );
    expect(columns).toEqual([
      { table_name: 'checkpoints', column_name: 'transaction_id', data_type: 'xid8' },
      { table_name: 'events', column_name: 'data', data_type: 'jsonb' },
      { table_name: 'events', column_name: 'transaction_id', data_type: 'xid8' },
      { table_name: 'outbox', column_name: 'headers', data_type: 'jsonb' },
      { table_name: 'outbox', column_name: 'transaction_id', data_type: 'xid8' },
      { table_name: 'outbox_quarantine', column_name: 'headers', data_type: 'jsonb' },
    ]);
    // Running the migrations again is a no-op.
    expect(await t.dataSource.showMigrations()).toBe(false);
  });

  it('appends at the expected version and reads the stream back in order', async () => {
    const stream = `visit-${randomUUID()}`;
    const first = await t.store.appendToStream(stream, 'no-stream', [
      charged('F1', '10.00'),
      charged('F2', '0.10'),
    ]);
    expect(first).toMatchObject({ kind: 'appended', nextExpectedVersion: 2 });
    const second = await t.store.appendToStream(stream, 2, [charged('F3', '0.20')]);
    expect(second).toMatchObject({ kind: 'appended', nextExpectedVersion: 3 });
    const events = await t.store.readStream(stream);
    expect(events.map((e) => [e.streamVersion, e.type, e.data])).toEqual([
      [1, 'FeeCharged', { feedetl_sn: 'F1', det_item_fee_sumamt: '10.00' }],
      [2, 'FeeCharged', { feedetl_sn: 'F2', det_item_fee_sumamt: '0.10' }],
      [3, 'FeeCharged', { feedetl_sn: 'F3', det_item_fee_sumamt: '0.20' }],
    ]);
    expect(second.kind === 'appended' && second.lastPosition).toEqual(events[2].position);
  });

  it('refuses an append at the wrong version with a typed conflict and writes nothing', async () => {
    const stream = `visit-${randomUUID()}`;
    await t.store.appendToStream(stream, 'no-stream', [charged('F1', '1.00')]);
    const refused = t.store.appendToStream(stream, 'no-stream', [charged('F2', '2.00')]);
    await expect(refused).rejects.toBeInstanceOf(ExpectedVersionConflictError);
    await expect(refused).rejects.toMatchObject({
      streamId: stream,
      expectedVersion: 'no-stream',
      actualVersion: 1,
    });
    await expect(t.store.appendToStream(stream, 5, [charged('F2', '2.00')])).rejects.toMatchObject({
      actualVersion: 1,
    });
    expect(await t.store.readStream(stream)).toHaveLength(1);
    await expect(t.store.appendToStream(stream, 'any', [charged('F2', '2.00')])).resolves.toMatchObject({
      nextExpectedVersion: 2,
    });
  });

  it('rejects bad input naming the field', async () => {
    await expect(t.store.appendToStream('', 'any', [])).rejects.toThrow(
      'streamId must be a non-empty string',
    );
    await expect(t.store.appendToStream('s', 'any', [{ type: 'X', data: undefined }])).rejects.toThrow(
      EventStoreInputError,
    );
    await expect(
      t.store.appendToStream('s', 'any', [], {
        outbox: [{ messageId: 'x', topic: 't', key: null, payload: '' }],
      }),
    ).rejects.toThrow('outbox[0].messageId must be a UUID');
  });

  it('writes events, outbox rows and the inbox record in one transaction; a redelivered message has one effect', async () => {
    const stream = `visit-${randomUUID()}`;
    const messageId = randomUUID();
    const outbox = [
      { messageId: randomUUID(), topic: 'insurance.inpatient', key: 'ZY9', payload: '{"fee":"F1"}' },
    ];
    const options = { outbox, inboxMessageId: messageId, inboxConsumer: 'fee-detail' };
    const first = await t.store.appendToStream(stream, 'any', [charged('F1', '3.00')], options);
    expect(first.kind).toBe('appended');
    // The same HIS message again, sequentially and then twice at once.
    const again = await t.store.appendToStream(stream, 'any', [charged('F1', '3.00')], options);
    expect(again).toEqual({ kind: 'duplicate-message', messageId, consumer: 'fee-detail' });
    const concurrent = await Promise.all(
      [1, 2].map(() =>
        t.store.appendToStream(stream, 'any', [charged('F1', '3.00')], {
          ...options,
          outbox: [{ ...outbox[0], messageId: randomUUID() }],
        }),
      ),
    );
    expect(concurrent.map((r) => r.kind)).toEqual(['duplicate-message', 'duplicate-message']);
    expect(await t.store.readStream(stream)).toHaveLength(1);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM ${t.store.tables.outbox} WHERE message_key = 'ZY9'`,
    );
    expect(count).toBe(1);
    expect(await t.store.isMessageProcessed(messageId, 'fee-detail')).toBe(true);
    // Another handler of the same message is a different consumer: its effect is not swallowed.
    expect(await t.store.isMessageProcessed(messageId, 'quality')).toBe(false);
  });

  it('writes several events and outbox rows in their order, their text exactly as given', async () => {
    const stream = `visit-${randomUUID()}`;
    // What an array literal would have to escape, and what JSON must: quotes, backslashes, braces, commas, NULL as
    // a word, newlines, Chinese and an astral character.
    const awkward = 'a "quoted", {braced} \\ back\\slash NULL\n换行 😀 \u2028';
    const events = [
      { type: 'FeeCharged', data: { feedetl_sn: 'F1', note: awkward }, metadata: { why: awkward } },
      { type: 'FeeCharged', data: { feedetl_sn: 'F2', nested: [{ note: awkward }, null, 1.5] } },
      { type: 'FeeVoided', data: { feedetl_sn: 'F1' } },
    ];
    const outbox = [
      { messageId: randomUUID(), topic: 't1', key: stream, payload: `{"note":${JSON.stringify(awkward)}}` },
      { messageId: randomUUID(), topic: 't2', key: null, payload: awkward, headers: { 'x-note': awkward } },
      // A lone surrogate goes into UTF-8 as U+FFFD, as pg writes any string.
      { messageId: randomUUID(), topic: 't3', key: stream, payload: 'lone \ud800 surrogate' },
    ];
    expect((await t.store.appendToStream(stream, 'no-stream', events, { outbox })).kind).toBe('appended');
    const read = await t.store.readStream(stream);
    expect(read.map((e) => [e.streamVersion, e.type, e.data])).toEqual(
      events.map((e, i) => [i + 1, e.type, e.data]),
    );
    expect(read[0]!.metadata).toEqual({ why: awkward });
    const rows = await t.dataSource.query(
      `SELECT message_id, topic, message_key, payload, headers FROM ${t.store.tables.outbox}
       WHERE message_id = ANY($1::uuid[]) ORDER BY id`,
      [outbox.map((m) => m.messageId)],
    );
    expect(rows).toEqual([
      {
        message_id: outbox[0]!.messageId,
        topic: 't1',
        message_key: stream,
        payload: outbox[0]!.payload,
        headers: {},
      },
      {
        message_id: outbox[1]!.messageId,
        topic: 't2',
        message_key: null,
        payload: awkward,
        headers: { 'x-note': awkward },
      },
      {
        message_id: outbox[2]!.messageId,
        topic: 't3',
        message_key: stream,
        payload: 'lone \ufffd surrogate',
        headers: {},
      },
    ]);
  });
  it('at an expected version, two appends at once: one is written, the other is a conflict that wrote nothing', async () => {
    const stream = `visit-${randomUUID()}`;
    await t.store.appendToStream(stream, 'no-stream', [charged('F0', '1.00')]);
    const messages = [randomUUID(), randomUUID()];
    const results = await Promise.allSettled(
      messages.map((inboxMessageId, i) =>
        t.store.appendToStream(stream, 1, [charged(`F${i + 1}`, '2.00')], {
          inboxMessageId,
          inboxConsumer: 'fee-detail',
          outbox: [{ messageId: randomUUID(), topic: 'insurance.inpatient', key: stream, payload: '{}' }],
        }),
      ),
    );
    const written = results.findIndex((r) => r.status === 'fulfilled');
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results[1 - written] as PromiseRejectedResult).reason).toBeInstanceOf(
      ExpectedVersionConflictError,
    );
    expect((await t.store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2]);
    expect(await t.store.isMessageProcessed(messages[written], 'fee-detail')).toBe(true);
    expect(await t.store.isMessageProcessed(messages[1 - written], 'fee-detail')).toBe(false);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM ${t.store.tables.outbox} WHERE message_key = $1`,
      [stream],
    );
    expect(count).toBe(1);
  });

  it('at an expected version, a message another consumer records while the append runs is a duplicate, nothing written', async () => {
    const stream = `visit-${randomUUID()}`;
    const messageId = randomUUID();
    await withClient(t.schema.databaseUrl, async (other) => {
      // The other consumer's transaction holds the inbox row, uncommitted: the append's inbox insert waits on it.
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO ${t.store.tables.inbox} (message_id, consumer) VALUES ($1, 'fee-detail')`,
        [messageId],
      );
      const append = t.store.appendToStream(stream, 'no-stream', [charged('F1', '3.00')], {
        inboxMessageId: messageId,
        inboxConsumer: 'fee-detail',
      });
      await waitFor('the append waiting on the inbox row', async () => {
        const { rows } = await other.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted`,
        );
        return rows[0].n > 0 ? true : undefined;
      });
      await other.query('COMMIT');
      expect(await append).toEqual({ kind: 'duplicate-message', messageId, consumer: 'fee-detail' });
    });
    expect(await t.store.readStream(stream)).toEqual([]);
  });

  it('sends the appends asked for while one is in flight as one statement, each checked against its own stream', async () => {
    const [first, a, b, c, d] = Array.from({ length: 5 }, () => `visit-${randomUUID()}`);
    const handledAlready = randomUUID();
    await t.store.appendToStream(d, 'no-stream', [charged('F1', '1.00')], {
      inboxMessageId: handledAlready,
      inboxConsumer: 'fee-detail',
    });
    await t.store.appendToStream(c, 'no-stream', [charged('F1', '1.00')]);
    // The first goes at once, alone; the others wait for it and go together.
    const appends = [
      t.store.appendToStream(first, 'no-stream', [charged('F1', '1.00')]),
      t.store.appendToStream(a, 'no-stream', [charged('F1', '1.00'), charged('F2', '2.00')], {
        markPendingWork: true,
        outbox: [{ messageId: randomUUID(), topic: 'insurance.inpatient', key: a, payload: '{"a":1}' }],
      }),
      t.store.appendToStream(b, 'no-stream', [charged('F1', '1.00')]),
      t.store.appendToStream(c, 'no-stream', [charged('F9', '9.00')]), // at 1 already: refused
      t.store.appendToStream(d, 1, [charged('F2', '1.00')], {
        inboxMessageId: handledAlready,
        inboxConsumer: 'fee-detail',
      }),
    ];
    const [one, withA, withB, refused, duplicate] = await Promise.allSettled(appends);
    expect(one).toMatchObject({ status: 'fulfilled', value: { kind: 'appended', nextExpectedVersion: 1 } });
    expect(withA).toMatchObject({ status: 'fulfilled', value: { kind: 'appended', nextExpectedVersion: 2 } });
    expect(withB).toMatchObject({ status: 'fulfilled', value: { kind: 'appended', nextExpectedVersion: 1 } });
    expect(refused).toMatchObject({ status: 'rejected', reason: { actualVersion: 1 } });
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(ExpectedVersionConflictError);
    expect(duplicate).toEqual({
      status: 'fulfilled',
      value: { kind: 'duplicate-message', messageId: handledAlready, consumer: 'fee-detail' },
    });
    const positions = [withA, withB].map((r) => (r as PromiseFulfilledResult<Appended>).value.lastPosition!);
    // One transaction for the group, another for the first.
    expect(positions[0].transactionId).toBe(positions[1].transactionId);
    expect(positions[0].transactionId).not.toBe(
      (one as PromiseFulfilledResult<Appended>).value.lastPosition!.transactionId,
    );
    expect((await t.store.readStream(a)).map((e) => e.streamVersion)).toEqual([1, 2]);
    expect(await t.store.readStream(c)).toHaveLength(1);
    expect(await t.store.readStream(d)).toHaveLength(1);
    expect(await t.store.pendingWork(a)).toEqual([a]);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM ${t.store.tables.outbox} WHERE message_key = $1`,
      [a],
    );
    expect(n).toBe(1);
  });

  it('sends the appends of a group one by one after a race one of them met: only that one sees it', async () => {
    const [first, racing, other] = Array.from({ length: 3 }, () => `visit-${randomUUID()}`);
    const blockedOn = (stream: string) =>
      waitFor(`an append waiting on ${stream}'s version`, async () => {
        const [{ n }] = await t.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE wait_event_type = 'Lock' AND query LIKE 'WITH %' AND query LIKE '%' || $1 || '%'`,
          [t.store.tables.schema],
        );
        return n > 0 ? true : undefined;
      });
    const insertVersion1 = (
      client: { query: (text: string, values: unknown[]) => Promise<unknown> },
      stream: string,
    ) =>
      client.query(
        `INSERT INTO ${t.store.tables.events} (stream_id, stream_version, type, schema_version, data, metadata)
         VALUES ($1, 1, 'FeeCharged', 1, '{}', '{}')`,
        [stream],
      );
    await withClient(t.schema.databaseUrl, async (holdsFirst) => {
      await withClient(t.schema.databaseUrl, async (racer) => {
        await holdsFirst.query('BEGIN');
        await insertVersion1(holdsFirst, first);
        const appendFirst = t.store.appendToStream(first, 'no-stream', [charged('F1', '1.00')]);
        await blockedOn(first);
        // These two wait for the first's statement, and then go together.
        const appendRacing = t.store.appendToStream(racing, 'no-stream', [charged('F1', '1.00')]);
        const appendOther = t.store.appendToStream(other, 'no-stream', [charged('F1', '1.00')]);
        await racer.query('BEGIN');
        await insertVersion1(racer, racing);
        await holdsFirst.query('ROLLBACK');
        expect(await appendFirst).toMatchObject({ kind: 'appended', nextExpectedVersion: 1 });
        await blockedOn(racing);
        await racer.query('COMMIT');
        await expect(appendRacing).rejects.toBeInstanceOf(ExpectedVersionConflictError);
        expect(await appendOther).toMatchObject({ kind: 'appended', nextExpectedVersion: 1 });
      });
    });
    expect(await t.store.readStream(other)).toHaveLength(1);
  });

  it('marks a stream as owing work in the append that made it owe it, and clears the mark only up to the version finished with', async () => {
    const prefix = `owing-${randomUUID().slice(0, 8)}-`;
    const [a, b] = [`${prefix}A`, `${prefix}B`];
    await t.store.appendToStream(a, 'no-stream', [charged('F1', '1.00')], { markPendingWork: true });
    await t.store.appendToStream(b, 'no-stream', [charged('F1', '1.00')]);
    // An append that writes no event marks nothing (a redelivery, an inbox-only record).
    await t.store.appendToStream(b, 1, [], { markPendingWork: true, outbox: [] });
    expect(await t.store.pendingWork(prefix)).toEqual([a]);

    // Work owed again while a worker ran (version 2) is not cleared by the worker that finished at 1.
    await t.store.appendToStream(a, 1, [charged('F2', '2.00')], { markPendingWork: true });
    expect(await t.store.clearPendingWork(a, 1)).toBe(false);
    expect(await t.store.pendingWork(prefix)).toEqual([a]);
    expect(await t.store.clearPendingWork(a, 2)).toBe(true);
    expect(await t.store.pendingWork(prefix)).toEqual([]);

    // A failed append leaves no mark.
    await expect(
      t.store.appendToStream(a, 1, [charged('F3', '3.00')], { markPendingWork: true }),
    ).rejects.toBeInstanceOf(ExpectedVersionConflictError);
    expect(await t.store.pendingWork(prefix)).toEqual([]);
  });

  it("clears a stream's mark, lease and all, in the worker's append that leaves it owing nothing; a failed one clears nothing", async () => {
    const prefix = `settled-${randomUUID().slice(0, 8)}-`;
    const stream = `${prefix}A`;
    await t.store.appendToStream(stream, 'no-stream', [charged('F1', '1.00')], { markPendingWork: true });
    expect(await t.store.claimPendingWork(stream, 'replica-a', 60_000)).toEqual({
      claimed: true,
      streamVersion: 1,
    });
    // Refused: the version is not the stream's, or the options contradict each other.
    await expect(
      t.store.appendToStream(stream, 0, [charged('F2', '2.00')], { clearPendingWork: true }),
    ).rejects.toBeInstanceOf(ExpectedVersionConflictError);
    await expect(
      t.store.appendToStream(stream, 1, [charged('F2', '2.00')], {
        clearPendingWork: true,
        markPendingWork: true,
      }),
    ).rejects.toThrow(EventStoreInputError);
    expect(await t.store.pendingWork(prefix)).toEqual([stream]);

    await t.store.appendToStream(stream, 1, [charged('F2', '2.00')], { clearPendingWork: true });
    expect(await t.store.pendingWork(prefix)).toEqual([]);
    // The lease went with the mark: another replica claims the stream at once.
    expect(await t.store.claimPendingWork(stream, 'replica-b', 60_000)).toEqual({
      claimed: true,
      streamVersion: 2,
    });
  });

  it("takes the stream's lease with its mark where no lease holds it, and leaves a lease held as it is", async () => {
    const prefix = `taken-${randomUUID().slice(0, 8)}-`;
    const stream = `${prefix}A`;
    const lease = (holder: string) => ({ holder, leaseMs: 60_000 });
    const leaseRow = async () =>
      (
        await t.dataSource.query(
          `SELECT leased_by, lease_until > now() AS live FROM ${t.store.tables.pendingWork} WHERE stream_id = $1`,
          [stream],
        )
      )[0];

    // A new mark, no lease on it: taken.
    expect(
      await t.store.appendToStream(stream, 'no-stream', [charged('F1', '1.00')], {
        markPendingWork: true,
        takeLease: lease('replica-a'),
      }),
    ).toMatchObject({ kind: 'appended', nextExpectedVersion: 1, leaseTaken: true });
    expect(await leaseRow()).toEqual({ leased_by: 'replica-a', live: true });
    expect(await t.store.claimPendingWork(stream, 'replica-b', 60_000)).toMatchObject({ claimed: false });

    // Held, by another holder or by the same one (its run is on the stream): the mark moves, the lease stays.
    for (const [version, holder] of [
      [1, 'replica-b'],
      [2, 'replica-a'],
    ] as const) {
      const [{ lease_until: before }] = await t.dataSource.query(
        `SELECT lease_until FROM ${t.store.tables.pendingWork} WHERE stream_id = $1`,
        [stream],
      );
      expect(
        await t.store.appendToStream(stream, version, [charged(`F${version + 1}`, '1.00')], {
          markPendingWork: true,
          takeLease: lease(holder),
        }),
      ).toMatchObject({ leaseTaken: false });
      const [after] = await t.dataSource.query(
        `SELECT leased_by, lease_until, stream_version FROM ${t.store.tables.pendingWork} WHERE stream_id = $1`,
        [stream],
      );
      expect(after).toEqual({
        leased_by: 'replica-a',
        lease_until: before,
        stream_version: String(version + 1),
      });
    }

    // A lease run out is free: taken.
    await t.dataSource.query(
      `UPDATE ${t.store.tables.pendingWork} SET lease_until = now() - interval '1 second' WHERE stream_id = $1`,
      [stream],
    );
    expect(
      await t.store.appendToStream(stream, 3, [charged('F4', '1.00')], {
        markPendingWork: true,
        takeLease: lease('replica-b'),
      }),
    ).toMatchObject({ leaseTaken: true });
    expect(await leaseRow()).toEqual({ leased_by: 'replica-b', live: true });

    // Released, then marked without asking for the lease: none taken. Nor is one by an append that marks nothing.
    await t.store.releasePendingWork(stream, 'replica-b');
    expect(
      await t.store.appendToStream(stream, 4, [charged('F5', '1.00')], { markPendingWork: true }),
    ).toMatchObject({ leaseTaken: false });
    expect(
      await t.store.appendToStream(stream, 5, [charged('F6', '1.00')], { takeLease: lease('replica-b') }),
    ).toMatchObject({ leaseTaken: false });
    expect(await leaseRow()).toEqual({ leased_by: null, live: null });

    await expect(
      t.store.appendToStream(stream, 6, [], { markPendingWork: true, takeLease: { holder: '', leaseMs: 1 } }),
    ).rejects.toThrow(EventStoreInputError);
    await expect(
      t.store.appendToStream(stream, 6, [], {
        markPendingWork: true,
        takeLease: { holder: 'a', leaseMs: 0.5 },
      }),
    ).rejects.toThrow(EventStoreInputError);
  });

  it('records several messages in the inbox with one append, or writes nothing and names those handled already', async () => {
    const stream = `visit-${randomUUID()}`;
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const options = (inboxMessageIds: string[]) => ({
      inboxMessageIds,
      inboxConsumer: 'fee-detail',
      outbox: [{ messageId: randomUUID(), topic: 'insurance.inpatient', key: stream, payload: '{}' }],
    });
    expect(
      await t.store.appendToStream(stream, 'no-stream', [charged('F1', '1.00')], options([a, b])),
    ).toMatchObject({ kind: 'appended', nextExpectedVersion: 1 });
    expect(await t.store.appendToStream(stream, 1, [charged('F2', '1.00')], options([c, b]))).toEqual({
      kind: 'duplicate-messages',
      messageIds: [b],
      consumer: 'fee-detail',
    });
    // Nothing of the refused append: not c's inbox record, not its event, not its outbox row.
    expect(await t.store.isMessageProcessed(c, 'fee-detail')).toBe(false);
    expect(await t.store.readStream(stream)).toHaveLength(1);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM ${t.store.tables.outbox} WHERE message_key = $1`,
      [stream],
    );
    expect(count).toBe(1);
    await expect(t.store.appendToStream(stream, 1, [], options([c, c]))).rejects.toThrow(
      `inboxMessageIds[1] repeats ${c}`,
    );
    await expect(
      t.store.appendToStream(stream, 1, [], { ...options([c]), inboxMessageId: c }),
    ).rejects.toThrow(EventStoreInputError);
  });

  it('reads the events after a version and which of the messages the inbox holds in one query', async () => {
    const stream = `visit-${randomUUID()}`;
    const [handled, fresh] = [randomUUID(), randomUUID()];
    const lookUp = { inboxMessageIds: [handled, fresh], inboxConsumer: 'fee-detail' };
    expect(await t.store.readStreamAndInbox(stream, lookUp)).toEqual({
      events: [],
      processedMessageIds: new Set(),
    });
    await t.store.appendToStream(stream, 'no-stream', [charged('F1', '1.00'), charged('F2', '2.00')], {
      inboxMessageId: handled,
      inboxConsumer: 'fee-detail',
    });
    const read = await t.store.readStreamAndInbox(stream, { ...lookUp, afterVersion: 1 });
    expect(read.events).toEqual((await t.store.readStream(stream)).slice(1));
    expect(read.processedMessageIds).toEqual(new Set([handled]));
    // Another consumer's record is not this one's.
    expect(
      (await t.store.readStreamAndInbox(stream, { ...lookUp, inboxConsumer: 'quality' })).processedMessageIds,
    ).toEqual(new Set());
  });

  it('rolls the inbox record back with a failed append, so the message can be handled again', async () => {
    const stream = `visit-${randomUUID()}`;
    const messageId = randomUUID();
    await t.store.appendToStream(stream, 'no-stream', [charged('F1', '1.00')]);
    const options = { inboxMessageId: messageId, inboxConsumer: 'fee-detail' };
    await expect(
      t.store.appendToStream(stream, 'no-stream', [charged('F2', '1.00')], options),
    ).rejects.toThrow(ExpectedVersionConflictError);
    expect(await t.store.isMessageProcessed(messageId, 'fee-detail')).toBe(false);
    await expect(t.store.appendToStream(stream, 1, [charged('F2', '1.00')], options)).resolves.toMatchObject({
      kind: 'appended',
    });
  });

  it('readAll never moves past an event whose transaction commits late', async () => {
    const late = `late-${randomUUID()}`;
    const early = `early-${randomUUID()}`;
    const mine = (events: RecordedEvent[]) =>
      events.filter((e) => e.streamId === late || e.streamId === early);
    const before = await t.store.readAll({ limit: 10_000 });
    const from = before.length ? before[before.length - 1].position : LOG_START;

    await withClient(t.schema.databaseUrl, async (writerA) => {
      // Transaction A takes the lower global position, then stays open.
      await writerA.query('BEGIN');
      const [a] = (
        await writerA.query(
          `INSERT INTO ${t.store.tables.events} (stream_id, stream_version, type, schema_version, data)
           VALUES ($1, 1, 'FeeCharged', 1, '{"feedetl_sn":"A"}') RETURNING global_position`,
          [late],
        )
      ).rows;
      // Transaction B takes a higher position and commits first.
      const b = await t.store.appendToStream(early, 'no-stream', [charged('B', '1.00')]);
      expect(b.kind === 'appended' && b.lastPosition!.globalPosition).toBeGreaterThan(
        BigInt(a.global_position),
      );

      // B is committed and visible, yet a reader must not return it before A is settled: its
      // checkpoint would then be past A's position and A would never be read.
      expect(mine(await t.store.readAll({ after: from }))).toEqual([]);
      const committed = await t.dataSource.query(
        `SELECT 1 FROM ${t.store.tables.events} WHERE stream_id = $1`,
        [early],
      );
      expect(committed).toHaveLength(1);

      await writerA.query('COMMIT');
    });

    // Only this test's events: others' appends committed before `from` may have been held back by a
    // transaction elsewhere in the cluster (the same rule) and come after it.
    const all = mine(await waitForEvents(from, mine, 2));
    expect(all.map((e) => e.streamId)).toEqual([late, early]);
    expect(all[0].position.transactionId).toBeLessThan(all[1].position.transactionId);
  });

  async function waitForEvents(
    from: RecordedEvent['position'],
    mine: (events: RecordedEvent[]) => RecordedEvent[],
    count: number,
  ): Promise<RecordedEvent[]> {
    return waitFor(`${count} events after the late commit`, async () => {
      const events = await t.store.readAll({ after: from, limit: 10_000 });
      return mine(events).length >= count ? events : undefined;
    });
  }
});
