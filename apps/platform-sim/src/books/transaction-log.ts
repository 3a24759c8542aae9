import { Client } from 'pg';
import type { LedgerAnswer, LedgerEntry } from '../ledger/ledger-journal';
import type { LedgerRequest } from '../ledger/ledger-state';
import type { SimBooksOptions } from './books-config';

/** A ledger entry with its place in the log. */
export type LoggedEntry = LedgerEntry & { readonly seq: number };

/** Another sandbox holds the books of this schema: two writers would fork them. */
export class BooksTakenError extends Error {
  override readonly name = 'BooksTakenError';
}

const LOCK_WAIT_MS = 10_000;
const ROWS_PER_INSERT = 500;

/**
 * The sandbox's transaction log in PostgreSQL, one row per entry the ledger decided, in the order decided.
 * One sandbox writes a schema's log at a time: it holds a session advisory lock for as long as it is open
 * (PostgreSQL releases it when the process dies, so a crashed sandbox's successor can take over).
 * `request` and `answer` are `json`, not `jsonb`: kept byte for byte, key order included, as the rules read them.
 */
export class TransactionLog {
  private constructor(
    private readonly client: Client,
    private readonly table: string,
  ) {}

  static async open(options: Pick<SimBooksOptions, 'databaseUrl' | 'schema'>): Promise<TransactionLog> {
    const client = new Client({ connectionString: options.databaseUrl, application_name: 'platform-sim' });
    // A lost connection surfaces as a failed query (the books then recover); without a listener it would crash.
    client.on('error', () => undefined);
    await client.connect();
    try {
      await takeLock(client, options.schema);
      const schema = `"${options.schema}"`;
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${schema}.ledger_entries (
          seq         bigint      PRIMARY KEY,
          kind        text        NOT NULL CHECK (kind IN ('decision', 'refusal', 'reset')),
          msgid       text        UNIQUE,
          infno       text,
          request     json,
          decided_at  timestamptz NOT NULL,
          answer      json,
          serial      bigint      NOT NULL,
          recorded_at timestamptz NOT NULL DEFAULT now()
        )`);
      return new TransactionLog(client, `${schema}.ledger_entries`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
  }

  /** Every entry, in the order decided. */
  async entries(): Promise<LoggedEntry[]> {
    const { rows } = await this.client.query<{
      seq: string;
      kind: LedgerEntry['kind'];
      request: LedgerRequest | null;
      decided_at: Date;
      answer: LedgerAnswer | null;
      serial: string;
    }>(`SELECT seq, kind, request, decided_at, answer, serial FROM ${this.table} ORDER BY seq`);
    return rows.map((row): LoggedEntry => {
      const base = { seq: Number(row.seq), at: row.decided_at, serial: Number(row.serial) };
      switch (row.kind) {
        case 'decision':
          return { ...base, kind: 'decision', request: row.request!, answer: row.answer! };
        case 'refusal':
          return { ...base, kind: 'refusal', request: row.request!, err_msg: errMsgOf(row.answer) };
        case 'reset':
          return { ...base, kind: 'reset' };
      }
    });
  }

  /**
   * Writes the entries in one transaction: all or none. A reset entry deletes every row before it, so the
   * log keeps only what the platform still holds (and the reset's serial, from which ids go on).
   */
  async append(entries: readonly LoggedEntry[]): Promise<void> {
    await this.client.query('BEGIN');
    try {
      let pending: LoggedEntry[] = [];
      for (const entry of entries) {
        if (entry.kind === 'reset') {
          await this.insert(pending);
          pending = [];
          await this.client.query(`DELETE FROM ${this.table} WHERE seq < $1`, [entry.seq]);
        }
        pending.push(entry);
        if (pending.length === ROWS_PER_INSERT) {
          await this.insert(pending);
          pending = [];
        }
      }
      await this.insert(pending);
      await this.client.query('COMMIT');
    } catch (err) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    // Ending the session releases the advisory lock.
    await this.client.end().catch(() => undefined);
  }

  private async insert(entries: readonly LoggedEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const values: unknown[] = [];
    const rows = entries.map((entry) => {
      const request = entry.kind === 'reset' ? null : entry.request;
      const answer =
        entry.kind === 'decision'
          ? entry.answer
          : entry.kind === 'refusal'
            ? { infcode: -1, err_msg: entry.err_msg }
            : null;
      values.push(
        entry.seq,
        entry.kind,
        request?.msgid ?? null,
        request?.infno ?? null,
        request === null ? null : JSON.stringify(request),
        entry.at,
        answer === null ? null : JSON.stringify(answer),
        entry.serial,
      );
      const at = values.length - 8;
      return `(${Array.from({ length: 8 }, (_, i) => `$${at + i + 1}`).join(', ')})`;
    });
    await this.client.query(
      `INSERT INTO ${this.table} (seq, kind, msgid, infno, request, decided_at, answer, serial) VALUES ${rows.join(', ')}`,
      values,
    );
  }
}

function errMsgOf(answer: LedgerAnswer | null): string {
  return answer?.infcode === -1 ? answer.err_msg : '';
}

/** Waits a little for a predecessor's session to end (a killed sandbox's lock goes when PostgreSQL notices). */
async function takeLock(client: Client, schema: string): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const { rows } = await client.query<{ taken: boolean }>(
      `SELECT pg_try_advisory_lock(hashtext('platform-sim-books'), hashtext($1)) AS taken`,
      [schema],
    );
    if (rows[0]?.taken) return;
    if (Date.now() > deadline)
      throw new BooksTakenError(
        `platform-sim: another sandbox keeps the books of schema "${schema}" (one sandbox per schema: ` +
          'stop it, or give this one its own PLATFORM_SIM_SCHEMA)',
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
