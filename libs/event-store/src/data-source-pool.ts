import { type Pool, type PoolClient } from 'pg';
import { type DataSource } from 'typeorm';
import { type PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * The pg pool under an initialized TypeORM data source: the append, the command handler's read, a platform
 * worker's run (its lease and mark) and the advisory lock go to it directly (no TypeORM query runner on the hot
 * path).
 */
export function poolOf(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as PostgresDriver).master as Pool | undefined;
  if (!pool) throw new Error("the event store's DataSource is not initialized");
  return pool;
}

/**
 * Runs `work` on a client checked out of the pool and gives it back, or closes it when its connection was reset
 * meanwhile or `work` discarded it (a session left in a state the next user must not inherit). A checked-out
 * client has no pool listener: a reset while it is out would otherwise be an uncaught 'error' event, and end the
 * process.
 */
export async function withPoolClient<T>(
  dataSource: DataSource,
  work: (client: PoolClient, discard: (reason: Error) => void) => Promise<T>,
): Promise<T> {
  const client = await poolOf(dataSource).connect();
  let broken: Error | undefined;
  const discard = (reason: Error) => (broken ??= reason);
  client.on('error', discard);
  try {
    return await work(client, discard);
  } finally {
    client.removeListener('error', discard);
    client.release(broken);
  }
}
