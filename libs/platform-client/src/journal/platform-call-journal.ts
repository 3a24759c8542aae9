import { In, Not, Raw, type DataSource, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { CallOutcome } from '../call-outcome';
import type { RequestEnvelope } from '../envelope';
import { PlatformCallRecord, type CallResolution, type JournalStatus } from './platform-call-record.entity';

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

// TypeORM's deep-partial type cannot express JSON members typed `unknown` (input, output): say it is JSON.
function json<T>(value: T): QueryDeepPartialEntity<T> {
  return value as QueryDeepPartialEntity<T>;
}

// Staleness is judged by the database's clock, the one that wrote updated_at.
const untouchedFor = (ms: number) =>
  Raw((column) => `${column} < now() - make_interval(secs => :staleSeconds)`, { staleSeconds: ms / 1000 });

/** Calls whose outcome is not settled yet; these are what a crash can leave behind. */
const IN_FLIGHT: JournalStatus[] = ['PENDING', 'REVERSING', 'RESOLVING'];

// 2601 and sign-in/out rows are not resolved on their own: a reversal's outcome lives on the row it
// reverses, and a lost sign-in is superseded by the next one.
const SELF_SETTLING_INFNOS = ['2601', '9001', '9002'];

/**
 * The journal of platform calls: written before each send and moved on by the answer, so that no call can
 * be lost between the hospital and the platform (差账 starts there). Status moves are conditional updates,
 * so two processes never both act on one row.
 */
export class PlatformCallJournal {
  private readonly records: Repository<PlatformCallRecord>;

  constructor(dataSource: DataSource) {
    this.records = dataSource.getRepository(PlatformCallRecord);
  }

  async recordPending(call: PendingCall): Promise<void> {
    await this.records.insert({
      msgid: call.msgid,
      callId: call.callId,
      attempt: call.attempt,
      infno: call.infno,
      psn_no: call.psn_no ?? null,
      visitKey: call.visitKey,
      requestKey: call.requestKey ?? null,
      status: 'PENDING',
      request: json(call.request),
    });
  }

  async recordOutcome(msgid: string, outcome: CallOutcome): Promise<void> {
    const changes: Changes =
      outcome.status === 'UNKNOWN'
        ? { status: 'UNKNOWN', unknownReason: outcome.reason }
        : {
            status: outcome.status,
            infcode: outcome.infcode,
            err_msg: outcome.status === 'REJECTED' ? outcome.err_msg : null,
            response: json(outcome.response),
          };
    await this.move(msgid, ['PENDING'], changes);
  }

  /** The latest attempt sent for a caller's request key, if any. */
  async latestForRequest(requestKey: string): Promise<PlatformCallRecord | null> {
    return this.records.findOne({ where: { requestKey }, order: { createdAt: 'DESC', attempt: 'DESC' } });
  }

  async find(msgid: string): Promise<PlatformCallRecord | null> {
    return this.records.findOneBy({ msgid });
  }

  /** Rows of a visit, oldest first (the dashboard's call timeline). */
  async forVisit(visitKey: string): Promise<PlatformCallRecord[]> {
    return this.records.find({ where: { visitKey }, order: { createdAt: 'ASC', msgid: 'ASC' } });
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
      reversalErrMsg: result.err_msg ?? null,
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
    return this.records.find({
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
  }

  /**
   * Deletes up to `limit` rows last moved more than `retentionDays` ago whose call is settled (or is a
   * sign-in, sign-out or 2601, which nothing resolves); returns how many. Unsettled business calls stay
   * whatever their age: recovery and the operators need them.
   */
  async pruneSettled(retentionDays: number, limit: number): Promise<number> {
    const { schema, tableName } = this.records.metadata;
    const table = schema ? `"${schema}"."${tableName}"` : `"${tableName}"`;
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
        unknownReason: 'interrupted: the process stopped before the outcome was recorded',
      },
    );
    return result.affected === 1;
  }

  private async tryMove(msgid: string, from: JournalStatus[], changes: Changes) {
    const result = await this.records.update({ msgid, status: In(from) }, changes);
    return result.affected === 1;
  }

  private async move(msgid: string, from: JournalStatus[], changes: Changes) {
    if (!(await this.tryMove(msgid, from, changes))) {
      const row = await this.find(msgid);
      throw new Error(
        `journal row ${msgid} is ${row ? row.status : 'missing'}, expected ${from.join(' or ')} (concurrent change?)`,
      );
    }
  }
}
