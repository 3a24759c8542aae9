// A catalogue download end to end, as the benchmark and its smoke test run it: the platform simulator serving its
// generated 医保目录 (1312) of `items` rows, the catalogue service started as production runs it (a child process,
// compiled by default), a full download of 1312 asked on demand (DownloadCatalogue on its command topic) and timed
// to its CatalogueVersionDownloaded; then the sandbox publishes `incremental` more rows and a second download asks
// only for those. The same pages fetched with plain fetch and loaded with one statement per page, in this process,
// are the raw line beside each. The service's RSS (idle at the start of a phase, highest seen, the kernel's VmHWM)
// and CPU, and the sandbox's CPU, are sampled from /proc throughout. Everything it made is removed at the end.
import { loadavg } from 'node:os';
import { commandTopic, createEnvelope, parseMessage, Topics, type MessageOf } from '@yb/contracts';
import { KafkaPublisher } from '@yb/messaging';
import {
  databaseUrl,
  HospitalServices,
  testKafka,
  uniqueName,
  waitFor,
  withClient,
  type ServiceProcessOptions,
} from '@yb/testing';
import { type Consumer } from 'kafkajs';
import { UsageSampler, type ProcessMemory } from './process-usage';
import { RawCatalogueDownload, type RawDownloadMeasurement } from './raw-catalogue-download';

export interface CatalogueDownloadOptions {
  /** Rows of the sandbox's generated catalogue for the full download (the sandbox's default is 100,000). */
  readonly items: number;
  /** Rows the sandbox publishes before the incremental download. */
  readonly incremental: number;
  /** Rows per page (CATALOGUE_PAGE_SIZE; the raw line asks the same). */
  readonly pageSize: number;
  /** How long a download may take before the run gives up, ms. */
  readonly timeoutMs: number;
  readonly raw: boolean;
  readonly process: ServiceProcessOptions;
  readonly log: (line: string) => void;
}

export interface DownloadPhase {
  readonly kind: 'full' | 'incremental';
  /** Rows the service's download recorded (its CatalogueVersionDownloaded). */
  readonly rows: number;
  /** The hilist table's rows once the download was published. */
  readonly tableRows: number;
  readonly version: string;
  /** DownloadCatalogue published → its CatalogueVersionDownloaded read back, ms. */
  readonly wallMs: number;
  readonly rowsPerSecond: number;
  /** The catalogue service's memory over the phase (idle: its RSS when the command was sent). */
  readonly memory: ProcessMemory;
  readonly serviceCpuMs: number;
  /** The sandbox's CPU over the phase; undefined when its process went unsampled. */
  readonly simCpuMs: number | undefined;
  readonly raw?: RawDownloadMeasurement & {
    readonly simCpuMs: number | undefined;
    readonly tableRows: number;
  };
  /** The machine's 1-minute load average at the end of the phase. */
  readonly loadAverage: number;
}

export interface CatalogueDownloadReport {
  readonly options: Pick<CatalogueDownloadOptions, 'items' | 'incremental' | 'pageSize'> & {
    readonly runtime: string;
  };
  readonly full: DownloadPhase;
  readonly incremental: DownloadPhase;
}

const INFNO = '1312';
const OPERATOR = { username: 'bench', role: 'operator' as const };
/** Longer than the usage sampler's interval: a sample after the phase's end is taken before reading it. */
const SAMPLE_SETTLE_MS = 500;
const SAMPLE_EVERY_MS = 100;

export async function runCatalogueDownloadBenchmark(
  o: CatalogueDownloadOptions,
): Promise<CatalogueDownloadReport> {
  o.log(`[bench] starting the platform simulator (${o.items} catalogue rows) and the catalogue service …`);
  const hospital = await HospitalServices.start({
    label: 'bench-cat',
    services: ['catalogue'],
    // info, as in production (and the ready line is logged at info).
    env: { LOG_LEVEL: 'info', OTEL_SDK_DISABLED: 'true' },
    simEnv: { PLATFORM_SIM_CATALOGUE_ITEMS: String(o.items) },
    serviceEnv: {
      catalogue: {
        // Only the dictionaries are downloaded at start (a few calls): 1312 waits to be asked for.
        CATALOGUE_DOWNLOADS: '1901',
        CATALOGUE_PAGE_SIZE: String(o.pageSize),
      },
    },
    process: o.process,
  });
  const publisher = new KafkaPublisher(testKafka());
  let reader: Consumer | undefined;
  let raw: RawCatalogueDownload | undefined;
  try {
    await publisher.connect();
    const versions: { at: number; message: MessageOf<'CatalogueVersionDownloaded'> }[] = [];
    reader = testKafka().consumer({ groupId: uniqueName('bench-cat-versions'), maxWaitTimeInMs: 50 });
    await reader.connect();
    await reader.subscribe({ topic: hospital.topic(Topics.catalogueVersions), fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        versions.push({
          at: performance.now(),
          message: parseMessage(
            JSON.parse(message.value!.toString()),
          ) as MessageOf<'CatalogueVersionDownloaded'>,
        });
      },
    });
    const versionOf = (infno: string, nth: number) =>
      waitFor(
        `catalogue ${infno} version ${nth} published`,
        () => versions.filter((v) => v.message.key === infno)[nth - 1],
        { timeoutMs: o.timeoutMs },
      );
    // The start-up download of the dictionaries done: the service is idle.
    await versionOf('1901', 1);
    if (o.raw) raw = await RawCatalogueDownload.start(hospital.sim.url, o.pageSize);
    const catalogue = hospital.service('catalogue');
    const tableRows = () =>
      withClient(databaseUrl(), async (client) => {
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${hospital.schemaOf('catalogue')}".hilist`,
        );
        return rows[0]!.n;
      });

    const phase = async (
      kind: DownloadPhase['kind'],
      nth: number,
      rawCursor: string | undefined,
    ): Promise<DownloadPhase> => {
      o.log(`[bench] ${kind} download of ${INFNO} asked …`);
      const usage = new UsageSampler(
        () =>
          new Map([
            ['catalogue', catalogue.pid],
            ['platform-sim', hospital.sim.pid],
          ]),
        SAMPLE_EVERY_MS,
      );
      const startedAt = Date.now();
      const asked = performance.now();
      await publisher.publish(
        hospital.topic(commandTopic('catalogue')),
        createEnvelope({
          type: 'DownloadCatalogue',
          schemaVersion: 1,
          key: INFNO,
          data: { infno: INFNO, requested_by: OPERATOR },
        }),
      );
      const done = await versionOf(INFNO, nth);
      const endedAt = Date.now();
      const wallMs = done.at - asked;
      const rows = done.message.data.rows;
      o.log(`[bench] ${kind}: ${rows} rows in ${(wallMs / 1000).toFixed(2)} s; the raw line …`);
      let rawPhase: DownloadPhase['raw'];
      if (raw && rawCursor !== undefined) {
        const rawStartedAt = Date.now();
        const measured = await raw.download(rawCursor);
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_SETTLE_MS));
        rawPhase = {
          ...measured,
          tableRows: await raw.count(),
          simCpuMs: usage.cpuMsBetween(rawStartedAt, rawStartedAt + measured.wallMs).get('platform-sim'),
        };
      } else await new Promise((resolve) => setTimeout(resolve, SAMPLE_SETTLE_MS));
      const cpu = usage.cpuMsBetween(startedAt, endedAt);
      const memory = usage.stop().find((m) => m.name === 'catalogue')!;
      return {
        kind,
        rows,
        tableRows: await tableRows(),
        version: done.message.data.version ?? '',
        wallMs,
        rowsPerSecond: (rows / Math.max(1, wallMs)) * 1000,
        memory,
        serviceCpuMs: cpu.get('catalogue') ?? 0,
        simCpuMs: cpu.get('platform-sim'),
        ...(rawPhase && { raw: rawPhase }),
        loadAverage: loadavg()[0]!,
      };
    };

    // The raw line starts where a first download does (the service's CATALOGUE_FIRST_UPDT_TIME default).
    const full = await phase('full', 1, '2000-01-01 00:00:00');
    o.log(`[bench] the sandbox publishes ${o.incremental} more rows …`);
    await hospital.sim.admin('POST', '/sim/catalogue', { items: o.items + o.incremental });
    const incremental = await phase('incremental', 2, full.raw?.cursor);
    return {
      options: {
        items: o.items,
        incremental: o.incremental,
        pageSize: o.pageSize,
        runtime: o.process.runtime ?? 'source',
      },
      full,
      incremental,
    };
  } finally {
    o.log('[bench] cleaning up (processes, schemas, topics) …');
    await reader?.disconnect();
    await publisher.disconnect();
    await raw?.stop();
    await hospital.stop();
  }
}

const mib = (v: number) => `${v.toFixed(0)} MiB`;
const sandboxCpu = (ms: number | undefined) => (ms === undefined ? 'not sampled' : `${ms.toFixed(0)} ms`);

/** The benchmark's lines: each phase, the service's and the raw line's, and the service's share. */
export function printCatalogueDownloadReport(r: CatalogueDownloadReport): void {
  const { options } = r;
  const lines = [
    `\ncatalogue download end to end (${INFNO}, DownloadCatalogue → CatalogueVersionDownloaded), loopback, ` +
      `pages of ${options.pageSize}, catalogue service ${options.runtime}`,
  ];
  for (const p of [r.full, r.incremental]) {
    lines.push(
      `${p.kind.padEnd(11)} service: ${p.rows} rows (table ${p.tableRows}, version ${p.version}) in ` +
        `${(p.wallMs / 1000).toFixed(2)} s, ${p.rowsPerSecond.toFixed(0)} rows/s; RSS idle ${mib(p.memory.idleRssMiB)}, ` +
        `peak ${mib(p.memory.peakRssMiB)}, VmHWM ${mib(p.memory.hwmMiB)}; CPU ${p.serviceCpuMs.toFixed(0)} ms ` +
        `(sandbox ${sandboxCpu(p.simCpuMs)}); load ${p.loadAverage.toFixed(1)}`,
    );
    if (p.raw)
      lines.push(
        `${''.padEnd(11)} raw:     ${p.raw.rows} rows (${p.raw.pages} pages, table ${p.raw.tableRows}) in ` +
          `${(p.raw.wallMs / 1000).toFixed(2)} s, ${p.raw.rowsPerSecond.toFixed(0)} rows/s; CPU ` +
          `${p.raw.cpuMs.toFixed(0)} ms (sandbox ${sandboxCpu(p.raw.simCpuMs)}); the service takes ` +
          `${(p.wallMs / Math.max(1, p.raw.wallMs)).toFixed(1)}× the raw time, ` +
          `${(p.serviceCpuMs / Math.max(1, p.raw.cpuMs)).toFixed(1)}× its CPU`,
      );
  }
  console.log(lines.join('\n'));
}
