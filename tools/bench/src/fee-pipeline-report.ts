// The benchmark's table: capacity (a pre-produced backlog drained), the raw pipeline on the same records and our
// share of it, a steady load's latency, bare kafkajs's produce → consume latency, and per process the memory
// (RSS) and the CPU per acknowledged line.
import { formatAllocationSummary, type AllocationSummary } from './allocation-profile-summary';
import { formatProfileSummary, type ProfileSummary } from './cpu-profile-summary';
import { formatOnCpuSummary } from './on-cpu-profile';
import { type CapacityMeasurement, type PhaseMeasurement, type RawRun } from './fee-pipeline-run';
import { formatLedgerCacheUse, type LedgerCacheUse } from './ledger-cache-use';
import { type ProcessMemory } from './process-usage';
import { type LatencySummary } from './stats';

export interface FeePipelineReport {
  readonly options: {
    readonly beds: number;
    readonly backlog: number;
    readonly warmup?: number;
    readonly partitions: number;
    readonly feeBatchSize: number;
    readonly consumerKeys?: number;
    readonly tracing: boolean;
    readonly platformLatencyMs: number;
    readonly runtime: string;
    readonly maxOldSpaceMiB?: number;
    readonly maxSemiSpaceMiB?: number;
    readonly mallocArenaMax?: number;
    readonly feeDetailReplicas: number;
  };
  readonly capacity: CapacityMeasurement;
  readonly raw?: RawRun;
  readonly steady?: PhaseMeasurement;
  readonly rawRoundTrip?: LatencySummary;
  readonly memory: readonly ProcessMemory[];
  /** fee-detail's ledger cache per process at the end of the run (its /metrics). */
  readonly ledgerCaches: readonly [string, LedgerCacheUse][];
  readonly resultsByType: Readonly<Record<string, number>>;
  readonly deadLetters: Readonly<Record<string, number>>;
  readonly refusals: Readonly<Record<string, number>>;
  /** --cpu-prof: each process's profile summarised (self time by place and by function). */
  readonly profiles?: readonly [string, ProfileSummary][];
  /** --alloc-prof: what each service allocated over its life, by function and by place. */
  readonly allocations?: readonly [string, AllocationSummary][];
}

/** The servers' rows, by server-cpu.ts's names. */
const SERVERS: Readonly<Record<string, string>> = {
  postgresql: 'PostgreSQL (its processes)',
  kafka: 'Kafka (the broker)',
};

const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');
const mib = (v: number) => `${v.toFixed(0)} MiB`;
const rate = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)}/s` : 'n/a');
const cpuPerLine = (v: number | undefined) => (v === undefined ? '' : `${v.toFixed(2)} ms`);
const sum = (values: Iterable<number>) => [...values].reduce((total, v) => total + v, 0);
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

/** A drained backlog's row: lines/s and CPU per line as CapacityMeasurement counts them. */
function capacityRow(label: string, c: CapacityMeasurement): string[] {
  return [
    label,
    String(c.measuredLines),
    rate(c.linesPerSecond),
    '',
    '',
    '',
    cpuPerLine(sum(c.cpuMsPerLine.values())),
    c.warmup
      ? `the last ack ${(c.drainMs / 1000).toFixed(1)} s after the backlog was published; ` +
        `${c.lines.acknowledged - c.measuredLines} lines acknowledged while it was; ${c.lines.outstanding} outstanding`
      : `drained ${(c.drainMs / 1000).toFixed(1)} s after the services started; ${c.lines.outstanding} lines outstanding`,
  ];
}

export function printFeePipelineReport(r: FeePipelineReport): void {
  const { capacity, raw, steady, options } = r;
  const fees = capacity.his.publishedByType['FeeLinesCharged'] ?? 0;
  console.log(
    `\nfee pipeline, HIS publish → platform acknowledgement (FeeLinesUploaded), loopback, ` +
      `platform latency ${options.platformLatencyMs} ms\n` +
      `backlog: seed ${capacity.his.seed}, ${options.beds} beds, ${capacity.his.visitsStarted} visits, ` +
      `${capacity.his.published} HIS messages (${fees} FeeLinesCharged, ${capacity.lines.charged} lines) produced at ` +
      `${rate(capacity.producedPerSecond)} ` +
      (capacity.warmup
        ? `while the services ran, warmed by a first backlog (seed ${capacity.warmup.his.seed}, ` +
          `${capacity.warmup.his.publishedByType['FeeLinesCharged'] ?? 0} FeeLinesCharged, ` +
          `${capacity.warmup.lines.charged} lines)\n`
        : 'before any service ran\n') +
      `services: admission + ${options.feeDetailReplicas} × fee-detail ${options.runtime}` +
      `${options.maxOldSpaceMiB ? `, --max-old-space-size=${options.maxOldSpaceMiB}` : ''}` +
      `${options.maxSemiSpaceMiB ? `, --max-semi-space-size=${options.maxSemiSpaceMiB}` : ''}` +
      `${options.mallocArenaMax ? `, MALLOC_ARENA_MAX=${options.mallocArenaMax}` : ''}, ` +
      `${options.partitions} partitions, 2301 batches of ≤ ${options.feeBatchSize} lines, ` +
      `${options.consumerKeys ?? 'default'} visits handled at once, ` +
      `tracing ${options.tracing ? 'on' : 'off'}; 1-min load average ${capacity.loadAverage.toFixed(1)} after the ` +
      `capacity run${steady ? `, ${steady.loadAverage.toFixed(1)} after the steady load` : ''}\n`,
  );
  const ourCpu = sum(capacity.cpuMsPerLine.values());
  const rawCpu = raw ? (raw.cpuMs + raw.simCpuMs) / Math.max(1, raw.linesPosted) : undefined;
  const header = ['', 'lines', 'per second', 'p50', 'p99', 'RSS idle / peak', 'CPU per line', 'notes'];
  const rows: string[][] = [
    header,
    ...(capacity.warmup ? [capacityRow('warm-up: backlog drained, first → last ack', capacity.warmup)] : []),
    capacityRow(
      capacity.warmup
        ? 'capacity (warm): published → last ack'
        : 'capacity: backlog drained, first → last ack',
      capacity,
    ),
  ];
  if (raw)
    rows.push(
      [
        'raw pipeline: eachBatch, 1 tx/batch, 2301 per 50',
        String(raw.linesPosted),
        rate(raw.linesPerSecond),
        '',
        '',
        '',
        cpuPerLine(rawCpu),
        `${raw.messages} records, ${raw.posts} POSTs, ${raw.linesAcknowledged} lines answered infcode 0` +
          (raw.linesUnregistered ? `, ${raw.linesUnregistered} of unregistered visits not sent` : ''),
      ],
      [
        'our share of the raw pipeline',
        '',
        `${((capacity.linesPerSecond / raw.linesPerSecond) * 100).toFixed(1)} %`,
        '',
        '',
        '',
        rawCpu ? `${(ourCpu / rawCpu).toFixed(1)}× raw` : '',
        'capacity ÷ raw, lines/s',
      ],
    );
  if (steady)
    rows.push([
      `steady load: ${steady.his.achievedRatePerSecond.toFixed(0)} HIS msg/s for ${(steady.his.elapsedMs / 1000).toFixed(0)} s`,
      String(steady.lines.acknowledged),
      rate(steady.lines.sustainedPerSecond),
      ms(steady.lines.latency.p50Ms),
      ms(steady.lines.latency.p99Ms),
      '',
      cpuPerLine(sum(steady.cpuMsPerLine.values())),
      `offered ${rate((steady.lines.charged / Math.max(1, steady.his.elapsedMs)) * 1000)} lines; p50/p99 HIS publish → ack ` +
        `per line; ${steady.lines.outstanding} outstanding at the end`,
    ]);
  if (r.rawRoundTrip)
    rows.push([
      'raw kafkajs produce → consume, one by one',
      String(r.rawRoundTrip.count),
      rate(r.rawRoundTrip.perSecond),
      ms(r.rawRoundTrip.p50Ms),
      ms(r.rawRoundTrip.p99Ms),
      '',
      '',
      'the latency floor of one hop',
    ]);
  for (const m of r.memory)
    rows.push([
      `  ${m.name}`,
      '',
      '',
      '',
      '',
      `${mib(m.idleRssMiB)} / ${mib(m.peakRssMiB)}`,
      cpuPerLine(capacity.cpuMsPerLine.get(m.name)) +
        (steady?.cpuMsPerLine.has(m.name) ? ` (${cpuPerLine(steady.cpuMsPerLine.get(m.name))})` : ''),
      `VmHWM ${mib(m.hwmMiB)}; at the peak ${mib(m.atPeak.privateMiB)} private, ${mib(m.atPeak.mappedFilesMiB)} mapped files`,
    ]);
  for (const [name, perLine] of capacity.serverCpuMsPerLine) {
    const rawPerLine = raw && (raw.serverCpuMs.get(name) ?? 0) / Math.max(1, raw.linesPosted);
    rows.push([
      `  ${SERVERS[name] ?? name}`,
      '',
      '',
      '',
      '',
      '',
      cpuPerLine(perLine) +
        (steady?.serverCpuMsPerLine.has(name) ? ` (${cpuPerLine(steady.serverCpuMsPerLine.get(name))})` : ''),
      rawPerLine === undefined ? '' : `raw pipeline ${cpuPerLine(rawPerLine)}`,
    ]);
  }
  console.log(table(rows));
  console.log(
    `\nCPU per line: user + system from /proc/<pid>/stat over the capacity run (in brackets: the steady load); ` +
      `the raw pipeline's is the bench process's own plus the sandbox's over the raw run; the servers' (not in ` +
      `the totals) over the same runs\n` +
      `fee lines (capacity): ${capacity.lines.charged} charged, ${capacity.lines.voided} voided by the HIS, ` +
      `${capacity.lines.acknowledgedAgain} acknowledged again, ${capacity.lines.unmatched} acknowledged without a charge\n` +
      `results: ${counts(r.resultsByType)}\ndead letters: ${counts(r.deadLetters)}`,
  );
  for (const [name, use] of r.ledgerCaches) console.log(formatLedgerCacheUse(name, use));
  const refusals = Object.entries(r.refusals).sort(([, a], [, b]) => b - a);
  for (const [reason, n] of refusals.slice(0, 8)) console.log(`refused ${String(n).padStart(5)}× ${reason}`);
  const rawRefusals = [...(raw?.refusals ?? [])].sort(([, a], [, b]) => b - a);
  for (const [reason, n] of rawRefusals.slice(0, 4))
    console.log(`raw pipeline: ${n} lines refused: ${reason.replace(/\d{6,}/g, '…')}`);
  for (const [name, summary] of r.profiles ?? []) console.log(`\n${formatProfileSummary(name, summary)}`);
  for (const [name, summary] of r.capacity.onCpu ?? [])
    console.log(`\n${formatOnCpuSummary(name, summary, 'the capacity run')}`);
  // Over each service's whole life: its start, the capacity run and the steady load.
  const lines = capacity.lines.acknowledged + (r.steady?.lines.acknowledged ?? 0);
  for (const [name, summary] of r.allocations ?? [])
    console.log(`\n${formatAllocationSummary(name, summary, name === 'platform-sim' ? undefined : lines)}`);
}
