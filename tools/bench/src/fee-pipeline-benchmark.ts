// One benchmark run: capacity from a pre-produced backlog, the raw pipeline on the same records, a steady load
// below capacity for latency, bare kafkajs's produce → consume; the figures for the report.
import { type ServiceRuntime } from '@yb/testing';
import { type Kafka } from 'kafkajs';
import { type FeePipelineReport } from './fee-pipeline-report';
import { FeePipeline } from './fee-pipeline-run';
import { summariseAllocationProfiles } from './allocation-profile-summary';
import { summariseProfiles } from './cpu-profile-summary';
import { rawProduceToConsume } from './kafka-baseline';

export interface FeePipelineBenchmarkOptions {
  /** HIS FeeLinesCharged messages in the backlog (with the rest of their visits' messages). */
  readonly backlog: number;
  /**
   * HIS fee messages of a first backlog the services drain before capacity is measured on `backlog` (default 0:
   * measured on services just started, their JIT still compiling).
   */
  readonly warmup?: number;
  readonly beds: number;
  readonly seed?: number;
  readonly partitions: number;
  readonly feeBatchSize: number;
  readonly consumerKeys?: number;
  readonly platformLatencyMs: number;
  /** The steady load as a fraction of the measured capacity, unless ratePerSecond (HIS messages/s) is given. */
  readonly loadFraction: number;
  readonly ratePerSecond?: number;
  /** Steady load's length; 0 skips it. */
  readonly steadyMs: number;
  /** Longest wait for a phase's last acknowledgements. */
  readonly drainMs: number;
  readonly raw: boolean;
  /** Records sent one by one for bare kafkajs's produce → consume latency; 0 skips it. */
  readonly roundTrips: number;
  readonly tracing: boolean;
  readonly runtime: ServiceRuntime;
  readonly maxOldSpaceMiB?: number;
  readonly maxSemiSpaceMiB?: number;
  readonly mallocArenaMax?: number;
  readonly cpuProfileDir?: string;
  /** Each service samples its allocations (collected included) and writes them here as it exits. */
  readonly allocationProfileDir?: string;
  /** perf recordings of each service over the capacity run go here (--perf). */
  readonly onCpuDir?: string;
  /** fee-detail processes in its consumer group. */
  readonly feeDetailReplicas: number;
  readonly log: (line: string) => void;
}

/** The services consume up to this many partitions at once (KafkaConsumerHost's default). */
const SERVICE_PARTITION_CONCURRENCY = 3;

export async function runFeePipelineBenchmark(
  kafka: Kafka,
  brokers: readonly string[],
  options: FeePipelineBenchmarkOptions,
): Promise<FeePipelineReport> {
  const pipeline = await FeePipeline.start(kafka, brokers, {
    partitions: options.partitions,
    feeBatchSize: options.feeBatchSize,
    consumerKeys: options.consumerKeys,
    tracing: options.tracing,
    platformLatencyMs: options.platformLatencyMs,
    feeDetailReplicas: options.feeDetailReplicas,
    process: {
      runtime: options.runtime,
      maxOldSpaceMiB: options.maxOldSpaceMiB,
      maxSemiSpaceMiB: options.maxSemiSpaceMiB,
      mallocArenaMax: options.mallocArenaMax,
      cpuProfileDir: options.cpuProfileDir,
      allocationProfileDir: options.allocationProfileDir,
      perfMap: options.onCpuDir !== undefined,
    },
    onCpuDir: options.onCpuDir,
    log: options.log,
  });
  let report: FeePipelineReport;
  try {
    const capacity = await pipeline.capacity({
      feeMessages: options.backlog,
      beds: options.beds,
      seed: options.seed,
      drainMs: options.drainMs,
      warmupFeeMessages: options.warmup,
    });
    const raw = options.raw ? await pipeline.raw() : undefined;
    // Offered fee lines/s = fraction × capacity, as HIS messages/s at the backlog's lines per HIS message.
    const linesPerMessage = capacity.lines.charged / Math.max(1, capacity.his.published);
    const ratePerSecond =
      options.ratePerSecond ??
      Math.max(1, (options.loadFraction * capacity.linesPerSecond) / Math.max(0.1, linesPerMessage));
    const steady =
      options.steadyMs > 0
        ? await pipeline.steadyLoad({
            beds: options.beds,
            ratePerSecond: Number.isFinite(ratePerSecond) ? ratePerSecond : 10,
            durationMs: options.steadyMs,
            seed: options.seed === undefined ? undefined : options.seed + 1,
            drainMs: options.drainMs,
          })
        : undefined;
    const memory = pipeline.usage.memory();
    const ledgerCaches = await pipeline.ledgerCaches();
    const rawRoundTrip =
      options.roundTrips > 0
        ? await rawProduceToConsume(kafka, {
            messages: options.roundTrips,
            valueBytes: Math.round(pipeline.observer.hisMessageSize().meanBytes),
            partitions: options.partitions,
            partitionsConsumedConcurrently: SERVICE_PARTITION_CONCURRENCY,
          })
        : undefined;
    report = {
      options: {
        beds: options.beds,
        backlog: options.backlog,
        warmup: options.warmup,
        partitions: options.partitions,
        feeBatchSize: options.feeBatchSize,
        consumerKeys: options.consumerKeys,
        tracing: options.tracing,
        platformLatencyMs: options.platformLatencyMs,
        runtime: options.runtime,
        maxOldSpaceMiB: options.maxOldSpaceMiB,
        maxSemiSpaceMiB: options.maxSemiSpaceMiB,
        mallocArenaMax: options.mallocArenaMax,
        feeDetailReplicas: options.feeDetailReplicas,
      },
      capacity,
      raw,
      steady,
      rawRoundTrip,
      memory,
      ledgerCaches,
      resultsByType: pipeline.observer.resultsByType(),
      deadLetters: pipeline.observer.deadLetters(),
      refusals: pipeline.observer.refusals(),
    };
  } finally {
    await pipeline.stop();
  }
  // The services write their profiles as they exit (in stop()).
  const names = pipeline.usage.namesByPid();
  return {
    ...report,
    ...(options.cpuProfileDir !== undefined && { profiles: summariseProfiles(options.cpuProfileDir, names) }),
    ...(options.allocationProfileDir !== undefined && {
      allocations: summariseAllocationProfiles(options.allocationProfileDir, names),
    }),
  };
}
