import type { DataSource } from 'typeorm';
import { withPoolClient } from './data-source-pool';

const LOCK = 'SELECT pg_advisory_lock(hashtext($1), hashtext($2))';
const UNLOCK = 'SELECT pg_advisory_unlock(hashtext($1), hashtext($2))';

/**
 * Runs `work` while holding a PostgreSQL session advisory lock on (scope, key), so that one stream (e.g. a
 * visit) is driven by one process at a time across replicas. The lock lives on a connection of its own, taken
 * from the pool directly (settlement takes it on every hop of a saga, quality for every audit), and is released
 * when `work` settles, or by PostgreSQL if the process dies. A connection that was reset, or whose lock or unlock
 * failed, is closed, not pooled: it may still hold the lock, which only the end of its session would free.
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  scope: string,
  key: string,
  work: () => Promise<T>,
): Promise<T> {
  return withPoolClient(dataSource, async (client, discard) => {
    // From the lock statement on, until the unlock has succeeded: the session may hold the lock.
    let mayHoldLock = true;
    try {
      await client.query(LOCK, [scope, key]);
      try {
        return await work();
      } finally {
        await client.query(UNLOCK, [scope, key]);
        mayHoldLock = false;
      }
    } finally {
      if (mayHoldLock) discard(new Error(`advisory lock ${scope}:${key} not released`));
    }
  });
}
