// A full download of the sandbox's 医保目录 (1312) end to end, then an incremental one, beside the raw line:
//   npm run bench:catalogue-download -- [--items 100000] [--incremental 5000] [--page-size 1000] [--timeout 1800]
//     [--runtime compiled|source] [--max-old-space 320] [--max-semi-space 2] [--no-raw]
// The platform simulator generates `--items` rows; the catalogue service (compiled, as production runs it) is
// asked for 1312 (DownloadCatalogue) and timed to its CatalogueVersionDownloaded; the sandbox then publishes
// `--incremental` more rows and a second download fetches only those. Printed per download: rows, seconds, rows/s,
// the service's RSS (idle, peak, VmHWM) and CPU ms, the sandbox's CPU; and the raw line (the same pages with plain
// fetch, one INSERT per page, in this process). Loopback only; it removes what it created.
import { parseArgs } from 'node:util';
import { kafkaBrokers, type ServiceRuntime } from '@yb/testing';
import { printCatalogueDownloadReport, runCatalogueDownloadBenchmark } from './catalogue-download-benchmark';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)(:\d+)?$/;

function whole(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name}: "${text}" is not a positive whole number`);
  return value;
}

function parseCommandLine() {
  const { values } = parseArgs({
    strict: true,
    options: {
      items: { type: 'string', default: '100000' },
      incremental: { type: 'string', default: '5000' },
      'page-size': { type: 'string', default: '1000' },
      timeout: { type: 'string', default: '1800' },
      runtime: { type: 'string', default: 'compiled' },
      // The Helm chart's heap settings (serviceDefaults: maxOldSpaceMiB, maxSemiSpaceMiB), as production runs it.
      'max-old-space': { type: 'string', default: '320' },
      'max-semi-space': { type: 'string', default: '2' },
      'no-raw': { type: 'boolean', default: false },
    },
  });
  if (values.runtime !== 'compiled' && values.runtime !== 'source')
    throw new Error(`--runtime: "${values.runtime}" is neither compiled nor source`);
  const pageSize = whole('page-size', values['page-size']);
  // page_size is num 4 in the spec (CATALOGUE_PAGE_SIZE refuses more).
  if (pageSize > 9999) throw new Error(`--page-size: at most 9999, got ${pageSize}`);
  return {
    items: whole('items', values.items),
    incremental: whole('incremental', values.incremental),
    pageSize,
    timeoutMs: whole('timeout', values.timeout) * 1000,
    raw: !values['no-raw'],
    process: {
      runtime: values.runtime as ServiceRuntime,
      maxOldSpaceMiB: whole('max-old-space', values['max-old-space']),
      maxSemiSpaceMiB: whole('max-semi-space', values['max-semi-space']),
    },
    log: (line: string) => console.error(line),
  };
}

async function main(): Promise<void> {
  const options = parseCommandLine();
  const remote = kafkaBrokers().filter((b) => !LOOPBACK.test(b));
  if (remote.length > 0)
    throw new Error(`KAFKA_BROKERS must be loopback for a benchmark, got ${remote.join()}`);
  printCatalogueDownloadReport(await runCatalogueDownloadBenchmark(options));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
