import { type Pool } from 'pg';
import { type DataSource } from 'typeorm';
import { type PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * The pg pool under an initialized TypeORM data source: the hot path's statements go to it directly, without
 * TypeORM's query runner around each one.
 */
export function poolOf(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as PostgresDriver).master as Pool | undefined;
  if (!pool) throw new Error("the event store's DataSource is not initialized");
  return pool;
}
