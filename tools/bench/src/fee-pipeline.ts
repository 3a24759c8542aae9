// The fee pipeline end to end, HIS publish → platform acknowledgement, beside the raw pipeline on the same records:
//   npm run bench:fee-pipeline -- [--backlog 2000] [--warmup 0] [--beds 500] [--platform-latency 0] [--load 0.25 | --rate N]
//     [--steady 30] [--drain 120] [--partitions 3] [--batch-size 50] [--keys N] [--seed N] [--no-raw] [--round-trips 2000]
//     [--runtime compiled|source] [--max-old-space 256] [--max-semi-space 2] [--malloc-arenas 2] [--tracing] [--cpu-prof DIR] [--alloc-prof DIR] [--perf DIR] [--fee-detail-replicas 1]
// Starts the platform simulator; pre-produces a backlog of `--backlog` HIS fee messages (with their visits' other
// messages) in batches; starts admission and fee-detail (compiled, heap-limited) and measures lines/s from the first
// to the last platform acknowledgement (capacity); runs the raw pipeline (kafkajs eachBatch, one transaction per
// batch writing inbox/event/outbox rows, one 2301 per 50 lines) over the same records; offers a steady load at
// `--load` × capacity for `--steady` s (p50/p99 HIS publish → ack); samples RSS and CPU of each process throughout.
// --warmup N: the services first drain a backlog of N fee messages (their JIT compiling the code as it goes: under
// this load it still compiles new functions a minute in); capacity is then measured on `--backlog` more, of other
// visits, published while they run: lines acknowledged from the end of publishing to the last acknowledgement.
// --platform-latency N: the sandbox answers every call N ms late. --keys N: visits each service handles and sends
// to the platform at once (a slow platform needs more: admission's three calls per admission take 3 × latency).
// --cpu-prof DIR: each service writes a V8 CPU profile there when it stops, and the report ends with each one's
// top self time by place and by function (open the file in Chrome's DevTools for the rest).
// --alloc-prof DIR: each service samples what it allocates (the garbage included) and writes Alloc.<pid>.heapprofile
// there when it stops; the report ends with each one's bytes by place and by function, and per fee line.
// --perf DIR: each service's CPU over the capacity run sampled by perf (on a core only, JavaScript named through
// --perf-basic-prof), and the report ends with each one's samples by kind of work (V8's collector and compiler, its
// builtins, JIT-compiled code, the kernel) and by symbol; the perf.data files stay in DIR.
// --fee-detail-replicas N: N fee-detail processes in one consumer group (throughput by replica count,
// docs/benchmarks.md). Loopback only; it removes what it created.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { kafkaBrokers, type ServiceRuntime } from '@yb/testing';
import { Kafka, logLevel } from 'kafkajs';
import { runFeePipelineBenchmark } from './fee-pipeline-benchmark';
import { printFeePipelineReport } from './fee-pipeline-report';
import { perfAvailable } from './on-cpu-profile';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)(:\d+)?$/;

function number(name: string, text: string | undefined, { zero = false } = {}): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!zero && value === 0))
    throw new Error(`--${name}: "${text}" is not a ${zero ? 'non-negative' : 'positive'} number`);
  return value;
}

function wholeNumber(name: string, text: string): number {
  const value = number(name, text)!;
  if (!Number.isInteger(value)) throw new Error(`--${name}: "${text}" is not a whole number`);
  return value;
}

function parseCommandLine() {
  const { values } = parseArgs({
    strict: true,
    options: {
      backlog: { type: 'string', default: '2000' },
      warmup: { type: 'string', default: '0' },
      beds: { type: 'string', default: '500' },
      'platform-latency': { type: 'string', default: '0' },
      load: { type: 'string', default: '0.25' },
      rate: { type: 'string' },
      steady: { type: 'string', default: '30' },
      drain: { type: 'string', default: '120' },
      partitions: { type: 'string', default: '3' },
      'batch-size': { type: 'string', default: '50' },
      keys: { type: 'string' },
      seed: { type: 'string' },
      'no-raw': { type: 'boolean', default: false },
      'round-trips': { type: 'string', default: '2000' },
      runtime: { type: 'string', default: 'compiled' },
      'max-old-space': { type: 'string', default: '256' },
      // As the Helm chart runs the services (deploy/kubernetes values: maxSemiSpaceMiB).
      'max-semi-space': { type: 'string', default: '2' },
      // As the Helm chart and docker-compose run the services (MALLOC_ARENA_MAX).
      'malloc-arenas': { type: 'string', default: '2' },
      tracing: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      'alloc-prof': { type: 'string' },
      perf: { type: 'string' },
      'fee-detail-replicas': { type: 'string', default: '1' },
    },
  });
  if (values.perf !== undefined && !perfAvailable()) throw new Error('--perf: perf is not installed here');
  if (values.runtime !== 'compiled' && values.runtime !== 'source')
    throw new Error(`--runtime: "${values.runtime}" is neither compiled nor source`);
  return {
    backlog: number('backlog', values.backlog)!,
    warmup: number('warmup', values.warmup, { zero: true })!,
    beds: number('beds', values.beds)!,
    platformLatencyMs: number('platform-latency', values['platform-latency'], { zero: true })!,
    loadFraction: number('load', values.load)!,
    ratePerSecond: number('rate', values.rate),
    steadyMs: number('steady', values.steady, { zero: true })! * 1000,
    drainMs: number('drain', values.drain)! * 1000,
    partitions: number('partitions', values.partitions)!,
    feeBatchSize: number('batch-size', values['batch-size'])!,
    consumerKeys: number('keys', values.keys),
    seed: number('seed', values.seed, { zero: true }),
    raw: !values['no-raw'],
    roundTrips: number('round-trips', values['round-trips'], { zero: true })!,
    runtime: values.runtime as ServiceRuntime,
    maxOldSpaceMiB: number('max-old-space', values['max-old-space']),
    ...(values['max-semi-space'] && { maxSemiSpaceMiB: number('max-semi-space', values['max-semi-space']) }),
    ...(values['malloc-arenas'] && { mallocArenaMax: number('malloc-arenas', values['malloc-arenas']) }),
    tracing: values.tracing,
    cpuProfileDir: values['cpu-prof'] && path.resolve(values['cpu-prof']),
    allocationProfileDir: values['alloc-prof'] && path.resolve(values['alloc-prof']),
    onCpuDir: values.perf && path.resolve(values.perf),
    feeDetailReplicas: wholeNumber('fee-detail-replicas', values['fee-detail-replicas']),
    log: (line: string) => console.error(line),
  };
}

async function main(): Promise<void> {
  const options = parseCommandLine();
  const brokers = kafkaBrokers();
  const remote = brokers.filter((b) => !LOOPBACK.test(b));
  if (remote.length > 0)
    throw new Error(`KAFKA_BROKERS must be loopback for a benchmark, got ${remote.join()}`);
  const kafka = new Kafka({ clientId: 'bench-fee-pipeline', brokers, logLevel: logLevel.NOTHING });
  printFeePipelineReport(await runFeePipelineBenchmark(kafka, brokers, options));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
