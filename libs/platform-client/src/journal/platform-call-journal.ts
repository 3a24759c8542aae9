import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { In, Not, Raw, type DataSource, type Repository } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { CallOutcome } from '../call-outcome';
import type { RequestEnvelope } from '../envelope';
import { Keyring } from '@yb/sealing';
import { PlatformCallRecord, type CallResolution, type JournalStatus } from './platform-call-record.entity';
// The group commit alone, not the event store: the client loads without it (bench:module-heap).
import { WriteGroups, type GroupAnswer } from '@yb/event-store/write-groups';

export interface PendingCall {
  msgid: string;
  callId: string;
  attempt: number;
  infno: string;
  psn_no: string | undefined;
  visitKey: string;
  requestKey: string | undefined;
  request: RequestEnvelope;
}

type Changes = QueryDeepPartialEntity<PlatformCallRecord>;

/** A call's PENDING row as a group writes it. */
interface PendingRow {
  call: PendingCall;
  unlessRequestSent: boolean;
}

/** A call's outcome as a group records it. */
interface OutcomeRow {
  msgid: string;
  outcome: CallOutcome;
}

// Staleness is judged by the database's clock, the one that wrote updated_at.
const untouchedFor = (ms: number) =>
  Raw((column) => `${column} < now() - make_interval(secs => :staleSeconds)`, { staleSeconds: ms / 1000 });

/** Calls whose outcome is not settled yet; these are what a crash can leave behind. */
const IN_FLIGHT: JournalStatus[] = ['PENDING', 'REVERSING', 'RESOLVING'];

/**
 * The columns that may hold patient data, sealed at rest under one key (sealed_with names it): the request and
 * its answer, psn_no (2601 sends it back, so it must open; nothing looks a row up by it), and the platform's and
 * the transport's texts, which can quote a name no mask can tell from other words. Each is bound to its row and
 * column (`msgid:column`).
 */
const SEALED_COLUMNS = [
  'request',
  'response',
  'psn_no',
  'err_msg',
  'unknown_reason',
  'reversal_err_msg',
] as const;
type SealedColumn = (typeof SEALED_COLUMNS)[number];

const PROPERTY_OF: Record<SealedColumn, keyof PlatformCallRecord> = {
  request: 'request',
  response: 'response',
  psn_no: 'psn_no',
  err_msg: 'err_msg',
  unknown_reason: 'unknownReason',
  reversal_err_msg: 'reversalErrMsg',
};

// 2601 and sign-in/out rows are not resolved on their own: a reversal's outcome lives on the row it
// reverses, and a lost sign-in is superseded by the next one.
const SELF_SETTLING_INFNOS = ['2601', '9001', '9002'];

/**
 * The journal of platform calls: written before each send and moved on by the answer, so that no call can
 * be lost between the hospital and the platform (差账 starts there). Status moves are conditional updates,
 * so two processes never both act on one row. The columns that may hold patient data (SEALED_COLUMNS) are
 * sealed by the cipher (NHSA_JOURNAL_KEYS, see @yb/sealing's Keyring) and opened as rows are read.
 */
export class PlatformCallJournal {
  private readonly records: Repository<PlatformCallRecord>;
  private prepared: JournalStatements | undefined;

  constructor(
    dataSource: DataSource,
    private readonly cipher: Keyring = Keyring.fromEnv(),
  ) {
    this.records = dataSource.getRepository(PlatformCallRecord);
  }

  private opened(record: PlatformCallRecord): PlatformCallRecord;
  private opened(record: PlatformCallRecord | null): PlatformCallRecord | null;
  private opened(record: PlatformCallRecord | null): PlatformCallRecord | null {
    if (!record) return record;
    const opened = record as unknown as Record<string, unknown>;
    for (const column of SEALED_COLUMNS) {
      const property = PROPERTY_OF[column];
      opened[property] = this.cipher.open(opened[property], `${record.msgid}:${column}`);
    }
    return record;
  }

  /** A sealed column's value as a jsonb parameter (text; a clear value, with no keys, as a JSON string). */
  private sealed(value: unknown, msgid: string, column: SealedColumn): string | null {
    return value === null || value === undefined
      ? null
      : JSON.stringify(this.cipher.seal(value, `${msgid}:${column}`));
  }

  /**
   * A row keeps naming its key only while every sealed column is under it: a value written under the active key
   * onto a row sealed under another (or clear) leaves sealed_with null, which the rotation's pass looks for.
   * Key ids are letters, digits, '-' and '_' (the Keyring refuses others), so the literal is safe.
   */
  private get sealedWithKept(): string {
    const active = this.cipher.activeKeyId;
    return active === null ? 'NULL' : `CASE WHEN sealed_with = '${active}' THEN sealed_with END`;
  }

  private get table(): string {
    const { schema, tableName } = this.records.metadata;
    return schema ? `"${schema}"."${tableName}"` : `"${tableName}"`;
  }

  // The statements of every call (the row before the send with the request key's look-up, its outcome) go to
  // the pool as prepared statements (TypeORM's query building cost more CPU than the round trips), and the
  // calls of concurrent visits in groups: a row asked for while the previous group's statement is in flight
  // goes with the next one (one round trip and one commit for all of them), an idle caller's at once.
  private readonly pendingRows = new WriteGroups((calls: readonly PendingRow[]) => this.insertPending(calls));
  private readonly outcomeRows = new WriteGroups((outcomes: readonly OutcomeRow[]) =>
    this.updateOutcomes(outcomes),
  );

  /**
   * Writes the call's PENDING row, durably (committed) before it resolves: the request may go out only then.
   * With `unlessRequestSent`, a call whose request key the journal already holds writes nothing and gets that
   * key's latest attempt back (the caller answers from it instead of sending twice); otherwise null.
   */
  async recordPending(
    call: PendingCall,
    { unlessRequestSent = false }: { unlessRequestSent?: boolean } = {},
  ): Promise<PlatformCallRecord | null> {
    const prior = await this.pendingRows.add({ call, unlessRequestSent });
    return this.opened(prior);
  }

  async recordOutcome(msgid: string, outcome: CallOutcome): Promise<void> {
    if (!(await this.outcomeRows.add({ msgid, outcome }))) await this.movedElsewhere(msgid, ['PENDING']);
  }

  /** A group's PENDING rows in one statement; each call's answer is the prior attempt its key names, or null. */
  private async insertPending(
    calls: readonly PendingRow[],
  ): Promise<GroupAnswer<PlatformCallRecord | null>[]> {
    const column = <T>(of: (row: PendingRow) => T) => calls.map(of);
    const { rows } = await this.pool().query<PlatformCallRecord & { for_msgid: string }>({
      ...this.statements().insertPending,
      values: [
        column(({ call }) => call.msgid),
        column(({ call }) => call.callId),
        column(({ call }) => call.attempt),
        column(({ call }) => call.infno),
        jsonColumn(column(({ call }) => this.sealed(call.psn_no, call.msgid, 'psn_no'))),
        column(({ call }) => call.visitKey),
        column(({ call }) => call.requestKey ?? null),
        jsonColumn(column(({ call }) => this.sealed(call.request, call.msgid, 'request'))),
        this.cipher.activeKeyId,
        column(({ unlessRequestSent }) => unlessRequestSent),
      ],
    });
    const priorFor = new Map(rows.map(({ for_msgid, ...prior }) => [for_msgid, prior as PlatformCallRecord]));
    return calls.map(({ call }) => ({ ok: true, value: priorFor.get(call.msgid) ?? null }));
  }

  /** A group's outcomes in one statement; each call's answer is whether its row was PENDING (and so moved). */
  private async updateOutcomes(outcomes: readonly OutcomeRow[]): Promise<GroupAnswer<boolean>[]> {
    const column = <T>(of: (row: OutcomeRow) => T) => outcomes.map(of);
    const answered = (outcome: CallOutcome) => (outcome.status === 'UNKNOWN' ? undefined : outcome);
    const { rows } = await this.pool().query<{ msgid: string }>({
      ...this.statements().recordOutcomes,
      values: [
        column(({ msgid }) => msgid),
        column(({ outcome }) => outcome.status),
        column(({ outcome }) => answered(outcome)?.infcode ?? null),
        jsonColumn(
          column(({ msgid, outcome }) =>
            outcome.status === 'REJECTED' ? this.sealed(outcome.err_msg, msgid, 'err_msg') : null,
          ),
        ),
        jsonColumn(
          column(({ msgid, outcome }) => this.sealed(answered(outcome)?.response, msgid, 'response')),
        ),
        jsonColumn(
          column(({ msgid, outcome }) =>
            outcome.status === 'UNKNOWN' ? this.sealed(outcome.reason, msgid, 'unknown_reason') : null,
          ),
        ),
        this.cipher.activeKeyId,
      ],
    });
    const moved = new Set(rows.map((row) => row.msgid));
    return outcomes.map(({ msgid }) => ({ ok: true, value: moved.has(msgid) }));
  }

  async find(msgid: string): Promise<PlatformCallRecord | null> {
    return this.opened(await this.records.findOneBy({ msgid }));
  }

  /** Rows of a visit, oldest first (the dashboard's call timeline). */
  async forVisit(visitKey: string): Promise<PlatformCallRecord[]> {
    const rows = await this.records.find({ where: { visitKey }, order: { createdAt: 'ASC', msgid: 'ASC' } });
    return rows.map((row) => this.opened(row));
  }

  /** UNKNOWN → REVERSING; false when another process got there first or the row is not UNKNOWN. */
  async claimForReversal(msgid: string): Promise<boolean> {
    return this.tryMove(msgid, ['UNKNOWN'], { status: 'REVERSING' });
  }

  async recordReversal(
    msgid: string,
    result: { status: 'REVERSED' | 'REVERSAL_REFUSED' | 'UNKNOWN'; reversalMsgid: string; err_msg?: string },
  ): Promise<void> {
    await this.move(msgid, ['REVERSING'], {
      status: result.status,
      reversalMsgid: result.reversalMsgid,
      ...this.sealedChange(msgid, 'reversal_err_msg', result.err_msg ?? null),
    });
  }

  /** UNKNOWN → RESOLVING, like claimForReversal. */
  async claimForResolution(msgid: string): Promise<boolean> {
    return this.tryMove(msgid, ['UNKNOWN'], { status: 'RESOLVING' });
  }

  async recordResolution(msgid: string, resolution: CallResolution): Promise<void> {
    await this.move(msgid, ['RESOLVING'], { status: 'RESOLVED', resolution });
  }

  /** A resolver failed: the call is UNKNOWN again and will be offered to the next recovery. */
  async releaseResolution(msgid: string): Promise<void> {
    await this.move(msgid, ['RESOLVING'], { status: 'UNKNOWN' });
  }

  /**
   * Business calls left unsettled: UNKNOWN ones, and in-flight ones untouched for `staleAfterMs` (their
   * process died; younger ones may still be running elsewhere). Oldest first.
   */
  async unsettled(staleAfterMs: number): Promise<PlatformCallRecord[]> {
    const rows = await this.records.find({
      where: [
        { status: 'UNKNOWN', infno: Not(In(SELF_SETTLING_INFNOS)) },
        {
          status: In(IN_FLIGHT),
          updatedAt: untouchedFor(staleAfterMs),
          infno: Not(In(SELF_SETTLING_INFNOS)),
        },
      ],
      order: { createdAt: 'ASC', msgid: 'ASC' },
    });
    return rows.map((row) => this.opened(row));
  }

  /**
   * Seals again, under the active key, up to `limit` rows with a sealed column clear or sealed under an older key
   * (a key rotation, keys configured after rows were written, or rows from before a column was sealed); returns
   * how many rows it sealed. A row changed meanwhile is left for the next pass, one that does not open is left
   * as it is. updated_at stays, so retention is unmoved.
   */
  async reseal(limit: number): Promise<number> {
    const active = this.cipher.activeKeyId;
    if (active === null) return 0;
    const columns = SEALED_COLUMNS.map((c) => `"${c}"`).join(', ');
    // Three index ranges, not `IS DISTINCT FROM`, so that a journal sealed throughout costs an index probe.
    const rows: ({ msgid: string } & Record<SealedColumn, unknown>)[] = await this.records.query(
      `SELECT msgid, ${columns} FROM ${this.table}
       WHERE sealed_with IS NULL OR sealed_with < $1 OR sealed_with > $1 LIMIT $2`,
      [active, limit],
    );
    // SET request = $3::jsonb, … WHERE msgid = $1 AND request IS NOT DISTINCT FROM $9::jsonb AND …
    const n = SEALED_COLUMNS.length;
    const update = `UPDATE ${this.table} SET sealed_with = $2, ${SEALED_COLUMNS.map((c, i) => `"${c}" = $${i + 3}::jsonb`).join(', ')}
       WHERE msgid = $1 AND ${SEALED_COLUMNS.map((c, i) => `"${c}" IS NOT DISTINCT FROM $${i + 3 + n}::jsonb`).join(' AND ')}`;
    let sealed = 0;
    for (const row of rows) {
      let resealed: unknown[];
      try {
        resealed = SEALED_COLUMNS.map((c) => this.cipher.reseal(row[c], `${row.msgid}:${c}`));
      } catch {
        // Tampered with, or under a key no longer configured: left as it is (reading it fails loudly).
        continue;
      }
      const asParameter = (value: unknown) => (value === null ? null : JSON.stringify(value));
      const [, changed] = await this.records.query(update, [
        row.msgid,
        active,
        ...resealed.map(asParameter),
        ...SEALED_COLUMNS.map((c) => asParameter(row[c])),
      ]);
      sealed += Number(changed);
    }
    return sealed;
  }

  /**
   * Deletes up to `limit` rows last moved more than `retentionDays` ago whose call is settled (or is a
   * sign-in, sign-out or 2601, which nothing resolves); returns how many. Unsettled business calls stay
   * whatever their age: recovery and the operators need them.
   */
  async pruneSettled(retentionDays: number, limit: number): Promise<number> {
    const table = this.table;
    const [, deleted] = await this.records.query(
      `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM ${table}
         WHERE (status <> ALL($1::text[]) OR infno = ANY($2::text[]))
           AND updated_at < now() - make_interval(days => $3)
         LIMIT $4))`,
      [[...IN_FLIGHT, 'UNKNOWN'], SELF_SETTLING_INFNOS, retentionDays, limit],
    );
    return Number(deleted);
  }

  /** An in-flight row whose process died becomes UNKNOWN; false if it moved on meanwhile. */
  async markInterrupted(msgid: string, staleAfterMs: number): Promise<boolean> {
    const result = await this.records.update(
      { msgid, status: In(IN_FLIGHT), updatedAt: untouchedFor(staleAfterMs) },
      {
        status: 'UNKNOWN',
        ...this.sealedChange(
          msgid,
          'unknown_reason',
          'interrupted: the process stopped before the outcome was recorded',
        ),
      },
    );
    return result.affected === 1;
  }

  /** A sealed column's new value for a TypeORM update, and the row's key kept only if it is the active one. */
  private sealedChange(msgid: string, column: SealedColumn, value: string | null): Changes {
    // TypeORM writes the sealed object into the jsonb column as it is; the property's type is the opened value.
    const stored = value === null ? null : (this.cipher.seal(value, `${msgid}:${column}`) as string);
    return { [PROPERTY_OF[column]]: stored, sealedWith: () => this.sealedWithKept } as Changes;
  }

  private async tryMove(msgid: string, from: JournalStatus[], changes: Changes) {
    const result = await this.records.update({ msgid, status: In(from) }, changes);
    return result.affected === 1;
  }

  private async move(msgid: string, from: JournalStatus[], changes: Changes) {
    if (!(await this.tryMove(msgid, from, changes))) await this.movedElsewhere(msgid, from);
  }

  private async movedElsewhere(msgid: string, from: JournalStatus[]): Promise<never> {
    const row = await this.find(msgid);
    throw new Error(
      `journal row ${msgid} is ${row ? row.status : 'missing'}, expected ${from.join(' or ')} (concurrent change?)`,
    );
  }

  private pool(): Pool {
    const pool = (this.records.manager.connection.driver as PostgresDriver).master as Pool | undefined;
    if (!pool) throw new Error("the platform call journal's DataSource is not initialized");
    return pool;
  }

  private statements(): JournalStatements {
    this.prepared ??= journalStatements(this.table, this.selectColumns());
    return this.prepared;
  }

  /** Every column under its property name, as TypeORM's find gives the row. */
  private selectColumns(): string {
    return this.records.metadata.columns
      .map((column) => `"${column.databaseName}" AS "${column.propertyName}"`)
      .join(', ');
  }
}

interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

interface JournalStatements {
  readonly insertPending: PreparedStatement;
  readonly recordOutcomes: PreparedStatement;
}

/**
 * A group's values of a jsonb column as one JSON array (null for SQL NULL: a sealed value is never JSON's null).
 * As a jsonb[] pg would write it as an array literal, escaping each request and answer with two regular expressions,
 * and PostgreSQL would parse each twice.
 */
function jsonColumn(texts: readonly (string | null)[]): string {
  return `[${texts.map((text) => text ?? 'null').join(',')}]`;
}

/**
 * The hot path's statements for one journal table, each for a group of calls (arrays, one element per call).
 * The answer's row keeps its key named only when the answer is sealed under the key the request was (the
 * active key, null when sealing is off), as sealedWithKept says.
 */
function journalStatements(table: string, columns: string): JournalStatements {
  const prepared = (text: string): PreparedStatement => ({
    // Named after the text (a schema's table is in it), cut to PostgreSQL's 63 bytes.
    name: `journal:${createHash('sha256').update(text).digest('hex').slice(0, 32)}`,
    text,
  });
  return {
    // A call sent under a request key the journal holds already (the first attempt of a call with a key) gets
    // that key's latest attempt back and writes nothing: the look-up and the insert are one round trip.
    insertPending: prepared(
      `WITH call AS (
         SELECT msgid, call_id, attempt, infno, nullif(psn_no, 'null') AS psn_no, visit_key, request_key,
                nullif(request, 'null') AS request, unless_request_sent
         FROM ROWS FROM (unnest($1::varchar[]), unnest($2::uuid[]), unnest($3::int[]), unnest($4::varchar[]),
                         jsonb_array_elements($5::jsonb), unnest($6::varchar[]), unnest($7::varchar[]),
                         jsonb_array_elements($8::jsonb), unnest($10::boolean[]))
           AS c(msgid, call_id, attempt, infno, psn_no, visit_key, request_key, request, unless_request_sent)
       ), prior AS (
         SELECT call.msgid AS for_msgid, latest.*
         FROM call CROSS JOIN LATERAL (
           SELECT ${columns} FROM ${table} WHERE request_key = call.request_key
           ORDER BY created_at DESC, attempt DESC LIMIT 1
         ) latest
         WHERE call.unless_request_sent
       ), inserted AS (
         INSERT INTO ${table} (msgid, call_id, attempt, infno, psn_no, visit_key, request_key, status, request, sealed_with)
         SELECT msgid, call_id, attempt, infno, psn_no, visit_key, request_key, 'PENDING', request, $9
         FROM call WHERE NOT EXISTS (SELECT FROM prior WHERE prior.for_msgid = call.msgid)
         RETURNING 1
       )
       SELECT * FROM prior`,
    ),
    recordOutcomes: prepared(
      `UPDATE ${table} AS j SET status = o.status, infcode = o.infcode, err_msg = nullif(o.err_msg, 'null'),
         response = nullif(o.response, 'null'), unknown_reason = nullif(o.unknown_reason, 'null'),
         sealed_with = CASE WHEN $7::varchar IS NOT NULL AND j.sealed_with = $7::varchar THEN j.sealed_with END,
         updated_at = CURRENT_TIMESTAMP
       FROM ROWS FROM (unnest($1::varchar[]), unnest($2::varchar[]), unnest($3::int[]),
                       jsonb_array_elements($4::jsonb), jsonb_array_elements($5::jsonb), jsonb_array_elements($6::jsonb))
         AS o(msgid, status, infcode, err_msg, response, unknown_reason)
       WHERE j.msgid = o.msgid AND j.status = 'PENDING'
       RETURNING j.msgid`,
    ),
  };
}
