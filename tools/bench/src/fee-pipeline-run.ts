// The fee pipeline as the benchmark runs it: a fresh hospital (platform simulator, admission and fee-detail as
// child processes, compiled, on throw-away topics and schemas), the processes' memory and CPU sampled
// throughout, and its phases: capacity (drain a pre-produced backlog), the raw pipeline on the same records, and
// a steady offered load (latency). Everything it created is removed by stop().
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dlqTopic } from '@yb/contracts';
import { startHisSimulator, type HisSimulatorStats } from '@yb/his-sim';
import { HospitalServices, instanceKey, type HospitalService, type ServiceProcessOptions } from '@yb/testing';
import { type Kafka } from 'kafkajs';
import { type FeeLinesSummary } from './fee-pipeline-lines';
import { observeFeePipeline, type FeePipelineObserver } from './fee-pipeline-observer';
import { OnCpuRecording, summariseOnCpu } from './on-cpu-profile';
import { ledgerCacheUse, type LedgerCacheUse } from './ledger-cache-use';
import { UsageSampler } from './process-usage';
import { serverCpuCounters } from './server-cpu';
import { type FrameSummary } from './profile-tally';
import { runRawPipeline, type RawPipelineMeasurement } from './raw-pipeline';

export interface PipelineOptions {
  readonly partitions: number;
  readonly feeBatchSize: number;
  /**
   * Visits each service handles and sends at once (CONSUMER_KEY_CONCURRENCY, ADMISSION_PLATFORM_CONCURRENCY,
   * FEE_DETAIL_UPLOAD_CONCURRENCY; pools sized to match); the services' defaults when absent.
   */
  readonly consumerKeys?: number;
  readonly tracing: boolean;
  /** Every platform call answered this much later (the sandbox's latency fault on each interface used). */
  readonly platformLatencyMs: number;
  /** fee-detail processes sharing its schema and consumer group. */
  readonly feeDetailReplicas: number;
  readonly process: ServiceProcessOptions;
  /** Record each service's CPU with perf over the capacity run, into this directory (process.perfMap names its JS). */
  readonly onCpuDir?: string;
  /** Progress lines (the CLI: stderr). */
  readonly log: (line: string) => void;
}

export interface PhaseMeasurement {
  readonly his: HisSimulatorStats;
  readonly lines: FeeLinesSummary;
  /** CPU ms per acknowledged line, per process, over the phase (its start, or the services' ready, to the last acknowledgement). */
  readonly cpuMsPerLine: ReadonlyMap<string, number>;
  /** The same for the servers on this machine (PostgreSQL, Kafka), over the same window. */
  readonly serverCpuMsPerLine: ReadonlyMap<string, number>;
  /** The machine's 1-minute load average at the end of the phase: other work on the same cores. */
  readonly loadAverage: number;
}

/** The raw pipeline's run, with the sandbox's and the servers' CPU over it. */
export type RawRun = RawPipelineMeasurement & {
  readonly simCpuMs: number;
  readonly serverCpuMs: ReadonlyMap<string, number>;
};

export interface CapacityMeasurement extends PhaseMeasurement {
  /**
   * Acknowledged lines per second: from the first acknowledgement to the last (a backlog drained by services just
   * started), or, after a warm-up, from the end of the backlog's publishing to the last acknowledgement.
   */
  readonly linesPerSecond: number;
  /** The acknowledgements linesPerSecond and cpuMsPerLine count. */
  readonly measuredLines: number;
  /** HIS messages published per second while the backlog was produced (the generator's own ceiling). */
  readonly producedPerSecond: number;
  /** Services started (or, warm, the backlog published) → last acknowledgement, ms. */
  readonly drainMs: number;
  /** The warm-up's drain, when there was one: the same figures for the services' first minutes. */
  readonly warmup?: CapacityMeasurement;
  /** With PipelineOptions.onCpuDir: each service's CPU over the capacity run, as perf sampled it. */
  readonly onCpu?: readonly [string, FrameSummary][];
}

const SERVICES: readonly HospitalService[] = ['admission', 'fee-detail'];
/** The interfaces admission and fee-detail call: each gets the latency fault. */
const PIPELINE_INFNOS = ['9001', '1101', '2001', '2401', '2301'];
const PROGRESS_EVERY_MS = 5000;
/** Messages per produce request when pre-producing the backlog, and at most when catching up in a steady load. */
const BACKLOG_BATCH = 500;
const STEADY_BATCH = 50;
/** Longer than the usage sampler's interval: a sample after the raw run's end is taken before reading it. */
const SAMPLE_SETTLE_MS = 500;

export class FeePipeline {
  private constructor(
    private readonly kafka: Kafka,
    private readonly brokers: readonly string[],
    private readonly options: PipelineOptions,
    private readonly stack: HospitalServices,
    readonly observer: FeePipelineObserver,
    readonly usage: UsageSampler,
    private readonly progress: NodeJS.Timeout,
  ) {}

  /** Every process of the services: [service, replica]. */
  private get instances(): [HospitalService, number][] {
    return instancesOf(this.options.feeDetailReplicas);
  }

  /** The simulator started (latency armed), the services not yet: they start with the capacity phase. */
  static async start(
    kafka: Kafka,
    brokers: readonly string[],
    options: PipelineOptions,
  ): Promise<FeePipeline> {
    options.log('[bench] starting the platform simulator …');
    const stack = await HospitalServices.start({
      label: 'bench-fp',
      services: [],
      partitions: options.partitions,
      // info, as in production (and the ready line is logged at info).
      env: { LOG_LEVEL: 'info', ...(!options.tracing && { OTEL_SDK_DISABLED: 'true' }) },
      serviceEnv: {
        'fee-detail': {
          FEE_DETAIL_BATCH_SIZE: String(options.feeBatchSize),
          ...keysEnv(options.consumerKeys),
        },
        admission: keysEnv(options.consumerKeys),
      },
      process: options.process,
    });
    try {
      if (options.platformLatencyMs > 0)
        for (const infno of PIPELINE_INFNOS)
          await stack.sim.admin('POST', '/sim/faults', {
            infno,
            mode: 'latency',
            latencyMs: options.platformLatencyMs,
          });
      const usage = new UsageSampler(
        () => {
          const running = new Map<string, number | undefined>([['platform-sim', stack.sim.pid]]);
          for (const [s, replica] of instancesOf(options.feeDetailReplicas))
            running.set(
              instanceKey(s, replica),
              stack.isRunning(s, replica) ? stack.service(s, replica).pid : undefined,
            );
          return running;
        },
        undefined,
        await serverCpuCounters(),
      );
      const observer = await observeFeePipeline(kafka, {
        his: stack.topics.hisInpatient,
        results: stack.topics.insuranceInpatient,
        deadLetters: [dlqTopic(stack.topics.hisInpatient), dlqTopic(stack.topics.insuranceInpatient)],
      });
      const progress = setInterval(() => options.log(`[bench] ${observer.progress()}`), PROGRESS_EVERY_MS);
      return new FeePipeline(kafka, brokers, options, stack, observer, usage, progress);
    } catch (err) {
      await stack.stop();
      throw err;
    }
  }

  /**
   * Capacity: `feeMessages` HIS FeeLinesCharged (with the rest of their visits' messages) published in batches
   * while no service runs, then admission and fee-detail started; the backlog drained to its last acknowledgement.
   * With `warmupFeeMessages`, that drain is the warm-up (kept as `warmup`: cold processes, their JIT compiling as
   * they go), and capacity is measured on a second backlog of `feeMessages`, of other visits, published as fast as
   * the simulator can while the warmed services run: the lines acknowledged from the end of its publishing to the
   * last acknowledgement, per second (the generator no longer competing for the cores).
   */
  async capacity(o: {
    feeMessages: number;
    beds: number;
    seed?: number;
    drainMs: number;
    warmupFeeMessages?: number;
  }): Promise<CapacityMeasurement> {
    if (!o.warmupFeeMessages) return this.drainBacklog({ ...o, recordOnCpu: true });
    const warmup = await this.drainBacklog({ ...o, feeMessages: o.warmupFeeMessages, recordOnCpu: false });
    this.observer.startPhase();
    this.options.log(`[bench] warm services: publishing a backlog of ${o.feeMessages} HIS fee messages …`);
    const his = await this.publish({
      beds: o.beds,
      // Other visits than the warm-up's (the steady load takes seed + 1).
      seed: o.seed === undefined ? undefined : o.seed + 2,
      batchSize: BACKLOG_BATCH,
      feeMessages: o.feeMessages,
    });
    const publishedAt = Date.now();
    const onCpu = await this.drained(o.drainMs, true);
    const lines = this.observer.lines.summary();
    const measured = this.observer.lines.acknowledgedFrom(publishedAt);
    return {
      // CPU per line over publishing's end → the last ack (the summary's too), per line acknowledged in it.
      ...this.phase(his, lines, publishedAt, measured.count),
      linesPerSecond: (measured.count / Math.max(1, measured.lastAtMs - publishedAt)) * 1000,
      measuredLines: measured.count,
      producedPerSecond: (his.published / Math.max(1, his.elapsedMs)) * 1000,
      drainMs: measured.lastAtMs - publishedAt,
      warmup,
      ...onCpu,
    };
  }

  /** A backlog published while no service runs, the services started, and the backlog drained (first → last ack). */
  private async drainBacklog(o: {
    feeMessages: number;
    beds: number;
    seed?: number;
    drainMs: number;
    recordOnCpu: boolean;
  }): Promise<CapacityMeasurement> {
    this.observer.startPhase();
    this.options.log(
      `[bench] pre-producing a backlog of ${o.feeMessages} HIS fee messages (${o.beds} beds) …`,
    );
    const his = await this.publish({
      beds: o.beds,
      seed: o.seed,
      batchSize: BACKLOG_BATCH,
      feeMessages: o.feeMessages,
    });
    const startedAt = Date.now();
    this.options.log(
      `[bench] backlog of ${his.published} messages ready; starting admission and fee-detail …`,
    );
    // Each service's first process makes its schema (migrations); its other replicas join it once it has.
    const start = (first: boolean) =>
      Promise.all(
        this.instances
          .filter(([, replica]) => (replica === 0) === first)
          .map(([s, replica]) => this.stack.startService(s, replica)),
      );
    await start(true);
    await start(false);
    // CPU from the services' ready lines: their start-up is not work per line.
    const readyAt = Date.now();
    const onCpu = await this.drained(o.drainMs, o.recordOnCpu);
    const lines = this.observer.lines.summary();
    return {
      ...this.phase(his, lines, readyAt),
      linesPerSecond: lines.firstToLastAckPerSecond,
      measuredLines: lines.acknowledged,
      producedPerSecond: (his.published / Math.max(1, his.elapsedMs)) * 1000,
      drainMs: lines.lastAckAtMs - startedAt,
      ...onCpu,
    };
  }

  /**
   * Waits until the phase's backlog is drained; with `record` and PipelineOptions.onCpuDir, each service is recorded
   * with perf meanwhile and its samples summarised.
   */
  private async drained(drainMs: number, record: boolean): Promise<Pick<CapacityMeasurement, 'onCpu'>> {
    const dir = this.options.onCpuDir;
    if (!record || dir === undefined) {
      await this.observer.drained(drainMs);
      return {};
    }
    mkdirSync(dir, { recursive: true });
    const recordings = this.instances.map(([s, replica]): [string, OnCpuRecording] => {
      const name = instanceKey(s, replica);
      const pid = this.stack.service(s, replica).pid!;
      return [name, OnCpuRecording.start(pid, path.join(dir, `perf.${name}.${pid}.data`))];
    });
    await this.observer.drained(drainMs);
    await Promise.all(recordings.map(([, recording]) => recording.stop()));
    return { onCpu: recordings.map(([name, r]): [string, FrameSummary] => [name, summariseOnCpu(r.file)]) };
  }

  /** The raw pipeline over the records on the HIS topic now (the backlog), on the same broker, database, sandbox. */
  async raw(): Promise<RawRun> {
    this.options.log('[bench] the raw pipeline on the same records …');
    const startedAt = Date.now();
    const raw = await runRawPipeline(this.kafka, {
      topic: this.stack.topics.hisInpatient,
      endOffsets: await this.observer.hisEndOffsets(),
      partitions: this.options.partitions,
      simUrl: this.stack.sim.url,
      registrations: this.observer.registrations,
    });
    // The sandbox's share of the raw run, so that both CPU figures count the sandbox's work.
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_SETTLE_MS));
    const simCpuMs =
      this.usage.cpuMsBetween(startedAt, Date.now() - SAMPLE_SETTLE_MS).get('platform-sim') ?? 0;
    const serverCpuMs = this.usage.counterMsBetween(startedAt, Date.now() - SAMPLE_SETTLE_MS);
    return { ...raw, simCpuMs, serverCpuMs };
  }

  /** A steady offered load for a while, the services running; latency from each HIS publish to its acknowledgement. */
  async steadyLoad(o: {
    beds: number;
    ratePerSecond: number;
    durationMs: number;
    seed?: number;
    drainMs: number;
  }): Promise<PhaseMeasurement> {
    this.observer.startPhase();
    this.options.log(
      `[bench] steady load: ${o.ratePerSecond.toFixed(0)} HIS messages/s for ${o.durationMs / 1000} s …`,
    );
    const startedAt = Date.now();
    const his = await this.publish({
      beds: o.beds,
      seed: o.seed,
      batchSize: STEADY_BATCH,
      ratePerSecond: o.ratePerSecond,
      durationMs: o.durationMs,
    });
    await this.observer.drained(o.drainMs);
    return this.phase(his, this.observer.lines.summary(), startedAt);
  }

  /** Each fee-detail process's ledger cache, as its /metrics says now. */
  async ledgerCaches(): Promise<[string, LedgerCacheUse][]> {
    const caches: [string, LedgerCacheUse][] = [];
    for (const [name, replica] of this.instances) {
      if (name !== 'fee-detail' || !this.stack.isRunning(name, replica)) continue;
      const url = this.stack.service(name, replica).ready[1];
      const use = ledgerCacheUse(await (await fetch(`${url}/metrics`)).text());
      if (use) caches.push([instanceKey(name, replica), use]);
    }
    return caches;
  }

  async stop(): Promise<void> {
    clearInterval(this.progress);
    this.usage.stop();
    this.options.log('[bench] cleaning up (processes, schemas, topics) …');
    // BENCH_LOG_DIR: the services' own output, kept for a run that needs explaining.
    const logDir = process.env.BENCH_LOG_DIR;
    if (logDir) mkdirSync(logDir, { recursive: true });
    if (logDir)
      for (const [name, replica] of this.instances)
        if (this.stack.isRunning(name, replica))
          writeFileSync(
            path.join(logDir, `${instanceKey(name, replica)}.log`),
            this.stack.service(name, replica).output,
          );
    // --perf-basic-prof's symbol maps of the services and the simulator (which runs with the same options), by pid
    // (taken before the processes end).
    const perfMaps = this.options.process.perfMap
      ? [
          this.stack.sim.pid,
          ...this.instances
            .filter(([name, replica]) => this.stack.isRunning(name, replica))
            .map(([name, replica]) => this.stack.service(name, replica).pid),
        ].map((pid) => `/tmp/perf-${pid}.map`)
      : [];
    await this.observer.stop();
    await this.stack.stop();
    for (const file of perfMaps) rmSync(file, { force: true });
  }

  /** `perLines`: the acknowledgements the CPU from `cpuFrom` to the last one is shared by (default: all). */
  private phase(
    his: HisSimulatorStats,
    lines: FeeLinesSummary,
    cpuFrom: number,
    perLines = lines.acknowledged,
  ): PhaseMeasurement {
    const perLine = (used: Map<string, number>) =>
      new Map([...used].map(([name, ms]) => [name, ms / Math.max(1, perLines)]));
    return {
      his,
      lines,
      cpuMsPerLine: perLine(this.usage.cpuMsBetween(cpuFrom, lines.lastAckAtMs)),
      serverCpuMsPerLine: perLine(this.usage.counterMsBetween(cpuFrom, lines.lastAckAtMs)),
      loadAverage: loadavg()[0]!,
    };
  }

  /** One HIS simulator (batches keep it ahead of any rate); stopped once `feeMessages` fee messages are out. */
  private async publish(o: {
    beds: number;
    seed?: number;
    batchSize: number;
    ratePerSecond?: number;
    durationMs?: number;
    feeMessages?: number;
  }): Promise<HisSimulatorStats> {
    const manifestPath = join(tmpdir(), `bench-fee-pipeline-${process.pid}-${Date.now()}.jsonl`);
    try {
      const sim = await startHisSimulator({
        beds: o.beds,
        ratePerSecond: o.ratePerSecond ?? 1e9,
        durationMs: o.durationMs ?? 3_600_000,
        seed: o.seed,
        brokers: this.brokers,
        topics: { inpatient: this.stack.topics.hisInpatient, clinical: this.stack.topics.hisClinical },
        partitions: this.options.partitions,
        batchSize: o.batchSize,
        manifestPath,
      });
      const { feeMessages } = o;
      if (feeMessages !== undefined) {
        const enough = setInterval(() => {
          if ((sim.stats().publishedByType['FeeLinesCharged'] ?? 0) >= feeMessages) void sim.stop();
        }, 5);
        return await sim.finished.finally(() => clearInterval(enough));
      }
      return await sim.finished;
    } finally {
      rmSync(manifestPath, { force: true });
    }
  }
}

/** admission once, fee-detail `feeDetailReplicas` times. */
function instancesOf(feeDetailReplicas: number): [HospitalService, number][] {
  return SERVICES.flatMap((s): [HospitalService, number][] =>
    Array.from({ length: s === 'fee-detail' ? feeDetailReplicas : 1 }, (_, i) => [s, i]),
  );
}

/**
 * Visits handled at once by the consumers and sent at once by the platform workers, with a connection per visit
 * for its reads and appends and a few spare.
 */
function keysEnv(keys: number | undefined): Record<string, string> {
  return keys === undefined
    ? {}
    : {
        CONSUMER_KEY_CONCURRENCY: String(keys),
        ADMISSION_PLATFORM_CONCURRENCY: String(keys),
        FEE_DETAIL_UPLOAD_CONCURRENCY: String(keys),
        DATABASE_POOL_SIZE: String(keys + 6),
      };
}
