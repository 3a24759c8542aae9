import {
  runCatalogueDownloadBenchmark,
  type CatalogueDownloadReport,
} from '../src/catalogue-download-benchmark';

// The catalogue-download benchmark, small: 3,000 rows of 1312 in pages of 500, then 250 more, the service from
// source. It checks that each download measured what it says (figures, not speed: timings belong to the
// benchmark itself), so that `npm run bench:catalogue-download` cannot rot.
describe('the catalogue-download benchmark, small', () => {
  let report: CatalogueDownloadReport;

  beforeAll(async () => {
    report = await runCatalogueDownloadBenchmark({
      items: 3000,
      incremental: 250,
      pageSize: 500,
      timeoutMs: 120_000,
      raw: true,
      process: { runtime: 'source' },
      log: () => undefined,
    });
  }, 240_000);

  it('downloads the whole catalogue on demand, then only the rows the sandbox added', () => {
    expect(report.full).toMatchObject({ rows: 3000, tableRows: 3000 });
    expect(report.incremental).toMatchObject({ rows: 250, tableRows: 3250 });
    expect(report.incremental.version > report.full.version).toBe(true);
    for (const p of [report.full, report.incremental]) {
      expect(p.wallMs).toBeGreaterThan(0);
      expect(p.rowsPerSecond).toBeGreaterThan(0);
    }
  });

  it('loads the same pages raw: the same rows, one page more than the full pages (the short last one)', () => {
    expect(report.full.raw).toMatchObject({ rows: 3000, pages: 7, tableRows: 3000 });
    expect(report.incremental.raw).toMatchObject({ rows: 250, pages: 1, tableRows: 3250 });
    expect(report.full.raw!.cpuMs).toBeGreaterThan(0);
  });

  it("samples the service's RSS (idle, peak, VmHWM) and CPU, and the sandbox's CPU", () => {
    for (const p of [report.full, report.incremental]) {
      expect(p.memory.idleRssMiB).toBeGreaterThan(0);
      expect(p.memory.peakRssMiB).toBeGreaterThanOrEqual(p.memory.idleRssMiB);
      expect(p.memory.hwmMiB).toBeGreaterThanOrEqual(p.memory.peakRssMiB);
      expect(p.serviceCpuMs).toBeGreaterThan(0);
      // Sampled (a number, not undefined) for both: a sampler that lost the sandbox fails here.
      expect(p.simCpuMs).toEqual(expect.any(Number));
      expect(p.raw!.simCpuMs).toEqual(expect.any(Number));
    }
    // /proc counts CPU in 10 ms ticks: the sandbox serving the 250 added rows may take less than one (it read 0
    // in CI on 6 Dec); the 3,000 rows take several.
    expect(report.full.simCpuMs).toBeGreaterThan(0);
  });
});
