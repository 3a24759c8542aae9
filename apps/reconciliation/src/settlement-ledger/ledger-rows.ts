import { type EventStore, type Projection, type RecordedEvent, withAdvisoryLock } from '@yb/event-store';
import { Keyring, openFields, sealFields, sealedIn } from '@yb/sealing';
import { type EntityManager } from 'typeorm';
import { stmtDateOf, type LedgerRow, type SettlementGroup } from './ledger-row';
import {
  ROW_ACTION_EVENT_TYPES,
  ROW_EVENT_TYPES,
  type SettlementLedgerEvent,
} from './settlement-ledger.events';

type AdoptedRecord = Extract<SettlementLedgerEvent, { type: 'SettlementAmountsAdopted' }>['data'];

export const LEDGER_STREAM_PREFIX = 'settlement-ledger-';

interface RowRecord {
  readonly data: LedgerRow;
}

/**
 * Our ledger of settlements as a table (a projection of the visits' ledgers): the rows 3201 totals and 3202's
 * file are made of, by settlement day, and which visit (ipt_no) a platform mdtrt_id belongs to. Amounts are
 * numeric(16,2) so that sums are exact; rebuilt from the events under a new projection name. A row's patient
 * identifier (psn_no, which 3202's file needs) is sealed with the services' keyring, bound to the row's setl_id.
 */
export class LedgerRows implements Projection {
  readonly name = 'reconciliation-ledger-rows-v1';
  readonly eventTypes = [...ROW_EVENT_TYPES, ...ROW_ACTION_EVENT_TYPES, 'VisitInsuredNoted'];
  private readonly rows: string;
  private readonly visits: string;

  constructor(
    private readonly store: EventStore,
    private readonly keyring: Keyring = Keyring.fromEnv(),
  ) {
    const { schema } = store.tables;
    this.rows = `"${schema}"."ledger_rows"`;
    this.visits = `"${schema}"."ledger_visits"`;
  }

  /** The tables, beside the event store's (created once; replicas starting together take turns). */
  async ensureTables(): Promise<void> {
    const { schema } = this.store.tables;
    await withAdvisoryLock(this.store.dataSource, `${schema}:ddl`, 'ledger_rows', async () => {
      await this.store.dataSource.query(
        `CREATE TABLE IF NOT EXISTS ${this.rows} (
           setl_id text PRIMARY KEY,
           stmt_date date NOT NULL,
           insutype text NOT NULL,
           clr_type text NOT NULL,
           setl_optins text NOT NULL,
           medfee_sumamt numeric(16,2) NOT NULL,
           fund_pay_sumamt numeric(16,2) NOT NULL,
           acct_pay numeric(16,2) NOT NULL,
           cash_payamt numeric(16,2) NOT NULL,
           row jsonb NOT NULL)`,
      );
      await this.store.dataSource.query(
        `CREATE INDEX IF NOT EXISTS ledger_rows_day ON ${this.rows} (stmt_date, clr_type, setl_optins)`,
      );
      await this.store.dataSource.query(
        `CREATE TABLE IF NOT EXISTS ${this.visits} (mdtrt_id text PRIMARY KEY, ipt_no text NOT NULL)`,
      );
    });
  }

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const ipt_no = event.streamId.slice(LEDGER_STREAM_PREFIX.length);
    if (event.type === 'VisitInsuredNoted') {
      const { mdtrt_id } = event.data as { mdtrt_id: string };
      await manager.query(
        `INSERT INTO ${this.visits} (mdtrt_id, ipt_no) VALUES ($1, $2) ON CONFLICT (mdtrt_id) DO UPDATE SET ipt_no = $2`,
        [mdtrt_id, ipt_no],
      );
      return;
    }
    if (event.type === 'SettlementAmountsAdopted') {
      const { setl_id, platform } = event.data as AdoptedRecord;
      await manager.query(
        `UPDATE ${this.rows} SET medfee_sumamt = $2::text::numeric, fund_pay_sumamt = $3::text::numeric,
           acct_pay = $4::text::numeric, cash_payamt = $5::text::numeric,
           row = row || jsonb_build_object('medfee_sumamt', $2::text, 'fund_pay_sumamt', $3::text,
             'acct_pay', $4::text, 'cash_payamt', $5::text)
         WHERE setl_id = $1`,
        [setl_id, platform.medfee_sumamt, platform.fund_pay_sumamt, platform.acct_pay, platform.cash_payamt],
      );
      return;
    }
    if (event.type === 'SettlementReversedLocally') {
      // Out of our totals and 3202's file; the visit's stream keeps the row and why it was reversed.
      await manager.query(`DELETE FROM ${this.rows} WHERE setl_id = $1`, [
        (event.data as { setl_id: string }).setl_id,
      ]);
      return;
    }
    const { data: row } = event as unknown as RowRecord;
    await manager.query(
      `INSERT INTO ${this.rows} (setl_id, stmt_date, insutype, clr_type, setl_optins, medfee_sumamt, fund_pay_sumamt,
         acct_pay, cash_payamt, row)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (setl_id) DO NOTHING`,
      [
        row.setl_id,
        stmtDateOf(row.setl_time),
        row.insutype,
        row.clr_type,
        row.setl_optins,
        row.medfee_sumamt,
        row.fund_pay_sumamt,
        row.acct_pay,
        row.cash_payamt,
        JSON.stringify(sealFields(this.keyring, row, sealedIn.ledgerRow(row.setl_id))),
      ],
    );
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query(`TRUNCATE ${this.rows}, ${this.visits}`);
  }

  /** Every group the ledger has ever held a row of: each is asked 3201 every day. */
  async knownGroups(): Promise<SettlementGroup[]> {
    return this.store.dataSource.query(
      `SELECT DISTINCT insutype, clr_type, setl_optins FROM ${this.rows} ORDER BY insutype, clr_type, setl_optins`,
    );
  }

  /**
   * The day's rows, in setl_id order: of a clr_type × setl_optins (of one insutype too, when given), or of every
   * group (a period check's scope is decided by the agency's area, not by a group).
   */
  async rowsOf(
    stmt_date: string,
    where?: { clr_type: string; setl_optins: string; insutype?: string },
  ): Promise<LedgerRow[]> {
    const params = [
      stmt_date,
      ...(where ? [where.clr_type, where.setl_optins] : []),
      ...(where?.insutype ? [where.insutype] : []),
    ];
    const rows: { row: LedgerRow }[] = await this.store.dataSource.query(
      `SELECT row FROM ${this.rows} WHERE stmt_date = $1 ${where ? 'AND clr_type = $2 AND setl_optins = $3' : ''}
       ${where?.insutype ? 'AND insutype = $4' : ''} ORDER BY setl_id`,
      params,
    );
    return rows.map((r) => openFields(this.keyring, r.row, sealedIn.ledgerRow(r.row.setl_id)) as LedgerRow);
  }

  /** A row of our ledger by setl_id (null when we hold none, or it was reversed). */
  async rowOf(setl_id: string): Promise<LedgerRow | null> {
    const [found]: { row: LedgerRow }[] = await this.store.dataSource.query(
      `SELECT row FROM ${this.rows} WHERE setl_id = $1`,
      [setl_id],
    );
    return found ? (openFields(this.keyring, found.row, sealedIn.ledgerRow(setl_id)) as LedgerRow) : null;
  }

  /** The HIS visit of a platform mdtrt_id, when its registration or one of its settlements reached us. */
  async visitOf(mdtrt_id: string): Promise<string | null> {
    const [found]: { ipt_no: string }[] = await this.store.dataSource.query(
      `SELECT ipt_no FROM ${this.visits} WHERE mdtrt_id = $1
       UNION ALL SELECT row->>'ipt_no' FROM ${this.rows} WHERE row->>'mdtrt_id' = $1 AND row->>'source' = 'result'
       LIMIT 1`,
      [mdtrt_id],
    );
    return found?.ipt_no ?? null;
  }

  /** The clr_type × setl_optins pairs with a row in the period (the month's possible clearing applications). */
  async pairsIn(begndate: string, enddate: string): Promise<{ clr_type: string; setl_optins: string }[]> {
    return this.store.dataSource.query(
      `SELECT DISTINCT clr_type, setl_optins FROM ${this.rows} WHERE stmt_date BETWEEN $1 AND $2
       ORDER BY clr_type, setl_optins`,
      [begndate, enddate],
    );
  }

  /** A pair's settlement days in the period, and its rows' count and exact sums (numeric, as text). */
  async periodOf(
    pair: { clr_type: string; setl_optins: string },
    begndate: string,
    enddate: string,
  ): Promise<{ days: string[]; count: number; sums: Record<'medfee' | 'fund' | 'acct' | 'cash', string> }> {
    const where = `WHERE clr_type = $1 AND setl_optins = $2 AND stmt_date BETWEEN $3 AND $4`;
    const params = [pair.clr_type, pair.setl_optins, begndate, enddate];
    const days: { day: string }[] = await this.store.dataSource.query(
      `SELECT DISTINCT stmt_date::text AS day FROM ${this.rows} ${where} ORDER BY day`,
      params,
    );
    const [totals]: { count: number; medfee: string; fund: string; acct: string; cash: string }[] =
      await this.store.dataSource.query(
        `SELECT count(*)::int AS count, COALESCE(sum(medfee_sumamt), 0)::text AS medfee,
           COALESCE(sum(fund_pay_sumamt), 0)::text AS fund, COALESCE(sum(acct_pay), 0)::text AS acct,
           COALESCE(sum(cash_payamt), 0)::text AS cash
         FROM ${this.rows} ${where}`,
        params,
      );
    const { count, ...sums } = totals;
    return { days: days.map((d) => d.day), count, sums };
  }
}
