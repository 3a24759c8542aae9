import { type EventStore, type Projection, type RecordedEvent, withAdvisoryLock } from '@yb/event-store';
import { type EntityManager } from 'typeorm';
import { FEE_LEDGER_STREAM_PREFIX } from './fee-ledger-workflow';
import { type FeeLedgerEventOf } from './fee-ledger.events';

/**
 * Which visits hold lines of which hospital item (a projection of the ledgers' FeeLinesHeld and what ends a
 * hold): when an item's mapping arrives, the visits to release are one indexed query away, not a read of every
 * ledger. Rebuilt from the events under a new projection name.
 */
export class HeldItems implements Projection {
  readonly name = 'fee-detail-held-items-v1';
  readonly eventTypes = ['FeeLinesHeld', 'HeldFeeLinesReleased', 'HeldFeeLinesRefused', 'FeeLinesWithdrawn'];
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
        `CREATE INDEX IF NOT EXISTS held_fee_items_item ON ${this.table} (medins_list_codg)`,
      );
    });
  }

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const ipt_no = event.streamId.slice(FEE_LEDGER_STREAM_PREFIX.length);
    switch (event.type) {
      case 'FeeLinesHeld': {
        const { lines } = event.data as FeeLedgerEventOf<'FeeLinesHeld'>['data'];
        await manager.query(
          `INSERT INTO ${this.table} (ipt_no, feedetl_sn, medins_list_codg)
           SELECT $1, * FROM unnest($2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
          [ipt_no, lines.map((h) => h.line.feedetl_sn), lines.map((h) => h.line.medins_list_codg)],
        );
        return;
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

  /** Every hospital item some line waits for. */
  async items(): Promise<string[]> {
    const rows: { medins_list_codg: string }[] = await this.store.dataSource.query(
      `SELECT DISTINCT medins_list_codg FROM ${this.table}`,
    );
    return rows.map((r) => r.medins_list_codg);
  }

  /** The visits holding lines of any of these items. */
  async visitsHolding(items: readonly string[]): Promise<string[]> {
    if (items.length === 0) return [];
    const rows: { ipt_no: string }[] = await this.store.dataSource.query(
      `SELECT DISTINCT ipt_no FROM ${this.table} WHERE medins_list_codg = ANY($1::text[]) ORDER BY ipt_no`,
      [items],
    );
    return rows.map((r) => r.ipt_no);
  }

  private async endHolds(manager: EntityManager, ipt_no: string, feedetl_sns: string[]): Promise<void> {
    await manager.query(`DELETE FROM ${this.table} WHERE ipt_no = $1 AND feedetl_sn = ANY($2::text[])`, [
      ipt_no,
      feedetl_sns,
    ]);
  }
}
