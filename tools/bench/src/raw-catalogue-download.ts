// The raw catalogue download, the yardstick for the catalogue service's: the same 1312 pages asked of the same
// sandbox with plain fetch (no platform client, no journal, no event store, no Kafka) and each page loaded with one
// multi-row INSERT (unnest of one array per column) into a table with the service's `hilist` columns, key and
// indexes. What the service adds on top of this is the design's cost.
import { shanghaiSecondStamp } from '@yb/platform-client';
import { createTestSchema, type TestSchema } from '@yb/testing';
import { Pool } from 'pg';
import { rawPlatformRequestBody } from './raw-platform-request';

/** The columns the service lifts out of a 1312 row (apps/catalogue's HILIST), each kept as text. */
const COLUMNS = [
  'rid',
  'hilist_code',
  'hilist_name',
  'list_type',
  'med_chrgitm_type',
  'chrgitm_lv',
  'lmt_used_flag',
  'insu_admdvs',
  'memo',
  'begndate',
  'enddate',
  'vali_flag',
  'updt_time',
] as const;

// Its own msgids, so that they never collide with the service's in the sandbox.
const RAW_MSGID_PREFIX = 'H42010299998';

export interface RawDownloadMeasurement {
  readonly rows: number;
  readonly pages: number;
  readonly wallMs: number;
  readonly rowsPerSecond: number;
  /** This process's CPU (user + system) over the run, ms: the raw download is the only work it does then. */
  readonly cpuMs: number;
  /** The largest updt_time loaded: where an incremental run starts. */
  readonly cursor: string;
}

/** A throw-away schema with one table shaped like the service's hilist, and the pool that loads it. */
export class RawCatalogueDownload {
  private msgidSeq = 0;

  private constructor(
    private readonly schema: TestSchema,
    private readonly pool: Pool,
    private readonly simUrl: string,
    private readonly pageSize: number,
  ) {}

  static async start(simUrl: string, pageSize: number): Promise<RawCatalogueDownload> {
    const schema = await createTestSchema('bench_raw_catalogue');
    const pool = new Pool({ connectionString: schema.databaseUrl, max: 1 });
    const table = `"${schema.schema}".hilist`;
    await pool.query(
      `CREATE TABLE ${table} (${COLUMNS.map((c) => `${c} text${c === 'rid' ? ' PRIMARY KEY' : ''}`).join(', ')}, ` +
        `row jsonb NOT NULL)`,
    );
    for (const column of ['hilist_code', 'hilist_name'])
      await pool.query(`CREATE INDEX ON ${table} (${column} text_pattern_ops)`);
    return new RawCatalogueDownload(schema, pool, simUrl, pageSize);
  }

  /** Every page of 1312 updated after `cursor`, fetched and inserted one after the other. */
  async download(cursor: string): Promise<RawDownloadMeasurement> {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    let rows = 0;
    let pages = 0;
    let newest = cursor;
    for (let page_num = 1; ; page_num += 1) {
      const data = await this.page(cursor, page_num);
      pages += 1;
      if (data.length > 0) {
        await this.pool.query(
          `INSERT INTO "${this.schema.schema}".hilist (${COLUMNS.join(', ')}, row) ` +
            `SELECT * FROM unnest(${COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(', ')}, $${COLUMNS.length + 1}::jsonb[])`,
          [
            ...COLUMNS.map((c) => data.map((row) => (row[c] === '' ? null : (row[c] ?? null)))),
            data.map((row) => JSON.stringify(row)),
          ],
        );
        rows += data.length;
        newest = data.reduce((max, row) => ((row.updt_time ?? '') > max ? row.updt_time! : max), newest);
      }
      if (data.length < this.pageSize) break;
    }
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    return {
      rows,
      pages,
      wallMs,
      rowsPerSecond: (rows / Math.max(1, wallMs)) * 1000,
      cpuMs: (cpu.user + cpu.system) / 1000,
      cursor: newest,
    };
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${this.schema.schema}".hilist`,
    );
    return rows[0]!.n;
  }

  async stop(): Promise<void> {
    await this.pool.end();
    await this.schema.drop();
  }

  private async page(updt_time: string, page_num: number): Promise<Record<string, string | undefined>[]> {
    const now = new Date();
    const response = await fetch(`${this.simUrl}/fsi/api/rsfComIfsService/callService`, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body: JSON.stringify(
        rawPlatformRequestBody({
          infno: '1312',
          msgid: `${RAW_MSGID_PREFIX}${shanghaiSecondStamp(now)}${String(this.msgidSeq++ % 10_000).padStart(4, '0')}`,
          input: { data: { updt_time, page_num, page_size: this.pageSize } },
          now,
        }),
      ),
    });
    const answer = (await response.json()) as {
      infcode: number | string;
      err_msg?: string;
      output?: { data?: Record<string, string>[] };
    };
    if (Number(answer.infcode) !== 0 || !answer.output?.data)
      throw new Error(`raw 1312 page ${page_num}: ${answer.infcode} ${answer.err_msg ?? 'no data'}`);
    return answer.output.data;
  }
}
