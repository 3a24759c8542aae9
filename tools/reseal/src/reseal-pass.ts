import { type Keyring } from '@yb/sealing';
import { type Pool } from 'pg';
import { type SealedStore } from './sealed-stores';

/** What one store's pass did. */
export interface StorePass {
  readonly schema: string;
  readonly table: string;
  readonly scanned: number;
  readonly resealed: number;
  /** False when the pass stopped at its batch limit: the next run goes on from where it stopped. */
  readonly finished: boolean;
}

export interface PassOptions {
  /** Rows per batch (one transaction each). */
  readonly batchSize: number;
  /** Stop after this many batches (what is left goes on at the next run); no limit when absent. */
  readonly maxBatches?: number;
}

/**
 * Where each pass stands, per schema, table and active key: the last key committed. A pass killed midway goes on
 * from there; a pass that finished leaves no row, so the next run scans again (and, idempotent, changes nothing).
 */
export class ResealProgress {
  private readonly table: string;

  constructor(
    private readonly db: Pool,
    private readonly schema: string,
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new Error(`--progress-schema: "${schema}" is not a lower-case PostgreSQL identifier`);
    }
    this.table = `"${schema}".reseal_progress`;
  }

  async ensure(): Promise<void> {
    await this.db.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
    await this.db.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (
         schema_name text NOT NULL, table_name text NOT NULL, key_id text NOT NULL,
         last_key text NOT NULL, resealed bigint NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (schema_name, table_name, key_id))`,
    );
  }

  async cursor(schema: string, table: string, keyId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ last_key: string }>(
      `SELECT last_key FROM ${this.table} WHERE schema_name = $1 AND table_name = $2 AND key_id = $3`,
      [schema, table, keyId],
    );
    return rows[0]?.last_key ?? null;
  }

  /** The statement that records a batch's last key, run in the batch's transaction. */
  get advance(): string {
    return `INSERT INTO ${this.table} (schema_name, table_name, key_id, last_key, resealed) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (schema_name, table_name, key_id)
            DO UPDATE SET last_key = $4, resealed = ${this.table}.resealed + $5, updated_at = now()`;
  }

  async finish(schema: string, table: string, keyId: string): Promise<void> {
    await this.db.query(
      `DELETE FROM ${this.table} WHERE schema_name = $1 AND table_name = $2 AND key_id = $3`,
      [schema, table, keyId],
    );
  }
}

/**
 * Moves one store of one schema to the keyring's active key: rows in key order, `batchSize` at a time, each batch
 * one transaction that locks its rows (a projection writing the same row waits, never loses its write), writes
 * back the rows that changed and records the batch's last key. A value that does not open (a key missing from the
 * ring, or altered) fails the pass loudly, naming the row: nothing is skipped silently.
 */
export async function resealStore(
  db: Pool,
  progress: ResealProgress,
  keyring: Keyring,
  schema: string,
  store: SealedStore,
  options: PassOptions,
): Promise<StorePass> {
  const keyId = keyring.activeKeyId;
  if (keyId === null) throw new Error('NHSA_JOURNAL_KEYS has no key: nothing to reseal under');
  const table = `"${schema}"."${store.table}"`;
  let cursor = await progress.cursor(schema, store.table, keyId);
  let scanned = 0;
  let resealed = 0;
  for (let batch = 0; options.maxBatches === undefined || batch < options.maxBatches; batch++) {
    const client = await db.connect();
    let count: number;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<Record<string, unknown>>(
        `SELECT ${store.select} FROM ${table}
         ${cursor === null ? '' : `WHERE ${store.key} > $2`} ORDER BY ${store.key} LIMIT $1 FOR UPDATE`,
        cursor === null ? [options.batchSize] : [options.batchSize, cursor],
      );
      let changed = 0;
      for (const row of rows) {
        let columns: Record<string, unknown> | null;
        try {
          columns = store.reseal(row, keyring, schema);
        } catch (err) {
          throw new Error(
            `${schema}.${store.table} ${store.key}=${String(row[store.key])}: ${(err as Error).message}`,
          );
        }
        if (columns === null) continue;
        const names = Object.keys(columns);
        await client.query(
          `UPDATE ${table} SET ${names.map((n, i) => `${n} = $${i + 2}`).join(', ')} WHERE ${store.key} = $1`,
          [row[store.key], ...names.map((n) => columns[n])],
        );
        changed += 1;
      }
      count = rows.length;
      if (count > 0) {
        cursor = String(rows[count - 1]![store.key]);
        await client.query(progress.advance, [schema, store.table, keyId, cursor, changed]);
      }
      await client.query('COMMIT');
      scanned += count;
      resealed += changed;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    if (count < options.batchSize) {
      await progress.finish(schema, store.table, keyId);
      return { schema, table: store.table, scanned, resealed, finished: true };
    }
  }
  return { schema, table: store.table, scanned, resealed, finished: false };
}
