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

  it('rejects with the connection error and leaves the process running; the next append works', async () => {
    const store = new EventStore(throughProxy);
    const streamId = 'visit-RESET1';
    // The stream's lock held elsewhere: the append waits on it, its statement in flight when the reset comes.
    await withClient(t.schema.databaseUrl, async (holder) => {
      await holder.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [t.schema.schema, streamId]);
      const append = store.appendToStream(streamId, 'no-stream', [{ type: 'Admitted', data: {} }]);
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
});
