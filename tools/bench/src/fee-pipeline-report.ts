// The benchmark's tables: the fee pipeline's figures beside bare kafkajs and bare pg on the same broker and
// database, with the ratios; and, for a scaling run, throughput, latency and memory per hospital size.
import { type HisMessageSize } from './fee-pipeline-observer';
import { type FeeLinesSummary } from './fee-pipeline-lines';
import { type PipelineMeasurement } from './fee-pipeline-run';
import { type Throughput } from './kafka-baseline';
import { type ProcessMemory } from './process-memory';
import { type LatencySummary } from './stats';

export interface FeePipelineReport {
  readonly options: {
    readonly beds: number;
    readonly ratePerSecond: number;
    readonly partitions: number;
    readonly feeBatchSize: number;
    readonly tracing: boolean;
  };
  readonly his: {
    readonly seed: number;
    readonly published: number;
    readonly elapsedMs: number;
    readonly achievedRatePerSecond: number;
    readonly visitsStarted: number;
    readonly publishedByType: Readonly<Record<string, number>>;
  };
  readonly hisSize: HisMessageSize;
  readonly lines: FeeLinesSummary;
  readonly resultsByType: Readonly<Record<string, number>>;
  readonly deadLetters: Readonly<Record<string, number>>;
  readonly refusals: Readonly<Record<string, number>>;
  readonly rawConsume: Throughput;
  readonly rawRoundTrip: LatencySummary;
  readonly rawPgInsert: Throughput;
  readonly memory: readonly ProcessMemory[];
  readonly hisPublishers: number;
  readonly loadAverage: number;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const mib = (v: number) => `${v.toFixed(0)} MiB`;
const rate = (v: number) => `${v.toFixed(0)}/s`;
/** How many times raw kafkajs does better: its rate over ours, our latency over its. */
const times = (better: number, worse: number) =>
  better > 0 && worse > 0 ? `${(better / worse).toFixed(1)}×` : 'n/a';
const counts = (byKey: Readonly<Record<string, number>>) =>
  Object.entries(byKey)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
    )
    .join('\n');
}

export function printFeePipelineReport(r: FeePipelineReport): void {
  const { lines, rawConsume, rawRoundTrip, rawPgInsert, his, options } = r;
  const fees = his.publishedByType['FeeLinesCharged'] ?? 0;
  console.log(
    `\nfee pipeline, HIS publish → platform acknowledgement (FeeLinesUploaded), loopback, zero-latency simulator\n` +
      `HIS: seed ${his.seed}, ${options.beds} beds, ${his.visitsStarted} visits, ${his.published} messages in ` +
      `${(his.elapsedMs / 1000).toFixed(1)} s (${his.achievedRatePerSecond}/s of ${options.ratePerSecond}/s asked), ` +
      `${fees} FeeLinesCharged; his.inpatient mean ${r.hisSize.meanBytes.toFixed(0)} bytes\n` +
      `services: admission + fee-detail, ${options.partitions} partitions, 2301 batches of ≤ ${options.feeBatchSize} lines, ` +
      `tracing ${options.tracing ? 'on' : 'off'}; ${r.hisPublishers} HIS simulator(s); ` +
      `1-min load average at the end of the load ${r.loadAverage.toFixed(1)}\n`,
  );
  console.log(
    table([
      ['', 'count', 'per second', 'p50', 'p99', 'ratio'],
      [
        'fee lines HIS → platform ack (sustained)',
        String(lines.acknowledged),
        rate(lines.sustainedPerSecond),
        ms(lines.latency.p50Ms),
        ms(lines.latency.p99Ms),
        `raw kafkajs ${times(rawConsume.perSecond, lines.sustainedPerSecond)} the rate, ` +
          `raw pg ${times(rawPgInsert.perSecond, lines.sustainedPerSecond)} the rate, ` +
          `ours ${times(lines.latency.p50Ms, rawRoundTrip.p50Ms)} the p50, ${times(lines.latency.p99Ms, rawRoundTrip.p99Ms)} the p99`,
      ],
      [
        'fee lines, first publish → last ack',
        String(lines.acknowledged),
        rate(lines.latency.perSecond),
        '',
        '',
        '',
      ],
      [
        'raw kafkajs consume (pre-produced)',
        String(rawConsume.messages),
        rate(rawConsume.perSecond),
        '',
        '',
        '',
      ],
      [
        'raw kafkajs produce → consume (one by one)',
        String(rawRoundTrip.count),
        rate(rawRoundTrip.perSecond),
        ms(rawRoundTrip.p50Ms),
        ms(rawRoundTrip.p99Ms),
        '',
      ],
      [
        'raw pg INSERT, one row per transaction',
        String(rawPgInsert.messages),
        rate(rawPgInsert.perSecond),
        '',
        '',
        '',
      ],
    ]),
  );
  console.log(
    `\nfee lines: ${lines.charged} charged, ${lines.acknowledged} acknowledged, ${lines.voided} voided by the HIS, ` +
      `${lines.outstanding} outstanding at the end, ${lines.acknowledgedAgain} acknowledged again, ` +
      `${lines.unmatched} acknowledged without a charge\n` +
      `results: ${counts(r.resultsByType)}\ndead letters: ${counts(r.deadLetters)}\n` +
      `memory (peak RSS / kernel high-water mark): ${r.memory
        .map((m) => `${m.name} ${mib(m.peakRssMiB)} / ${mib(m.hwmMiB)}`)
        .join(', ')}`,
  );
  const refusals = Object.entries(r.refusals).sort(([, a], [, b]) => b - a);
  for (const [reason, n] of refusals.slice(0, 8)) console.log(`refused ${String(n).padStart(5)}× ${reason}`);
}

export interface ScalingReport {
  readonly options: { readonly durationMs: number; readonly ratePerBed: number; readonly partitions: number };
  readonly sizes: readonly { beds: number; ratePerSecond: number; run: PipelineMeasurement }[];
  readonly rawConsume: Throughput;
  readonly rawRoundTrip: LatencySummary;
  readonly rawPgInsert: Throughput;
}

export function printScalingReport(r: ScalingReport): void {
  const services = [...new Set(r.sizes.flatMap((s) => s.run.memory.map((m) => m.name)))];
  console.log(
    `\nfee pipeline scaling, a fresh hospital per size, ${r.options.ratePerBed} HIS messages/s per bed for ` +
      `${(r.options.durationMs / 1000).toFixed(0)} s, ${r.options.partitions} partitions, zero-latency simulator\n`,
  );
  console.log(
    table([
      [
        'beds',
        'HIS msg/s asked',
        'HIS msg/s sent',
        'lines charged',
        'lines acked',
        'sustained',
        'p50',
        'p99',
        'outstanding',
        'HIS sims',
        'load avg',
        ...services.map((name) => `${name} RSS peak`),
      ],
      ...r.sizes.map(({ beds, ratePerSecond, run }) => [
        String(beds),
        String(ratePerSecond),
        String(run.his.achievedRatePerSecond.toFixed(0)),
        String(run.lines.charged),
        String(run.lines.acknowledged),
        rate(run.lines.sustainedPerSecond),
        ms(run.lines.latency.p50Ms),
        ms(run.lines.latency.p99Ms),
        String(run.lines.outstanding),
        String(run.hisPublishers),
        run.loadAverage.toFixed(1),
        ...services.map((name) => {
          const memory = run.memory.find((m) => m.name === name);
          return memory ? mib(memory.peakRssMiB) : 'n/a';
        }),
      ]),
    ]),
  );
  const best = Math.max(...r.sizes.map((s) => s.run.lines.sustainedPerSecond).filter(Number.isFinite));
  console.log(
    `\nsame machine, same run: raw kafkajs consume ${rate(r.rawConsume.perSecond)}, raw kafkajs produce → consume ` +
      `${rate(r.rawRoundTrip.perSecond)} (p50 ${ms(r.rawRoundTrip.p50Ms)}, p99 ${ms(r.rawRoundTrip.p99Ms)}), ` +
      `raw pg INSERT ${rate(r.rawPgInsert.perSecond)}\n` +
      `best sustained ${rate(best)} fee lines: raw kafkajs ${times(r.rawConsume.perSecond, best)} the rate, ` +
      `raw pg ${times(r.rawPgInsert.perSecond, best)} the rate`,
  );
  for (const { beds, run } of r.sizes) {
    const dead = counts(run.deadLetters);
    const refused = Object.values(run.refusals).reduce((sum, n) => sum + n, 0);
    console.log(
      `${beds} beds: ${run.his.published} HIS messages, ${run.his.visitsStarted} visits, ${run.lines.voided} lines voided, ` +
        `${run.lines.acknowledgedAgain} acknowledged again, ${refused} refusals, dead letters: ${dead}`,
    );
  }
}
