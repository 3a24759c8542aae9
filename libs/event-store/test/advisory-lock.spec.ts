import { waitFor, withClient } from '@yb/testing';
import { type Pool } from 'pg';
import { type PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { withAdvisoryLock } from '../src';
import { openTestEventStore, type TestEventStore } from './support/test-event-store';

// The lock a saga step, an audit or a download holds while it runs (across replicas): one holder per key at a
// time, given back when the work ends however it ends, and never left behind on a pooled connection.

describe('withAdvisoryLock', () => {
  let t: TestEventStore;
  let pool: Pool;
  const scope = 'advisory-lock-spec';

  beforeAll(async () => {
    t = await openTestEventStore('advisory-lock');
    pool = (t.dataSource.driver as PostgresDriver).master as Pool;
  });

  afterAll(async () => {
    await t?.close();
  });

  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { open, opened };
  };

  /** The backend holding (scope, key)'s lock, or undefined. */
  const holderOf = (key: string) =>
    withClient(t.schema.databaseUrl, async (client) => {
      const { rows } = await client.query<{ pid: number }>(
        `SELECT l.pid FROM pg_locks l
          WHERE l.locktype = 'advisory' AND l.granted
            AND l.classid::int = hashtext($1) AND l.objid::int = hashtext($2)`,
        [scope, key],
      );
      return rows[0]?.pid;
    });

  it('runs the holders of one key one after the other, and of another key meanwhile', async () => {
    const order: string[] = [];
    const first = gate();
    const a1 = withAdvisoryLock(t.dataSource, scope, 'ZY-A', async () => {
      order.push('A1 start');
      await first.opened;
      order.push('A1 end');
    });
    await waitFor('A1 holding the lock', () => (order.includes('A1 start') ? true : undefined));
    const a2 = withAdvisoryLock(t.dataSource, scope, 'ZY-A', async () => order.push('A2'));
    await withAdvisoryLock(t.dataSource, scope, 'ZY-B', async () => order.push('B'));
    await waitFor('A2 waiting on the lock', async () => {
      const waiting = await withClient(t.schema.databaseUrl, (c) =>
        c.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`),
      );
      return waiting.rowCount! > 0 ? true : undefined;
    });
    expect(order).toEqual(['A1 start', 'B']);
    first.open();
    await Promise.all([a1, a2]);
    expect(order).toEqual(['A1 start', 'B', 'A1 end', 'A2']);
    expect(await holderOf('ZY-A')).toBeUndefined();
  });

  it('gives the lock back when the work throws, and the connection to the pool', async () => {
    const clientsBefore = pool.totalCount;
    await expect(
      withAdvisoryLock(t.dataSource, scope, 'ZY-C', async () => {
        throw new Error('2304 refused');
      }),
    ).rejects.toThrow('2304 refused');
    expect(await holderOf('ZY-C')).toBeUndefined();
    expect(pool.totalCount).toBe(Math.max(clientsBefore, 1));
    expect(pool.waitingCount).toBe(0);
    expect(await withAdvisoryLock(t.dataSource, scope, 'ZY-C', async () => 'taken again')).toBe(
      'taken again',
    );
  });

  it('fails the work’s caller when its connection is reset meanwhile, and the process goes on', async () => {
    const reset = withAdvisoryLock(t.dataSource, scope, 'ZY-D', async () => {
      const pid = await holderOf('ZY-D');
      expect(pid).toBeDefined();
      await withClient(t.schema.databaseUrl, (c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
      // The reset reaches the client as an 'error' event while it is checked out.
      await new Promise((resolve) => setTimeout(resolve, 200));
      return 'done';
    });
    await expect(reset).rejects.toThrow(/terminat|Connection/i);
    expect(await holderOf('ZY-D')).toBeUndefined();
    expect(await withAdvisoryLock(t.dataSource, scope, 'ZY-D', async () => 'taken again')).toBe(
      'taken again',
    );
  });
});
