import type { DataSource } from 'typeorm';

/**
 * Runs `work` while holding a PostgreSQL session advisory lock on (scope, key), so that one stream (e.g. a
 * visit) is driven by one process at a time across replicas. The lock lives on a dedicated connection and is
 * released when `work` settles, or by PostgreSQL if the process dies.
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  scope: string,
  key: string,
  work: () => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [scope, key]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [scope, key]);
    }
  } finally {
    await runner.release();
  }
}
