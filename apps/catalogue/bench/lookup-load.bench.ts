// How fast a catalogue's rows reach its lookup table (not a test):
//   node -r ./tools/runtime/ts-register.js apps/catalogue/bench/lookup-load.bench.ts [--rows 200000] [--page 1000]
// Rows shaped like 1312's answer are read (readRows, as a download reads a page) and upserted page by page
// (LookupTables.load: one statement per page, the page one jsonb parameter) into a throw-away schema on the real PostgreSQL, then
// loaded again (every row an update: a page loaded twice after a crash). Printed: seconds, rows/s, heap.
import { parseArgs } from 'node:util';
import { createTestSchema } from '@yb/testing';
import { DataSource } from 'typeorm';
import { HILIST } from '../src/lookup/catalogue-kinds';
import { readRows } from '../src/lookup/lookup-rows';
import { LookupTables } from '../src/lookup/lookup-tables';

const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '200000' }, page: { type: 'string', default: '1000' } },
});
const ROWS = Number(args.rows);
const PAGE = Number(args.page);

const row = (i: number) => ({
  hilist_code: `X01${String(i).padStart(9, '0')}B001`,
  hilist_name: `阿莫西林胶囊 ${i % 97}`,
  insu_admdvs: '420000',
  begndate: '2024-01-01',
  enddate: '',
  med_chrgitm_type: '09',
  chrgitm_lv: '02',
  lmt_used_flag: '0',
  list_type: '101',
  med_use_flag: '1',
  vali_flag: '1',
  memo: '0.25g 华中药业',
  rid: `H420000${String(i).padStart(12, '0')}`,
  updt_time: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().slice(0, 19).replace('T', ' '),
  crte_time: '2024-01-01 08:00:00',
});

async function main(): Promise<void> {
  const schema = await createTestSchema('catalogue_bench');
  const dataSource = new DataSource({ type: 'postgres', url: schema.databaseUrl, poolSize: 2 });
  await dataSource.initialize();
  try {
    const tables = new LookupTables(dataSource, schema.schema);
    await tables.ensure();
    for (const pass of ['insert', 'upsert again']) {
      const started = process.hrtime.bigint();
      let heap = 0;
      for (let first = 0; first < ROWS; first += PAGE) {
        const page = Array.from({ length: Math.min(PAGE, ROWS - first) }, (_, k) => row(first + k));
        await tables.load(HILIST, readRows(HILIST, page));
        heap = Math.max(heap, process.memoryUsage().heapUsed);
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(
        `${pass}: ${ROWS} rows in pages of ${PAGE}: ${seconds.toFixed(2)} s, ${Math.round(ROWS / seconds)} rows/s, ` +
          `peak heap ${(heap / 2 ** 20).toFixed(0)} MiB, table ${await tables.count(HILIST)} rows`,
      );
    }
  } finally {
    await dataSource.destroy();
    await schema.drop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
