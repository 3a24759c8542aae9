import type { DataSource } from 'typeorm';
import { shanghaiSecondStamp } from './shanghai-time';

const MAX_SEQUENCE = 9999;

/**
 * Issues msgids `fixmedins_code(12) + yyyyMMddHHmmss (Asia/Shanghai) + 4-digit sequence`.
 *
 * msgid is the key 2601 reverses by, so it must never repeat: not across concurrent calls, processes, services
 * of the same hospital, nor restarts. Each id is one atomic upsert on (fixmedins_code, second) in PostgreSQL;
 * nothing is cached in the process. A second that already used 9999 ids waits for the next second, and a
 * clock that steps back lands on seconds whose counters are still stored, so it continues after them.
 */
export class MsgidSequence {
  private readonly table: string;
  private readonly schema: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly fixmedinsCode: string,
    schema: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (fixmedinsCode.length !== 12) {
      throw new Error(`msgid needs a 12-character fixmedins_code, got ${fixmedinsCode.length} characters`);
    }
    this.schema = schema;
    this.table = `"${schema}"."msgid_sequence"`;
  }

  private tableReady: Promise<void> | undefined;

  /** Creates the counter table if missing (once per instance); safe from several processes at once. */
  ensureTable(): Promise<void> {
    this.tableReady ??= this.createTable().catch((err: unknown) => {
      this.tableReady = undefined;
      throw err;
    });
    return this.tableReady;
  }

  private async createTable(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalog: serialise it.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`msgid_sequence:${this.schema}`]);
      await manager.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await manager.query(
        `CREATE TABLE IF NOT EXISTS ${this.table} (
           fixmedins_code varchar(12) NOT NULL,
           second_stamp char(14) NOT NULL,
           last_sequence integer NOT NULL,
           PRIMARY KEY (fixmedins_code, second_stamp)
         )`,
      );
    });
  }

  async next(): Promise<string> {
    await this.ensureTable();
    for (;;) {
      const stamp = shanghaiSecondStamp(this.now());
      const rows: Array<{ last_sequence: number }> = await this.dataSource.query(
        `INSERT INTO ${this.table} AS s (fixmedins_code, second_stamp, last_sequence) VALUES ($1, $2, 1)
         ON CONFLICT (fixmedins_code, second_stamp)
         DO UPDATE SET last_sequence = s.last_sequence + 1 WHERE s.last_sequence < ${MAX_SEQUENCE}
         RETURNING last_sequence`,
        [this.fixmedinsCode, stamp],
      );
      const row = rows[0];
      if (row) return `${this.fixmedinsCode}${stamp}${String(row.last_sequence).padStart(4, '0')}`;
      // This second is used up: wait for the clock to reach the next one.
      await new Promise((resolve) => setTimeout(resolve, 1000 - (this.now().getTime() % 1000) + 1));
    }
  }

  /** Removes counters of seconds before `before` (keep more than any clock correction you expect). */
  async prune(before: Date): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected count].
    const [, deleted]: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM ${this.table} WHERE fixmedins_code = $1 AND second_stamp < $2`,
      [this.fixmedinsCode, shanghaiSecondStamp(before)],
    );
    return deleted;
  }
}
