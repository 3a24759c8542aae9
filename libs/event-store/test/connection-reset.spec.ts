import { TcpProxy, waitFor, withClient } from '@yb/testing';
import { type DataSource } from 'typeorm';
import { createEventStoreDataSource, EventStore } from '../src';
import { openTestEventStore, type TestEventStore } from './support/test-event-store';

// PostgreSQL reset under an append (a failover): the append fails with the connection error, as a transient fault
// its caller waits out, and the process goes on (a checked-out pg client with no 'error' listener would throw an
// uncaught 'error' event and end it).

describe('an append when PostgreSQL resets its connection', () => {
  let t: TestEventStore;
  let proxy: TcpProxy;
  let throughProxy: DataSource;

  beforeAll(async () => {
    t = await openTestEventStore('reset');
    const url = new URL(t.schema.databaseUrl);
    proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.start();
    url.port = String(proxy.port);
    throughProxy = createEventStoreDataSource({ databaseUrl: url.toString(), schema: t.schema.schema });
    await throughProxy.initialize();
  });

  afterAll(async () => {
    await throughProxy?.destroy().catch(() => undefined);
    await proxy?.stop();
    await t?.close();
  });

  it('at any version (behind the stream lock): rejects with the connection error and leaves the process running; the next append works', async () => {
    const store = new EventStore(throughProxy);
    const streamId = 'visit-RESET1';
    // The stream's lock held elsewhere: the append waits on it, its statement in flight when the reset comes.
    await withClient(t.schema.databaseUrl, async (holder) => {
      await holder.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [t.schema.schema, streamId]);
      const append = store.appendToStream(streamId, 'any', [{ type: 'Admitted', data: {} }]);
      const settled = append.then(
        () => 'appended',
        (err: Error) => err.message,
      );
      await waitFor('the append waiting on the lock', async () => {
        const { rows } = await holder.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
        );
        return rows[0].n > 0 ? true : undefined;
      });
      await proxy.stop();
      expect(await settled).toMatch(/Connection terminated|ECONNRESET|terminated unexpectedly/);
      await holder.query('SELECT pg_advisory_unlock_all()');
    });
    await proxy.start();
    expect(await store.appendToStream(streamId, 'no-stream', [{ type: 'Admitted', data: {} }])).toMatchObject(
      {
        kind: 'appended',
      },
    );
  });

  it('at an expected version (one statement): rejects with the connection error and the next append works', async () => {
    const store = new EventStore(throughProxy);
    const streamId = 'visit-RESET2';
    // Another transaction's uncommitted version 1 of the stream: the append's insert waits on it.
    await withClient(t.schema.databaseUrl, async (holder) => {
      await holder.query('BEGIN');
      await holder.query(
        `INSERT INTO ${store.tables.events} (stream_id, stream_version, type, schema_version, data, metadata)
         VALUES ($1, 1, 'Admitted', 1, '{}', '{}')`,
        [streamId],
      );
      const settled = store.appendToStream(streamId, 'no-stream', [{ type: 'Admitted', data: {} }]).then(
        () => 'appended',
        (err: Error) => err.message,
      );
      const appending = await waitFor('the append waiting on the uncommitted version', async () => {
        const { rows } = await holder.query<{ pid: number }>(
          `SELECT pid FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted`,
        );
        return rows[0]?.pid;
      });
      await proxy.stop();
      expect(await settled).toMatch(/Connection terminated|ECONNRESET|terminated unexpectedly/);
      await holder.query('ROLLBACK');
      // The server runs the statement on once the version is free, then finds its client gone and ends: read the
      // stream only after, or its commit may land between the read and the next append (seen in CI).
      await waitFor('the append’s server process to end', async () => {
        const { rows } = await holder.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [appending]);
        return rows.length === 0 ? true : undefined;
      });
    });
    await proxy.start();
    // Like a COMMIT in flight, it may have committed after its client was gone (a caller's retry finds it by the
    // inbox or the version).
    const version = (await store.readStream(streamId)).length;
    expect(await store.appendToStream(streamId, version, [{ type: 'Admitted', data: {} }])).toMatchObject({
      kind: 'appended',
      nextExpectedVersion: version + 1,
    });
  });
});
