import { type EventStore, type Projection, type RecordedEvent, withAdvisoryLock } from '@yb/event-store';
import { type EntityManager } from 'typeorm';
import { FEE_LEDGER_STREAM_PREFIX } from './fee-ledger-workflow';
import { type FeeLedgerEventOf, type HeldFeeLine } from './fee-ledger.events';

/**
 * What held lines of a hospital item wait on: its mapping (no terms), or a person's decision on a price above
 * the limit of the terms they were held against (a new mapping with other terms may admit them).
 */
export interface HeldAgainst {
  readonly medins_list_codg: string;
  readonly terms: { readonly med_list_codg: string; readonly pric_uplmt_amt: string } | null;
}

/**
 * Which visits hold lines of which hospital item, and against which terms (a projection of the ledgers'
 * FeeLinesHeld, HeldFeeLinesRechecked and what ends a hold): when an item's mapping arrives, the visits to
 * release are one indexed query away, not a read of every ledger. Rebuilt from the events under a new projection
 * name (v2 added the terms; its replay from the first event fills them in a table v1 left).
 */
export class HeldItems implements Projection {
  readonly name = 'fee-detail-held-items-v2';
  readonly eventTypes = [
    'FeeLinesHeld',
    'HeldFeeLinesRechecked',
    'HeldFeeLinesReleased',
    'HeldFeeLinesRefused',
    'FeeLinesWithdrawn',
  ];
  private readonly table: string;

  constructor(private readonly store: EventStore) {
    this.table = `"${store.tables.schema}"."held_fee_items"`;
  }

  /** The table, beside the event store's (created once; replicas starting together take turns). */
  async ensureTable(): Promise<void> {
    const { schema } = this.store.tables;
    await withAdvisoryLock(this.store.dataSource, `${schema}:ddl`, 'held_fee_items', async () => {
      await this.store.dataSource.query(
        `CREATE TABLE IF NOT EXISTS ${this.table} (
           ipt_no text NOT NULL,
           feedetl_sn text NOT NULL,
           medins_list_codg text NOT NULL,
           PRIMARY KEY (ipt_no, feedetl_sn))`,
      );
      await this.store.dataSource.query(
        `ALTER TABLE ${this.table} ADD COLUMN IF NOT EXISTS held_codg text,
                                   ADD COLUMN IF NOT EXISTS held_uplmt_amt text`,
      );
      await this.store.dataSource.query(
        `CREATE INDEX IF NOT EXISTS held_fee_items_item ON ${this.table} (medins_list_codg)`,
      );
    });
  }

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const ipt_no = event.streamId.slice(FEE_LEDGER_STREAM_PREFIX.length);
    switch (event.type) {
      case 'FeeLinesHeld':
      case 'HeldFeeLinesRechecked': {
        const { lines } = event.data as FeeLedgerEventOf<'FeeLinesHeld'>['data'];
        return this.hold(manager, ipt_no, lines);
      }
      case 'HeldFeeLinesReleased':
      case 'HeldFeeLinesRefused': {
        const { lines } = event.data as { lines: { feedetl_sn: string }[] };
        return this.endHolds(
          manager,
          ipt_no,
          lines.map((l) => l.feedetl_sn),
        );
      }
      case 'FeeLinesWithdrawn': {
        const { feedetl_sns } = event.data as FeeLedgerEventOf<'FeeLinesWithdrawn'>['data'];
        return this.endHolds(manager, ipt_no, feedetl_sns);
      }
    }
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query(`TRUNCATE ${this.table}`);
  }

  /** What every held line waits on, once per item and terms. */
  async holds(): Promise<HeldAgainst[]> {
    const rows: { medins_list_codg: string; held_codg: string | null; held_uplmt_amt: string | null }[] =
      await this.store.dataSource.query(
        `SELECT DISTINCT medins_list_codg, held_codg, held_uplmt_amt FROM ${this.table}`,
      );
    return rows.map(({ medins_list_codg, held_codg, held_uplmt_amt }) => ({
      medins_list_codg,
      terms:
        held_codg === null || held_uplmt_amt === null
          ? null
          : { med_list_codg: held_codg, pric_uplmt_amt: held_uplmt_amt },
    }));
  }

  /** The visits holding lines on any of these. */
  async visitsHolding(holds: readonly HeldAgainst[]): Promise<string[]> {
    if (holds.length === 0) return [];
    const rows: { ipt_no: string }[] = await this.store.dataSource.query(
      `SELECT DISTINCT h.ipt_no FROM ${this.table} h
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS w(item, codg, uplmt)
         ON h.medins_list_codg = w.item
        AND h.held_codg IS NOT DISTINCT FROM w.codg AND h.held_uplmt_amt IS NOT DISTINCT FROM w.uplmt
       ORDER BY h.ipt_no`,
      [
        holds.map((h) => h.medins_list_codg),
        holds.map((h) => h.terms?.med_list_codg ?? null),
        holds.map((h) => h.terms?.pric_uplmt_amt ?? null),
      ],
    );
    return rows.map((r) => r.ipt_no);
  }

  /** A line held, or held again on other terms (a recheck): the terms are the latest. */
  private async hold(manager: EntityManager, ipt_no: string, lines: readonly HeldFeeLine[]): Promise<void> {
    await manager.query(
      `INSERT INTO ${this.table} (ipt_no, feedetl_sn, medins_list_codg, held_codg, held_uplmt_amt)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT (ipt_no, feedetl_sn) DO UPDATE
         SET held_codg = EXCLUDED.held_codg, held_uplmt_amt = EXCLUDED.held_uplmt_amt`,
      [
        ipt_no,
        lines.map((h) => h.line.feedetl_sn),
        lines.map((h) => h.line.medins_list_codg),
        lines.map((h) => h.finding?.med_list_codg ?? null),
        lines.map((h) => h.finding?.pric_uplmt_amt ?? null),
      ],
    );
  }

  private async endHolds(manager: EntityManager, ipt_no: string, feedetl_sns: string[]): Promise<void> {
    await manager.query(`DELETE FROM ${this.table} WHERE ipt_no = $1 AND feedetl_sn = ANY($2::text[])`, [
      ipt_no,
      feedetl_sns,
    ]);
  }
}
