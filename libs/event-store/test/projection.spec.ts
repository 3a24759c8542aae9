import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { waitFor, withClient } from '@yb/testing';
import { CommandHandler, ProjectionRunner, UpcasterRegistry, type RecordedEvent } from '../src';
import {
  feeLedger,
  type FeeLedgerCommand,
  type FeeLedgerEvent,
  type FeeLedgerState,
} from './support/fee-ledger';
import { feeLinesProjection } from './support/fee-lines-projection';
import { openTestEventStore, type TestEventStore } from './support/test-event-store';

// FeeCharged v1 (the HIS integration's first release) carried fen as a number.
const upcasters = new UpcasterRegistry().register('FeeCharged', 1, (data) => {
  const { amount_fen, ...rest } = data as { feedetl_sn: string; amount_fen: number };
  return { ...rest, det_item_fee_sumamt: new Decimal(amount_fen).div(100).toFixed(2) };
});

describe('ProjectionRunner with checkpoints', () => {
  let t: TestEventStore;
  let ledgers: CommandHandler<FeeLedgerCommand, FeeLedgerEvent, FeeLedgerState>;
  beforeAll(async () => {
    t = await openTestEventStore('es_projection', upcasters);
    ledgers = new CommandHandler(t.store, feeLedger);
  });
  afterAll(() => t.close());

  /** The read model's rows, of the given visits only when named (earlier tests' events are in the log too). */
  const readModel = (table: string, visits?: string[]) =>
    t.dataSource.query(
      `SELECT stream_id, feedetl_sn, det_item_fee_sumamt::text AS amount, refunded FROM ${table}
       WHERE $1::text[] IS NULL OR stream_id = ANY($1) ORDER BY 1, 2`,
      [visits ?? null],
    );

  it('keeps the read model up to date while running, and a rebuild from zero equals the live one', async () => {
    const projection = feeLinesProjection(t.schema.schema, 'fee-lines-live');
    await projection.create(t.dataSource.manager);
    const errors: unknown[] = [];
    const runner = new ProjectionRunner(t.store, projection, {
      batchSize: 7,
      pollIntervalMs: 20,
      onError: (e) => errors.push(e),
    });
    let lastEvent: RecordedEvent | undefined;
    runner.start();
    try {
      const visits = Array.from({ length: 5 }, (_, i) => `visit-${i}-${randomUUID()}`);
      // Old-shape events written before the upcaster existed...
      for (const visit of visits) {
        await t.store.appendToStream(visit, 'no-stream', [
          { type: 'FeeCharged', schemaVersion: 1, data: { feedetl_sn: 'OLD', line_no: 1, amount_fen: 1999 } },
        ]);
      }
      // ...then the current decider, several visits at once, with refunds.
      await Promise.all(
        visits.map(async (visit, v) => {
          for (let n = 0; n < 6; n++) {
            const feedetl_sn = `F${n}`;
            await ledgers.handle(visit, {
              type: 'ChargeFee',
              feedetl_sn,
              det_item_fee_sumamt: `${v}.${n}1`,
            });
            if (n % 3 === 0) await ledgers.handle(visit, { type: 'RefundFee', feedetl_sn });
          }
        }),
      );
      lastEvent = (await t.store.readStream(visits[0])).at(-1)!;
      expect(lastEvent.schemaVersion).toBe(2);
      await waitFor('the live projection to have every fee line', async () => {
        const [{ lines, refunded }] = await t.dataSource.query(
          `SELECT count(*)::int AS lines, count(*) FILTER (WHERE refunded)::int AS refunded FROM ${projection.table}`,
        );
        return lines === 35 && refunded === 10 ? true : undefined;
      });
    } finally {
      await runner.stop();
    }
    expect(errors).toEqual([]);
    expect((await runner.checkpoint()).globalPosition).toBeGreaterThanOrEqual(
      lastEvent!.position.globalPosition,
    );

    const live = await readModel(projection.table);
    const oldLines = live.filter((r: { feedetl_sn: string }) => r.feedetl_sn === 'OLD');
    expect(oldLines.map((r: { amount: string }) => r.amount)).toEqual(Array(5).fill('19.99'));
    // Decimal sums, never float: 5 × 19.99 + Σ v.n1 over unrefunded lines.
    const [{ total }] = await t.dataSource.query(
      `SELECT sum(det_item_fee_sumamt)::text AS total FROM ${projection.table} WHERE NOT refunded`,
    );
    let expected = new Decimal('99.95');
    for (let v = 0; v < 5; v++) for (const n of [1, 2, 4, 5]) expected = expected.plus(`${v}.${n}1`);
    expect(total).toBe(expected.toFixed(2));

    const replayed = await runner.rebuild();
    expect(replayed).toBeGreaterThanOrEqual(45);
    expect(await readModel(projection.table)).toEqual(live);
  });

  it('does not move its checkpoint past an event whose transaction commits late', async () => {
    const projection = feeLinesProjection(t.schema.schema, 'fee-lines-late');
    await projection.create(t.dataSource.manager);
    const runner = new ProjectionRunner(t.store, projection);
    await runner.catchUp();
    const late = `late-${randomUUID()}`;
    const early = `early-${randomUUID()}`;

    await withClient(t.schema.databaseUrl, async (writerA) => {
      await writerA.query('BEGIN');
      const [a] = (
        await writerA.query(
          `INSERT INTO ${t.store.tables.events} (stream_id, stream_version, type, schema_version, data)
           VALUES ($1, 1, 'FeeCharged', 2, '{"feedetl_sn":"A","line_no":1,"det_item_fee_sumamt":"1.00"}')
           RETURNING global_position, transaction_id::text AS transaction_id`,
          [late],
        )
      ).rows;
      await ledgers.handle(early, {
        type: 'ChargeFee',
        feedetl_sn: 'B',
        det_item_fee_sumamt: '2',
      });

      await runner.catchUp();
      const checkpoint = await runner.checkpoint();
      expect(checkpoint.transactionId).toBeLessThan(BigInt(a.transaction_id));
      expect(await readModel(projection.table, [late, early])).toEqual([]);
      await writerA.query('COMMIT');
    });

    await waitFor('both fee lines', async () => {
      await runner.catchUp();
      const rows = await readModel(projection.table, [late, early]);
      return rows.length === 2 ? rows : undefined;
    });
    expect(await readModel(projection.table, [late, early])).toEqual([
      { stream_id: early, feedetl_sn: 'B', amount: '2.00', refunded: false },
      { stream_id: late, feedetl_sn: 'A', amount: '1.00', refunded: false },
    ]);
  });

  it('rolls a failed batch back with its checkpoint and applies it again', async () => {
    const projection = feeLinesProjection(t.schema.schema, 'fee-lines-failing');
    await projection.create(t.dataSource.manager);
    await new ProjectionRunner(t.store, projection).catchUp();
    const visit = `visit-${randomUUID()}`;
    await ledgers.handle(visit, {
      type: 'ChargeFee',
      feedetl_sn: 'F1',
      det_item_fee_sumamt: '1',
    });
    await ledgers.handle(visit, {
      type: 'ChargeFee',
      feedetl_sn: 'F2',
      det_item_fee_sumamt: '2',
    });
    let failOn: string | null = 'F2';
    const flaky = {
      ...projection,
      apply: async (
        event: Parameters<typeof projection.apply>[0],
        manager: Parameters<typeof projection.apply>[1],
      ) => {
        await projection.apply(event, manager);
        if ((event.data as { feedetl_sn: string }).feedetl_sn === failOn)
          throw new Error('read model unavailable');
      },
    };
    const runner = new ProjectionRunner(t.store, flaky);
    const before = await runner.checkpoint();
    await waitFor('both events to be committed and readable', async () =>
      (await t.store.readAll({ after: before })).length === 2 ? true : undefined,
    );
    await expect(runner.catchUp()).rejects.toThrow('read model unavailable');
    expect(await runner.checkpoint()).toEqual(before);
    expect(await readModel(projection.table, [visit])).toEqual([]);
    failOn = null;
    await runner.catchUp();
    expect(
      (await readModel(projection.table, [visit])).map((r: { feedetl_sn: string }) => r.feedetl_sn),
    ).toEqual(['F1', 'F2']);
  });
});
