import { kafkaBrokers, testKafka } from '@yb/testing';
import { runFeePipelineBenchmark } from '../src/fee-pipeline-benchmark';
import { type FeePipelineReport } from '../src/fee-pipeline-report';

// The fee-pipeline benchmark, small: a warm-up backlog of 20 HIS fee messages drained by admission and fee-detail,
// then a backlog of 40 more published while they run, the raw pipeline over the topic's records, 5 s of steady load,
// the platform answering 20 ms late. It checks that every
// phase measured what it says (figures, not speed: timings belong to the benchmark itself).
describe('the fee-pipeline benchmark, small', () => {
  let report: FeePipelineReport;

  beforeAll(async () => {
    report = await runFeePipelineBenchmark(testKafka(), kafkaBrokers(), {
      backlog: 40,
      warmup: 20,
      beds: 20,
      seed: 20_261_202,
      partitions: 3,
      feeBatchSize: 50,
      platformLatencyMs: 20,
      loadFraction: 0.25,
      steadyMs: 5000,
      drainMs: 30_000,
      raw: true,
      roundTrips: 100,
      tracing: false,
      runtime: 'source',
      feeDetailReplicas: 1,
      log: () => undefined,
    });
  }, 120_000);

  it('warms the services on a first backlog, drained from first to last ack', () => {
    const warmup = report.capacity.warmup!;
    expect(warmup.his.publishedByType['FeeLinesCharged']).toBeGreaterThanOrEqual(20);
    expect(warmup.lines.outstanding).toBe(0);
    expect(warmup.measuredLines).toBe(warmup.lines.acknowledged);
    expect(warmup.linesPerSecond).toBeGreaterThan(0);
    // Other visits than the measured backlog's: none of its lines is counted again there.
    expect(report.capacity.lines.unmatched).toBe(0);
  });

  it('drains the backlog: every line of a registered visit acknowledged, those after its publishing counted', () => {
    const { capacity } = report;
    expect(capacity.his.publishedByType['FeeLinesCharged']).toBeGreaterThanOrEqual(40);
    expect(capacity.lines.acknowledged).toBeGreaterThan(100);
    expect(capacity.lines.outstanding).toBe(0);
    expect(capacity.lines.unmatched).toBe(0);
    expect(capacity.measuredLines).toBeGreaterThan(0);
    expect(capacity.measuredLines).toBeLessThanOrEqual(capacity.lines.acknowledged);
    expect(capacity.linesPerSecond).toBeGreaterThan(0);
    expect(capacity.drainMs).toBeGreaterThan(0);
    expect(report.deadLetters).toEqual({});
  });

  it('runs the raw pipeline over the same records, the sandbox acknowledging its uploads', () => {
    const raw = report.raw!;
    expect(raw.messages).toBeGreaterThanOrEqual(60);
    // Every line the services acknowledged belongs to a registered visit, which the raw pipeline posts too.
    expect(raw.linesPosted).toBeGreaterThanOrEqual(
      report.capacity.lines.acknowledged + report.capacity.warmup!.lines.acknowledged,
    );
    expect(raw.linesAcknowledged).toBe(raw.linesPosted);
    expect(raw.posts).toBeGreaterThan(0);
    expect(raw.cpuMs).toBeGreaterThan(0);
    // PostgreSQL and the broker run on this machine (tools/stack): their CPU over the raw run is read too.
    expect(raw.serverCpuMs.get('postgresql')).toBeGreaterThan(0);
    expect(raw.serverCpuMs.get('kafka')).toBeGreaterThan(0);
  });

  it('measures latency under a steady load, and RSS and CPU per line of every process', () => {
    const steady = report.steady!;
    expect(steady.lines.acknowledged).toBeGreaterThan(0);
    // Each line waited at least for the platform's 20 ms.
    expect(steady.lines.latency.p50Ms).toBeGreaterThanOrEqual(20);
    expect(steady.lines.latency.p99Ms).toBeGreaterThanOrEqual(steady.lines.latency.p50Ms);
    expect(report.memory.map((m) => m.name).sort()).toEqual(['admission', 'fee-detail', 'platform-sim']);
    for (const m of report.memory) {
      expect(m.peakRssMiB).toBeGreaterThanOrEqual(m.idleRssMiB);
      // VmRSS = RssAnon + RssFile + RssShmem (none here): the split adds up to the peak it was read with.
      expect(m.atPeak.privateMiB).toBeGreaterThan(0);
      expect(m.atPeak.mappedFilesMiB).toBeGreaterThan(0);
      expect(m.atPeak.privateMiB + m.atPeak.mappedFilesMiB).toBeCloseTo(m.peakRssMiB, 0);
    }
    // fee-detail's /metrics: the visits' ledgers held and decided on without reads.
    const [[cacheOf, ledgers]] = report.ledgerCaches;
    expect(cacheOf).toBe('fee-detail');
    expect(ledgers.streams).toBeGreaterThan(0);
    expect(ledgers.events).toBeGreaterThanOrEqual(ledgers.streams);
    expect(ledgers.held).toBeGreaterThan(0);
    expect(ledgers.maxEvents).toBe(20_000);
    for (const name of ['admission', 'fee-detail', 'platform-sim'])
      expect(report.capacity.cpuMsPerLine.get(name)).toBeGreaterThan(0);
    for (const server of ['postgresql', 'kafka'])
      expect(report.capacity.serverCpuMsPerLine.get(server)).toBeGreaterThan(0);
    expect(report.rawRoundTrip!.count).toBe(100);
  });
});
