import { type Pool } from 'pg';
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
