import { createTestSchema, type TestSchema } from '@yb/testing';
import { DataSource } from 'typeorm';
import { PRICE_LIMIT } from './catalogue-kinds';
import { readRows } from './lookup-rows';
import { LookupTables } from './lookup-tables';

// The page goes to PostgreSQL as one jsonb array: each value must land in its own column with its type, the row
// kept whole, and a page loaded again (a crash between loading and recording it) must leave each row once.
describe('LookupTables.load (real PostgreSQL)', () => {
  let schema: TestSchema;
  let dataSource: DataSource;
  let tables: LookupTables;

  beforeAll(async () => {
    schema = await createTestSchema('catalogue_lookup_tables');
    dataSource = new DataSource({ type: 'postgres', url: schema.databaseUrl, poolSize: 1 });
    await dataSource.initialize();
    tables = new LookupTables(dataSource, schema.schema);
    await tables.ensure();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await schema?.drop();
  });

  const limit = (rid: string, amount: unknown, extra: Record<string, unknown> = {}) => ({
    rid,
    hilist_code: `XA01${rid}`,
    hilist_pric_uplmt_amt: amount,
    updt_time: '2024-01-01 00:00:00',
    ...extra,
  });

  const stored = () =>
    dataSource.query(
      `SELECT rid, hilist_code, hilist_pric_uplmt_amt::text AS amount, hilist_lmtpric_type, insu_admdvs, row ` +
        `FROM "${schema.schema}".price_limit ORDER BY rid`,
    ) as Promise<Record<string, unknown>[]>;

  it('writes each value to its column with its type, a field not given as NULL, and the row whole', async () => {
    const quoted = 'a "quoted", {braced} \\ back-slashed 限价';
    const page = [
      limit('1', '86.40', { hilist_lmtpric_type: quoted }),
      limit('2', 12, { insu_admdvs: '420100', memo: null }),
    ];
    expect(await tables.load(PRICE_LIMIT, readRows(PRICE_LIMIT, page))).toBe(2);
    expect(await stored()).toEqual([
      {
        rid: '1',
        hilist_code: 'XA011',
        amount: '86.40',
        hilist_lmtpric_type: quoted,
        insu_admdvs: null,
        row: page[0],
      },
      {
        rid: '2',
        hilist_code: 'XA012',
        amount: '12',
        hilist_lmtpric_type: null,
        insu_admdvs: '420100',
        row: page[1],
      },
    ]);
  });

  it('leaves each row once when a page is loaded again, with the values loaded last', async () => {
    const page = [limit('1', '90.00'), limit('3', '1.5')];
    await tables.load(PRICE_LIMIT, readRows(PRICE_LIMIT, page));
    await tables.load(PRICE_LIMIT, readRows(PRICE_LIMIT, page));
    const rows = await stored();
    expect(rows.map((r) => [r.rid, r.amount])).toEqual([
      ['1', '90.00'],
      ['2', '12'],
      ['3', '1.5'],
    ]);
    expect(rows[0].row).toEqual(page[0]);
  });
});
