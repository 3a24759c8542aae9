// The benchmark's table: the fee pipeline's figures beside bare kafkajs on the same broker, with the ratios.
import { type HisMessageSize } from './fee-pipeline-observer';
import { type FeeLinesSummary } from './fee-pipeline-lines';
import { type Throughput } from './kafka-baseline';
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
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
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
  const { lines, rawConsume, rawRoundTrip, his, options } = r;
  const fees = his.publishedByType['FeeLinesCharged'] ?? 0;
  console.log(
    `\nfee pipeline, HIS publish → platform acknowledgement (FeeLinesUploaded), loopback, zero-latency simulator\n` +
      `HIS: seed ${his.seed}, ${options.beds} beds, ${his.visitsStarted} visits, ${his.published} messages in ` +
      `${(his.elapsedMs / 1000).toFixed(1)} s (${his.achievedRatePerSecond}/s of ${options.ratePerSecond}/s asked), ` +
      `${fees} FeeLinesCharged; his.inpatient mean ${r.hisSize.meanBytes.toFixed(0)} bytes\n` +
      `services: admission + fee-detail, ${options.partitions} partitions, 2301 batches of ≤ ${options.feeBatchSize} lines, ` +
      `tracing ${options.tracing ? 'on' : 'off'}\n`,
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
        `raw ${times(rawConsume.perSecond, lines.sustainedPerSecond)} the rate, ` +
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
    ]),
  );
  console.log(
    `\nfee lines: ${lines.charged} charged, ${lines.acknowledged} acknowledged, ${lines.voided} voided by the HIS, ` +
      `${lines.outstanding} outstanding at the end, ${lines.acknowledgedAgain} acknowledged again, ` +
      `${lines.unmatched} acknowledged without a charge\n` +
      `results: ${counts(r.resultsByType)}\ndead letters: ${counts(r.deadLetters)}`,
  );
  const refusals = Object.entries(r.refusals).sort(([, a], [, b]) => b - a);
  for (const [reason, n] of refusals.slice(0, 8)) console.log(`refused ${String(n).padStart(5)}× ${reason}`);
}
