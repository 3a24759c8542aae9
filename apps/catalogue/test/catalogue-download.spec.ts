import {
  commandTopic,
  createEnvelope,
  DeadLetterHeaders,
  dlqTopic,
  parseMessage,
  Topics,
  type MessageOf,
  type MessageType,
} from '@yb/contracts';
import { KafkaPublisher } from '@yb/messaging';
import { databaseUrl, HospitalServices, testKafka, uniqueName, waitFor, withClient } from '@yb/testing';
import { type Consumer, type KafkaMessage } from 'kafkajs';

// catalogue as production runs it (a child process) against the platform simulator's generated catalogue, on
// the real Kafka and PostgreSQL: the first download starts at start-up, is killed mid-way (SIGKILL) and goes
// on after the restart; then a person asks for a download and only the rows the platform added come.

const ITEMS = 12_000;
const PAGE_SIZE = 400;
const PAGES = ITEMS / PAGE_SIZE;
const WAIT = { timeoutMs: 120_000 };
// Eight catalogues download at start, two at a time, on a machine shared with other runs.
const LONG = 180_000;
/** 1310/1311 按病种/日间手术病种, 1313 肿瘤形态学, 1314/1315 中医疾病/证候: files by 版本号 like 1307. */
const NEW_FILE_CATALOGUES = ['1310', '1311', '1313', '1314', '1315'];
const FILE_TABLES: Record<string, string> = {
  '1310': 'disease_payment',
  '1311': 'day_surgery',
  '1313': 'tumour_morphology',
  '1314': 'tcm_disease',
  '1315': 'tcm_syndrome',
};

/** A page of 目录查询 (or its refusal). */
interface LookupBody {
  total: number;
  page: number;
  page_size: number;
  items: Record<string, string | null>[];
  message?: string;
}

interface EventRow {
  stream_id: string;
  type: string;
  data: { run_id: string; page_num?: number; rows?: number; cursor?: string; trigger?: string };
}

describe('catalogue: downloads by version, resumed after a crash; item mappings through 3301/3302', () => {
  let hospital: HospitalServices;
  let publisher: KafkaPublisher;
  const readers: Consumer[] = [];
  const mappings: MessageOf<'ItemMappingPublished'>[] = [];
  const versions: MessageOf<'CatalogueVersionDownloaded'>[] = [];
  const deadLetters: KafkaMessage[] = [];
  const operator = { username: 'zhangli', role: 'operator' as const };
  const command = (type: MessageType, key: string, data: unknown) =>
    publisher.publish(
      hospital.topic(commandTopic('catalogue')),
      createEnvelope({ type, schemaVersion: 1, key, data }),
    );

  const query = <T>(sql: string, values: unknown[] = []) =>
    withClient(databaseUrl(), async (client) => (await client.query(sql, values)).rows as T[]);
  const schema = () => hospital.schemaOf('catalogue');
  const events = (infno: string) =>
    query<EventRow>(
      `SELECT stream_id, type, data FROM "${schema()}".events WHERE stream_id = $1 ORDER BY stream_version`,
      [`catalogue-${infno}`],
    );
  const count = async (table: string) =>
    (await query<{ n: number }>(`SELECT count(DISTINCT rid)::int AS n FROM "${schema()}".${table}`))[0].n;
  const completed = async (infno: string) =>
    (await events(infno)).filter((e) => e.type === 'DownloadCompleted');
  /** Each completed download's rows, time (started → completed, as recorded) and rows/s, for the closing note. */
  const printFigures = async (infnos: string[]) => {
    const runs = await query<{ infno: string; trigger: string; rows: number; seconds: number }>(
      `SELECT substr(s.stream_id, 11) AS infno, s.data->>'trigger' AS trigger, (c.data->>'rows')::int AS rows,
         extract(epoch FROM c.recorded_at - s.recorded_at)::float AS seconds
       FROM "${schema()}".events s JOIN "${schema()}".events c
         ON c.stream_id = s.stream_id AND c.type = 'DownloadCompleted' AND c.data->>'run_id' = s.data->>'run_id'
       WHERE s.type = 'DownloadStarted' AND s.stream_id = ANY($1::text[]) ORDER BY s.stream_id, s.stream_version`,
      [infnos.map((infno) => `catalogue-${infno}`)],
    );
    console.log(
      runs
        .map(
          (r) =>
            `catalogue ${r.infno} (${r.trigger}): ${r.rows} rows in ${r.seconds.toFixed(2)} s, ` +
            `${Math.round(r.rows / Math.max(r.seconds, 0.001))} rows/s`,
        )
        .join('\n'),
    );
  };

  beforeAll(async () => {
    hospital = await HospitalServices.start({
      label: 'catalogue',
      services: ['catalogue'],
      env: { OTEL_SDK_DISABLED: 'true', NHSA_TIMEOUT_MS: '5000' },
      simEnv: {
        PLATFORM_SIM_CATALOGUE_ITEMS: String(ITEMS),
        // 1307 as three files (versions) of 1000, 1000 and 500 diagnoses.
        PLATFORM_SIM_FILE_CATALOGUE_ROWS: '2500',
        PLATFORM_SIM_FILE_CATALOGUE_VERSION_ROWS: '1000',
        // Each 1312A page answers 150 ms late, so that the download is surely mid-way when it is killed.
        PLATFORM_SIM_FAULTS: JSON.stringify([
          { infno: '1312A', mode: 'latency', latencyMs: 150, times: 10_000 },
        ]),
      },
      serviceEnv: {
        catalogue: {
          CATALOGUE_DOWNLOADS: `1312A,1318,1307,${NEW_FILE_CATALOGUES.join(',')}`,
          CATALOGUE_PAGE_SIZE: String(PAGE_SIZE),
          CATALOGUE_SCHEDULE_CHECK_MS: '500',
        },
      },
    });
    publisher = new KafkaPublisher(testKafka());
    await publisher.connect();
    const read = async (topic: string, each: (message: KafkaMessage) => void) => {
      const reader = testKafka().consumer({ groupId: uniqueName('catalogue-reader'), maxWaitTimeInMs: 200 });
      readers.push(reader);
      await reader.connect();
      await reader.subscribe({ topic, fromBeginning: true });
      await reader.run({ eachMessage: async ({ message }) => each(message) });
    };
    await read(hospital.topic(Topics.catalogueMappings), (message) =>
      mappings.push(parseMessage(JSON.parse(message.value!.toString())) as MessageOf<'ItemMappingPublished'>),
    );
    await read(dlqTopic(hospital.topic(commandTopic('catalogue'))), (message) => deadLetters.push(message));
    await read(hospital.topic(Topics.catalogueVersions), (message) =>
      versions.push(
        parseMessage(JSON.parse(message.value!.toString())) as MessageOf<'CatalogueVersionDownloaded'>,
      ),
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all(readers.map((r) => r.disconnect()));
    await publisher?.disconnect();
    await hospital?.stop();
  });

  it(
    'loads every row once when the first download is killed mid-way and resumed',
    async () => {
      await waitFor(
        'a few pages of 1312A loaded',
        async () => (await events('1312A')).filter((e) => e.type === 'PageLoaded').length >= 3 || undefined,
        WAIT,
      );
      expect(await completed('1312A')).toHaveLength(0);
      await hospital.crashAndRestart('catalogue');
      await hospital.sim.admin('DELETE', '/sim/faults');

      const [done] = await waitFor(
        '1312A downloaded',
        async () => (await completed('1312A'))[0] && completed('1312A'),
        WAIT,
      );
      const recorded = (await events('1312A')).filter(
        (e) => e.type === 'PageLoaded' && e.data.run_id === done.data.run_id,
      );
      expect(recorded.map((e) => e.data.page_num)).toEqual(Array.from({ length: PAGES }, (_, i) => i + 1));
      expect(recorded.reduce((sum, e) => sum + (e.data.rows ?? 0), 0)).toBe(ITEMS);
      expect(done.data.rows).toBe(ITEMS);
      expect(await count('hilist')).toBe(ITEMS);
      const [{ n }] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema()}".hilist`);
      expect(n).toBe(ITEMS);
      // One start only: the restart went on with the open run instead of starting another.
      expect((await events('1312A')).filter((e) => e.type === 'DownloadStarted')).toHaveLength(1);
      await waitFor('1318 downloaded', async () => (await completed('1318'))[0], WAIT);
      expect(await count('price_limit')).toBe(ITEMS);
      const [ceftriaxone] = await query<{ amount: string }>(
        `SELECT hilist_pric_uplmt_amt::text AS amount FROM "${schema()}".price_limit WHERE hilist_code = $1`,
        ['XJ01DDA068B002010101445'],
      );
      expect(ceftriaxone.amount).toBe('50.00');
    },
    LONG,
  );

  it('loads 1307 a version at a time, each file fetched with 9102 and unzipped, up to the newest version', async () => {
    const [done] = await waitFor(
      '1307 downloaded',
      async () => (await completed('1307'))[0] && completed('1307'),
      WAIT,
    );
    const pages = (await events('1307')).filter(
      (e) => e.type === 'PageLoaded' && e.data.run_id === done.data.run_id,
    );
    expect(pages.map((e) => e.data.rows)).toEqual([1000, 1000, 500, 0]);
    expect(done.data.cursor).toBe('1307V0003');
    expect(await count('diagnosis')).toBe(2500);
    const [row] = await query<{ diag_code: string; diag_name: string; ver: string }>(
      `SELECT diag_code, diag_name, ver FROM "${schema()}".diagnosis WHERE rid = $1`,
      ['1307R0000002400'],
    );
    expect(row).toEqual({
      diag_code: expect.stringMatching(/^[A-Z]\d{2}\.02400$/),
      diag_name: expect.stringMatching(/2400$/),
      ver: '1307V0003',
    });
  });

  it(
    'loads 1310, 1311, 1313, 1314 and 1315 by version like 1307, then only the version the platform adds',
    async () => {
      const runs = await waitFor(
        'the five file catalogues downloaded',
        async () => {
          const done = await Promise.all(
            NEW_FILE_CATALOGUES.map(async (infno) => (await completed(infno))[0]),
          );
          return done.every(Boolean) ? done : undefined;
        },
        WAIT,
      );
      for (const [k, infno] of NEW_FILE_CATALOGUES.entries()) {
        const pages = (await events(infno)).filter(
          (e) => e.type === 'PageLoaded' && e.data.run_id === runs[k].data.run_id,
        );
        expect({ infno, rows: pages.map((e) => e.data.rows), cursor: runs[k].data.cursor }).toEqual({
          infno,
          rows: [1000, 1000, 500, 0],
          cursor: `${infno}V0003`,
        });
        expect(await count(FILE_TABLES[infno])).toBe(2500);
      }
      const [tcm] = await query<Record<string, string>>(
        `SELECT tcm_dise_code, tcm_dise_name, vali_flag, ver, ver_name FROM "${schema()}".tcm_disease WHERE rid = $1`,
        ['1314R0000000007'],
      );
      expect(tcm).toEqual({
        tcm_dise_code: 'A000007',
        tcm_dise_name: expect.stringMatching(/7$/),
        vali_flag: '1',
        ver: '1314V0001',
        ver_name: '1314版本1',
      });
      const [daySurgery] = await query<Record<string, string>>(
        `SELECT daysrg_dise_list_code, oprn_oprt_code FROM "${schema()}".day_surgery WHERE rid = $1`,
        ['1311R0000002400'],
      );
      expect(daySurgery).toEqual({ daysrg_dise_list_code: 'RJ002400', oprn_oprt_code: '00.002400' });

      // The platform publishes 400 more rows of each: a person's download brings only the fourth version.
      await hospital.sim.admin('POST', '/sim/catalogue', { file_rows: 2900 });
      for (const infno of ['1310', '1315'])
        await command('DownloadCatalogue', infno, { infno, requested_by: operator });
      for (const infno of ['1310', '1315']) {
        const [, second] = await waitFor(
          `the second ${infno} download`,
          async () => {
            const list = await completed(infno);
            return list.length >= 2 ? list : undefined;
          },
          WAIT,
        );
        const started = (await events(infno)).filter((e) => e.type === 'DownloadStarted');
        expect((started[1].data as { from_cursor?: string }).from_cursor).toBe(`${infno}V0003`);
        expect(second.data).toMatchObject({ rows: 400, cursor: `${infno}V0004` });
        expect(await count(FILE_TABLES[infno])).toBe(2900);
      }
      // Each version published for the dashboard, keyed by the catalogue: the first (start) and the operator's.
      const published = await waitFor(
        'both 1315 versions published',
        () => {
          const of1315 = versions.filter((v) => v.key === '1315');
          return of1315.length >= 2 ? of1315 : undefined;
        },
        WAIT,
      );
      expect(published.map((v) => v.data)).toEqual([
        expect.objectContaining({ infno: '1315', version: '1315V0003', rows: 2500, trigger: 'start' }),
        expect.objectContaining({
          infno: '1315',
          version: '1315V0004',
          rows: 400,
          trigger: 'operator',
          requested_by: 'zhangli',
        }),
      ]);
      await printFigures(NEW_FILE_CATALOGUES);
    },
    LONG,
  );

  it('asks only for what is newer than the local cursor when a person asks for a download', async () => {
    const [first] = await completed('1318');
    await hospital.sim.admin('POST', '/sim/catalogue', { items: ITEMS + 250 });
    await command('DownloadCatalogue', '1318', { infno: '1318', requested_by: operator });
    const runs = await waitFor(
      'the second 1318 download',
      async () => {
        const list = await completed('1318');
        return list.length >= 2 ? list : undefined;
      },
      WAIT,
    );
    const started = (await events('1318')).filter((e) => e.type === 'DownloadStarted');
    expect(started[1].data).toMatchObject({ trigger: 'operator' });
    expect((started[1].data as { from_cursor?: string }).from_cursor).toBe(first.data.cursor);
    expect(runs[1].data.rows).toBe(250);
    expect(runs[1].data.cursor! > first.data.cursor!).toBe(true);
    expect(await count('price_limit')).toBe(ITEMS + 250);
    await printFigures(['1312A', '1318']);
  });

  it('serves every downloaded kind to 目录查询: by code prefix, name prefix and validity on a date', async () => {
    const url = hospital.service('catalogue').ready[1];
    const get = async (route: string) => {
      const answer = await fetch(`${url}/catalogue/lookup${route}`);
      return { status: answer.status, body: (await answer.json()) as LookupBody };
    };
    const kinds = (await fetch(`${url}/catalogue/lookup`).then((r) => r.json())) as {
      kind: string;
      infnos: string[];
      rows: number;
    }[];
    expect(kinds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'hilist', infnos: ['1312', '1312A'], rows: ITEMS }),
        expect.objectContaining({ kind: 'tcm_disease', infnos: ['1314'], rows: 2500 }),
        expect.objectContaining({ kind: 'disease_payment', infnos: ['1310'], rows: 2900 }),
      ]),
    );

    const byCode = await get('/tcm_disease?code=A000007');
    expect(byCode.body).toMatchObject({ total: 1, items: [{ tcm_dise_code: 'A000007', vali_flag: '1' }] });
    // 胸痹 is every eighth name from the third: 313 of 2,500, a page of 50 at a time.
    const byName = await get('/tcm_disease?name=%E8%83%B8%E7%97%B9&page=2');
    expect(byName.body).toMatchObject({ total: 313, page: 2, page_size: 50 });
    expect(byName.body.items).toHaveLength(50);
    expect(byName.body.items.every((r) => r.tcm_dise_name!.startsWith('胸痹'))).toBe(true);
    // A wildcard typed by a person is a character: nothing is named "%".
    expect((await get('/tcm_disease?name=%25')).body).toMatchObject({ total: 0, items: [] });

    // The 医保目录 is valid from 2024-01-01: found on a day after, not on a day before.
    const amoxicillin = '/hilist?name=%E9%98%BF%E8%8E%AB%E8%A5%BF%E6%9E%97&page_size=5';
    const valid = await get(`${amoxicillin}&date=2024-06-01`);
    expect(valid.body.total).toBeGreaterThan(0);
    expect(valid.body.items[0].hilist_name).toMatch(/^阿莫西林/);
    expect((await get(`${amoxicillin}&date=2023-12-31`)).body).toMatchObject({ total: 0 });
    expect((await get('/price_limit?code=XJ01DDA068B002010101445')).body.items).toEqual([
      expect.objectContaining({ hilist_code: 'XJ01DDA068B002010101445', hilist_pric_uplmt_amt: '50.00' }),
    ]);

    expect((await get('/no_such_kind')).status).toBe(404);
    expect(await get('/hilist?date=2024-6-1')).toEqual({
      status: 400,
      body: expect.objectContaining({ message: '日期须为 yyyy-MM-dd' }),
    });
    expect((await get('/hilist?sort=name')).body.message).toBe('不认识的查询参数：sort');
  });

  it(
    "maps a hospital item with 3301, publishes the mapping with the code's price limit, and withdraws it with 3302",
    async () => {
      const AMOXICILLIN = 'XJ01CAA040A001010101445';
      await publisher.publish(
        hospital.topic(Topics.hisCatalogue),
        createEnvelope({
          type: 'HospitalItemsPublished',
          schemaVersion: 1,
          key: 'items-1',
          data: {
            list_id: 'items-1',
            items: [
              {
                fixmedins_hilist_id: 'YP-AMOX-025',
                fixmedins_hilist_name: '阿莫西林胶囊',
                list_type: '101',
                spec: '0.5g',
                prdr_name: '华中药业',
              },
            ],
          },
        }),
      );
      await waitFor(
        'the item recorded',
        async () =>
          (await query(`SELECT 1 FROM "${schema()}".events WHERE stream_id = 'item-YP-AMOX-025'`))[0],
        WAIT,
      );
      // The mapping screen's suggestions: same name, spec and manufacturer first (a person may choose another).
      const url = hospital.service('catalogue').ready[1];
      const suggested = (await (await fetch(`${url}/catalogue/items/YP-AMOX-025/suggestions`)).json()) as {
        med_list_codg: string;
        hilist_name: string;
        memo: string;
        score: number;
      }[];
      expect(suggested[0]).toMatchObject({ hilist_name: '阿莫西林胶囊', memo: '0.5g 华中药业', score: 7 });
      expect(suggested.every((s) => s.hilist_name.startsWith('阿莫西林'))).toBe(true);
      await command('ConfirmItemMapping', 'YP-AMOX-025', {
        fixmedins_hilist_id: 'YP-AMOX-025',
        med_list_codg: AMOXICILLIN,
        requested_by: operator,
      });
      const mapped = await waitFor(
        'the mapping published',
        () => mappings.find((m) => m.data.status === 'mapped'),
        WAIT,
      );
      expect(mapped.key).toBe('YP-AMOX-025');
      // 1319 is not among this test's downloads: no self-pay ratio is known, so none is published.
      expect(mapped.data.selfpay_prop).toBeUndefined();
      expect(mapped.data).toMatchObject({
        med_list_codg: AMOXICILLIN,
        list_type: '101',
        pric_uplmt_amt: '30.00',
        begndate: '2024-01-01',
        mapped_by: 'zhangli',
      });
      const ledger = () =>
        hospital.sim.admin<{ itemMappings: { fixmedins_hilist_id: string; med_list_codg: string }[] }>(
          'GET',
          '/sim/ledger',
        );
      expect((await ledger()).itemMappings).toEqual([
        expect.objectContaining({ fixmedins_hilist_id: 'YP-AMOX-025', med_list_codg: AMOXICILLIN }),
      ]);

      await command('WithdrawItemMapping', 'YP-AMOX-025', {
        fixmedins_hilist_id: 'YP-AMOX-025',
        requested_by: operator,
      });
      await waitFor(
        'the withdrawal published',
        () => mappings.find((m) => m.data.status === 'withdrawn'),
        WAIT,
      );
      expect((await ledger()).itemMappings).toEqual([]);
      const history = await query<{ type: string; by: string | null }>(
        `SELECT type, data->>'by' AS by FROM "${schema()}".events WHERE stream_id = 'item-YP-AMOX-025' ORDER BY stream_version`,
      );
      expect(history).toEqual([
        { type: 'ItemRecorded', by: null },
        { type: 'MappingConfirmed', by: 'zhangli' },
        { type: 'MappingUploaded', by: null },
        { type: 'WithdrawalRequested', by: 'zhangli' },
        { type: 'MappingWithdrawn', by: null },
      ]);
    },
    LONG,
  );

  it('dead-letters a mapping to a code the catalogue does not hold, with the reason', async () => {
    await command('ConfirmItemMapping', 'YP-AMOX-025', {
      fixmedins_hilist_id: 'YP-AMOX-025',
      med_list_codg: 'XNOSUCHCODE',
      requested_by: operator,
    });
    const dead = await waitFor('the dead letter', () => deadLetters[0], WAIT);
    expect(dead.headers?.[DeadLetterHeaders.reason]?.toString()).toMatch(/医保目录中没有编码 XNOSUCHCODE/);
  });
});
