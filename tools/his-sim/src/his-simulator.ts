import { randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Topics } from '@yb/contracts';
import { ensureTopics, KafkaPublisher, kafkaLogCreator } from '@yb/messaging';
import { createLogger } from '@yb/observability';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { compactDate, DAY_MS } from './beijing-time';
import { hospitalTimeline, type TimelineStep } from './hospital-timeline';
import { assertLoopbackBrokers } from './loopback-brokers';
import { ManifestWriter, PublishedVisits, type MessageRecord } from './manifest';

export interface HisSimulatorOptions {
  /** Beds in the simulated hospital (default 100): how many stays run at the same time. */
  readonly beds?: number;
  /** Messages published per second, wall clock (default 50). */
  readonly ratePerSecond?: number;
  /** Stop after this long (wall clock). */
  readonly durationMs?: number;
  /** Stop once this many episodes are wholly published. Without it nor durationMs, the run lasts 60 s. */
  readonly episodes?: number;
  /** Seed of the generator (default: random, reported in stats and the manifest). */
  readonly seed?: number;
  /**
   * Simulated instant the hospital starts from (default: 30 days ago, so that stays end in the past; with
   * realTime, a week ago, so that today's admissions, charges and discharges are there).
   */
  readonly startAt?: Date;
  /**
   * Never publish a message before its simulated time: what is past goes out at the rate (the week before now,
   * for a ward in its usual state), then each message when the wall clock reaches it, as a HIS would (npm start).
   */
  readonly realTime?: boolean;
  /** Kafka brokers, loopback only (default KAFKA_BROKERS or 127.0.0.1:9092). */
  readonly brokers?: readonly string[];
  /** Topic names (default his.inpatient and his.clinical); tests pass throw-away topics. */
  readonly topics?: { readonly inpatient: string; readonly clinical: string };
  /** Partitions of topics the simulator creates (default: the broker's default). */
  readonly partitions?: number;
  /**
   * Messages sent per produce request (default 1): a benchmark pre-producing a backlog sends hundreds at once so
   * that the generator is never the limit. Within a batch each topic's messages go in one request, in timeline
   * order; the manifest then records their partition as -1 and no offset (a request answers per partition).
   */
  readonly batchSize?: number;
  /**
   * The cashier confirms each pre-settlement split at the HIS (PreSettlementConfirmed, a few minutes after each
   * SettlementRequested). Off by default: only a hospital with SETTLEMENT_CONFIRMATION on waits for it.
   */
  readonly cashierConfirms?: boolean;
  /** Where the JSONL manifest goes (default: <tmpdir>/his-sim/manifest-<seed>-<date>.jsonl). */
  readonly manifestPath?: string;
}

export type StopReason = 'duration' | 'episodes' | 'stopped' | 'error';

export interface HisSimulatorStats {
  readonly seed: number;
  readonly running: boolean;
  readonly stopReason: StopReason | null;
  readonly error: string | null;
  readonly elapsedMs: number;
  readonly published: number;
  readonly publishedByType: Readonly<Record<string, number>>;
  readonly visitsStarted: number;
  readonly visitsCompleted: number;
  readonly targetRatePerSecond: number;
  readonly achievedRatePerSecond: number;
  readonly manifestPath: string;
}

export interface HisSimulator {
  /** Stops publishing (the message in flight completes), writes the visit totals, returns the final stats. */
  stop(): Promise<HisSimulatorStats>;
  stats(): HisSimulatorStats;
  /** Settles when the run ends by itself or by stop(); rejects when publishing failed. */
  readonly finished: Promise<HisSimulatorStats>;
}

const DEFAULT_DURATION_MS = 60_000;

/** A week: longer than most stays, so that the ward is full and some of today's patients go home today. */
const REAL_TIME_LOOK_BACK_DAYS = 7;

function resolveOptions(options: HisSimulatorOptions) {
  const beds = options.beds ?? 100;
  const ratePerSecond = options.ratePerSecond ?? 50;
  if (!Number.isInteger(beds) || beds < 1) throw new Error(`beds must be a positive integer, got ${beds}`);
  if (!(ratePerSecond > 0)) throw new Error(`ratePerSecond must be positive, got ${ratePerSecond}`);
  if (options.episodes !== undefined && (!Number.isInteger(options.episodes) || options.episodes < 1))
    throw new Error(`episodes must be a positive integer, got ${options.episodes}`);
  if (options.durationMs !== undefined && !(options.durationMs > 0))
    throw new Error(`durationMs must be positive, got ${options.durationMs}`);
  const batchSize = options.batchSize ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const brokers = options.brokers ?? (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  assertLoopbackBrokers(brokers);
  const seed = options.seed ?? randomInt(0, 2 ** 32);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new Error(`seed must be an integer in [0, 2^32), got ${seed}`);
  const lookBack = (options.realTime ? REAL_TIME_LOOK_BACK_DAYS : 30) * DAY_MS;
  const startAt = Math.floor((options.startAt?.getTime() ?? Date.now() - lookBack) / 1000) * 1000;
  return {
    beds,
    ratePerSecond,
    episodes: options.episodes,
    durationMs: options.durationMs ?? (options.episodes === undefined ? DEFAULT_DURATION_MS : undefined),
    seed,
    startAt,
    realTime: options.realTime ?? false,
    cashierConfirms: options.cashierConfirms ?? false,
    brokers,
    topics: options.topics ?? { inpatient: Topics.hisInpatient, clinical: Topics.hisClinical },
    partitions: options.partitions,
    batchSize,
    manifestPath:
      options.manifestPath ??
      join(tmpdir(), 'his-sim', `manifest-${seed}-${compactDate(Date.now())}-${process.pid}.jsonl`),
  };
}

/**
 * Starts publishing a simulated hospital's HIS messages: topics are created first, then messages go out
 * at the chosen rate, keyed by ipt_no, each visit's in order, until the duration or episode count is
 * reached or stop() is called. Every message is recorded in the manifest as it is acknowledged.
 */
export async function startHisSimulator(options: HisSimulatorOptions = {}): Promise<HisSimulator> {
  const o = resolveOptions(options);
  const kafka = new Kafka({
    clientId: 'his-sim',
    brokers: [...o.brokers],
    logLevel: logLevel.ERROR,
    // On stderr: stdout carries the run's stats.
    logCreator: kafkaLogCreator(createLogger({ serviceName: 'his-sim', destination: pino.destination(2) })),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = [o.topics.inpatient, o.topics.clinical];
    await ensureTopics(
      admin,
      topics.map((topic) => ({ topic, ...(o.partitions && { numPartitions: o.partitions }) })),
    );
  } finally {
    await admin.disconnect();
  }
  const publisher = new KafkaPublisher(kafka);
  await publisher.connect();
  const manifest = new ManifestWriter(o.manifestPath);
  const visits = new PublishedVisits();
  const publishedByType: Record<string, number> = {};
  let published = 0;
  let stopReason: StopReason | null = null;
  let error: string | null = null;
  let running = true;
  const startedAt = performance.now();
  let endedAt: number | undefined;
  let wake: (() => void) | undefined;

  const stats = (): HisSimulatorStats => {
    const elapsedMs = (endedAt ?? performance.now()) - startedAt;
    return {
      seed: o.seed,
      running,
      stopReason,
      error,
      elapsedMs: Math.round(elapsedMs),
      published,
      publishedByType: { ...publishedByType },
      visitsStarted: visits.count,
      visitsCompleted: visits.completed,
      targetRatePerSecond: o.ratePerSecond,
      achievedRatePerSecond: elapsedMs > 0 ? Math.round((published / elapsedMs) * 100_000) / 100 : 0,
      manifestPath: o.manifestPath,
    };
  };

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const run = async (): Promise<void> => {
    await manifest.write({
      record: 'run',
      seed: o.seed,
      beds: o.beds,
      ratePerSecond: o.ratePerSecond,
      durationMs: o.durationMs ?? null,
      episodes: o.episodes ?? null,
      simulatedStart: new Date(o.startAt).toISOString(),
      cashierConfirms: o.cashierConfirms,
      topics: o.topics,
      startedAt: new Date().toISOString(),
    });
    const deadline = o.durationMs === undefined ? Infinity : startedAt + o.durationMs;
    const batch: TimelineStep[] = [];
    const send = async (): Promise<void> => {
      const steps = batch.splice(0);
      const topicOf = (step: TimelineStep) =>
        step.message.topic === Topics.hisClinical ? o.topics.clinical : o.topics.inpatient;
      for (const topicName of new Set(steps.map(topicOf))) {
        const sent = steps.filter((step) => topicOf(step) === topicName);
        const acks = await publisher.publishAll(
          topicName,
          sent.map((step) => step.message.envelope),
        );
        for (const step of sent) {
          const { envelope, feeDelta } = step.message;
          published += 1;
          publishedByType[envelope.type] = (publishedByType[envelope.type] ?? 0) + 1;
          visits.add(step.message, step.episode.department.code, step.last);
          const ack = sent.length === 1 ? acks[0] : undefined;
          const record: MessageRecord = {
            record: 'message',
            id: envelope.id,
            type: envelope.type,
            topic: topicName,
            ipt_no: envelope.key,
            occurredAt: envelope.occurredAt,
            partition: ack?.partition ?? -1,
            offset: ack?.baseOffset ?? '',
            ...(feeDelta !== undefined && { fee_delta: feeDelta }),
          };
          await manifest.write(record);
        }
      }
    };
    for (const step of hospitalTimeline({
      seed: o.seed,
      beds: o.beds,
      episodes: o.episodes,
      startAt: o.startAt,
      cashierConfirms: o.cashierConfirms,
    })) {
      const byRate = startedAt + ((published + batch.length) * 1000) / o.ratePerSecond;
      const byClock = o.realTime
        ? performance.now() + Date.parse(step.message.envelope.occurredAt) - Date.now()
        : -Infinity;
      const wanted = Math.max(byRate, byClock);
      const due = Math.min(wanted, deadline);
      if (due > performance.now()) {
        await send();
        if (due > performance.now()) await pause(due - performance.now());
      }
      if (stopReason) break;
      // A step not due before the deadline ends the run, whatever the timer: it may wake a little early, and the
      // step (in real time, one hours ahead) would go out before its time.
      if (wanted > deadline || performance.now() >= deadline) {
        stopReason = 'duration';
        break;
      }
      batch.push(step);
      if (batch.length >= o.batchSize) await send();
    }
    await send();
    stopReason ??= 'episodes';
  };

  const finished = run()
    .catch((err: unknown) => {
      stopReason = 'error';
      error = err instanceof Error ? err.message : String(err);
    })
    .finally(() => {
      endedAt = performance.now();
    })
    .then(async () => {
      for (const visit of visits.records()) await manifest.write(visit);
      running = false;
      await manifest.write({ record: 'summary', ...stats() });
      await manifest.close();
      await publisher.disconnect();
      if (error !== null) throw new Error(`HIS simulator stopped: ${error}`);
      return stats();
    });
  // The caller may only ever call stop(); keep an unobserved failure from crashing the process.
  finished.catch(() => undefined);

  return {
    stats,
    finished,
    stop: async () => {
      if (running && stopReason === null) stopReason = 'stopped';
      wake?.();
      return finished;
    },
  };
}
