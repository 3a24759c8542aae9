// One run of the fee pipeline: a fresh hospital (platform simulator, admission, fee-detail as child processes on
// throw-away topics and schemas), the HIS simulator's load for a bounded time, a bounded drain, the services'
// memory sampled throughout; everything it created is removed before it returns.
import { rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dlqTopic } from '@yb/contracts';
import { startHisSimulator, type HisSimulatorStats } from '@yb/his-sim';
import { HospitalServices, type HospitalService } from '@yb/testing';
import { type Kafka } from 'kafkajs';
import { type FeeLinesSummary } from './fee-pipeline-lines';
import { observeFeePipeline, type HisMessageSize } from './fee-pipeline-observer';
import { MemorySampler, type ProcessMemory } from './process-memory';

export interface PipelineRunOptions {
  readonly beds: number;
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly episodes?: number;
  readonly seed?: number;
  readonly partitions: number;
  readonly feeBatchSize: number;
  readonly drainMs: number;
  readonly tracing: boolean;
}

export interface PipelineMeasurement {
  readonly his: HisSimulatorStats;
  readonly hisSize: HisMessageSize;
  readonly lines: FeeLinesSummary;
  readonly resultsByType: Readonly<Record<string, number>>;
  readonly deadLetters: Readonly<Record<string, number>>;
  readonly refusals: Readonly<Record<string, number>>;
  /** Platform simulator and each service. */
  readonly memory: readonly ProcessMemory[];
  /** HIS simulators publishing side by side (one sends one message at a time: ~50–1000/s by the machine). */
  readonly hisPublishers: number;
  /** The machine's 1-minute load average at the end of the load: other work on the same cores. */
  readonly loadAverage: number;
}

const PROGRESS_EVERY_MS = 5000;
/** Messages a second asked of one HIS simulator before another is started beside it. */
const RATE_PER_PUBLISHER = 100;
const MAX_PUBLISHERS = 16;

/** The stats of HIS simulators that ran side by side, as one HIS. */
function combined(all: readonly HisSimulatorStats[]): HisSimulatorStats {
  const sum = (pick: (s: HisSimulatorStats) => number) => all.reduce((total, s) => total + pick(s), 0);
  const publishedByType: Record<string, number> = {};
  for (const s of all)
    for (const [type, n] of Object.entries(s.publishedByType))
      publishedByType[type] = (publishedByType[type] ?? 0) + n;
  return {
    ...all[0]!,
    elapsedMs: Math.max(...all.map((s) => s.elapsedMs)),
    published: sum((s) => s.published),
    publishedByType,
    visitsStarted: sum((s) => s.visitsStarted),
    visitsCompleted: sum((s) => s.visitsCompleted),
    targetRatePerSecond: sum((s) => s.targetRatePerSecond),
    achievedRatePerSecond: sum((s) => s.achievedRatePerSecond),
  };
}
const SERVICES: readonly HospitalService[] = ['admission', 'fee-detail'];

export async function measureFeePipeline(
  kafka: Kafka,
  brokers: readonly string[],
  options: PipelineRunOptions,
): Promise<PipelineMeasurement> {
  const manifestPath = (publisher: number) =>
    join(tmpdir(), `bench-fee-pipeline-${process.pid}-${options.beds}-${publisher}.jsonl`);
  let publishers = 0;
  console.error(`[bench] ${options.beds} beds: starting the platform simulator, admission and fee-detail …`);
  const stack = await HospitalServices.start({
    label: 'bench-fp',
    services: SERVICES,
    partitions: options.partitions,
    // info, as in production (and the ready line is logged at info).
    env: { LOG_LEVEL: 'info', ...(!options.tracing && { OTEL_SDK_DISABLED: 'true' }) },
    serviceEnv: { 'fee-detail': { FEE_DETAIL_BATCH_SIZE: String(options.feeBatchSize) } },
  });
  const memory = new MemorySampler(
    () =>
      new Map([
        ['platform-sim', stack.sim.pid],
        ...SERVICES.map((s): [string, number | undefined] => [s, stack.service(s).pid]),
      ]),
  );
  const observer = await observeFeePipeline(kafka, {
    his: stack.topics.hisInpatient,
    results: stack.topics.insuranceInpatient,
    deadLetters: [dlqTopic(stack.topics.hisInpatient), dlqTopic(stack.topics.insuranceInpatient)],
  });
  const progress = setInterval(() => console.error(`[bench] ${observer.progress()}`), PROGRESS_EVERY_MS);
  try {
    // One HIS simulator sends a message at a time; a big hospital's load needs several side by side, each
    // with its share of the beds and rate and its own seed (so its own visit ids).
    publishers = Math.min(MAX_PUBLISHERS, Math.ceil(options.ratePerSecond / RATE_PER_PUBLISHER));
    console.error(
      `[bench] publishing on ${stack.prefix}his.* at ${options.ratePerSecond}/s (${publishers} HIS simulators) …`,
    );
    const sims = await Promise.all(
      Array.from({ length: publishers }, (_, i) =>
        startHisSimulator({
          beds: Math.ceil(options.beds / publishers),
          ratePerSecond: options.ratePerSecond / publishers,
          durationMs: options.durationMs,
          episodes: options.episodes,
          seed: options.seed === undefined ? undefined : options.seed + i,
          brokers,
          topics: { inpatient: stack.topics.hisInpatient, clinical: stack.topics.hisClinical },
          partitions: options.partitions,
          manifestPath: manifestPath(i),
        }),
      ),
    );
    const hisStats = combined(await Promise.all(sims.map((sim) => sim.finished)));
    const loadAverage = loadavg()[0]!;
    console.error(`[bench] HIS done: ${hisStats.published} messages; waiting for the platform's answers …`);
    await observer.drained(options.drainMs);
    return {
      his: hisStats,
      hisSize: observer.hisMessageSize(),
      lines: observer.lines.summary(),
      resultsByType: observer.resultsByType(),
      deadLetters: observer.deadLetters(),
      refusals: observer.refusals(),
      memory: memory.stop(),
      hisPublishers: publishers,
      loadAverage,
    };
  } finally {
    clearInterval(progress);
    memory.stop();
    console.error('[bench] cleaning up (processes, schemas, topics) …');
    await observer.stop();
    await stack.stop();
    for (let i = 0; i < publishers; i += 1) rmSync(manifestPath(i), { force: true });
  }
}
