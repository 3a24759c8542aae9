import type { DataSource } from 'typeorm';
import { shanghaiSecondStamp } from '@yb/contracts';

const MAX_SEQUENCE = 9999;
/** The most ids reserved at once: a busy second costs one upsert per this many calls. */
const MAX_BLOCK = 64;

/** Ids reserved for one second and not yet issued. */
interface Block {
  readonly stamp: string;
  next: number;
  readonly last: number;
}

/**
 * Issues msgids `fixmedins_code(12) + yyyyMMddHHmmss (Asia/Shanghai) + 4-digit sequence`.
 *
 * msgid is the key 2601 reverses by, so it must never repeat: not across concurrent calls, processes, services
 * of the same hospital, nor restarts. Ids are reserved in blocks by an atomic upsert on (fixmedins_code,
 * second) in PostgreSQL and issued from memory only within the second they were reserved for; a block starts
 * at one id and doubles (up to 64) each time the second uses it up, so a quiet service reserves one id per
 * call and a busy one one upsert per many calls. Ids reserved and not issued before the second ends are
 * skipped, never issued later (a restart loses them the same way). A second that already used 9999 ids
 * waits for the next second, and a clock that steps back lands on seconds whose counters are still stored,
 * so it continues after them.
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

  private block: Block | undefined;
  private blockSize = 1;
  /** Reservations one at a time, so that concurrent calls share a block instead of each reserving one. */
  private reserving: Promise<unknown> = Promise.resolve();

  async next(): Promise<string> {
    await this.ensureTable();
    const issued = this.reserving.then(() => this.issue());
    this.reserving = issued.catch(() => undefined);
    return issued;
  }

  private async issue(): Promise<string> {
    for (;;) {
      const stamp = shanghaiSecondStamp(this.now());
      const block = this.block;
      if (block?.stamp === stamp && block.next <= block.last) return this.msgid(stamp, block.next++);
      // Used up within its second: the next block is larger. Left over by a second that ended: smaller.
      if (block) this.blockSize = block.stamp === stamp ? Math.min(MAX_BLOCK, this.blockSize * 2) : 1;
      this.block = await this.reserve(stamp);
      if (this.block) continue;
      // This second is used up: wait for the clock to reach the next one.
      await new Promise((resolve) => setTimeout(resolve, 1000 - (this.now().getTime() % 1000) + 1));
    }
  }

  /** A block of ids of the second (fewer near its 9999th); undefined when the second has none left. */
  private async reserve(stamp: string): Promise<Block | undefined> {
    for (let size = this.blockSize; size >= 1; size = size === 1 ? 0 : 1) {
      const rows: Array<{ last_sequence: number }> = await this.dataSource.query(
        `INSERT INTO ${this.table} AS s (fixmedins_code, second_stamp, last_sequence) VALUES ($1, $2, $3)
         ON CONFLICT (fixmedins_code, second_stamp)
         DO UPDATE SET last_sequence = s.last_sequence + $3 WHERE s.last_sequence + $3 <= ${MAX_SEQUENCE}
         RETURNING last_sequence`,
        [this.fixmedinsCode, stamp, size],
      );
      const last = rows[0]?.last_sequence;
      if (last !== undefined) return { stamp, next: last - size + 1, last };
    }
    return undefined;
  }

  private msgid(stamp: string, sequence: number): string {
    return `${this.fixmedinsCode}${stamp}${String(sequence).padStart(4, '0')}`;
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
