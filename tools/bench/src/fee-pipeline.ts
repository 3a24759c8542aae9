// The fee pipeline end to end, HIS publish → platform acknowledgement, beside bare kafkajs on the same broker:
//   node -r ./tools/runtime/ts-register.js tools/bench/src/fee-pipeline.ts [--beds 200] [--rate 150] \
//     [--duration 60] [--episodes N] [--seed N] [--partitions 3] [--batch-size 50] [--drain 45] [--raw-messages 20000] [--tracing]
// Starts the platform simulator, admission and fee-detail (child processes, throw-away topics and schemas), lets
// the HIS simulator publish a hospital's inpatient messages, follows every charged fee line to the
// FeeLinesUploaded that carries the platform's acknowledgement, then measures raw kafkajs, prints the figures
// and removes everything it created. Loopback only; it stops by itself.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dlqTopic } from '@yb/contracts';
import { HospitalServices, kafkaBrokers } from '@yb/testing';
import { Kafka, logLevel } from 'kafkajs';
import { startHisSimulator, type HisSimulatorStats } from '@yb/his-sim';
import { observeFeePipeline } from './fee-pipeline-observer';
import { printFeePipelineReport } from './fee-pipeline-report';
import { rawConsumeThroughput, rawProduceToConsume } from './kafka-baseline';

/** The services consume up to this many partitions at once (KafkaConsumerHost's default). */
const SERVICE_PARTITION_CONCURRENCY = 3;
/** The raw produce → consume row sends one record at a time: enough for a stable p99, a few seconds long. */
const RAW_ROUND_TRIPS = 3000;
const PROGRESS_EVERY_MS = 5000;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)(:\d+)?$/;

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value))
    throw new Error(`--${name}: "${text}" is not a positive number`);
  return value;
}

function parseCommandLine() {
  const { values } = parseArgs({
    strict: true,
    options: {
      beds: { type: 'string', default: '200' },
      rate: { type: 'string', default: '150' },
      duration: { type: 'string' },
      episodes: { type: 'string' },
      seed: { type: 'string' },
      partitions: { type: 'string', default: '3' },
      'batch-size': { type: 'string', default: '50' },
      'raw-messages': { type: 'string', default: '20000' },
      drain: { type: 'string', default: '45' },
      tracing: { type: 'boolean', default: false },
    },
  });
  const episodes = positive('episodes', values.episodes);
  return {
    beds: positive('beds', values.beds)!,
    ratePerSecond: positive('rate', values.rate)!,
    // Without --episodes, a time-boxed run; with it, the episodes bounded by the same box.
    durationMs: (positive('duration', values.duration) ?? (episodes === undefined ? 60 : 150)) * 1000,
    episodes,
    seed: positive('seed', values.seed),
    partitions: positive('partitions', values.partitions)!,
    feeBatchSize: positive('batch-size', values['batch-size'])!,
    drainMs: positive('drain', values.drain)! * 1000,
    rawMessages: positive('raw-messages', values['raw-messages'])!,
    tracing: values.tracing,
  };
}

async function main(): Promise<void> {
  const options = parseCommandLine();
  const brokers = kafkaBrokers();
  const remote = brokers.filter((b) => !LOOPBACK.test(b));
  if (remote.length > 0)
    throw new Error(`KAFKA_BROKERS must be loopback for a benchmark, got ${remote.join()}`);
  const kafka = new Kafka({ clientId: 'bench-fee-pipeline', brokers, logLevel: logLevel.NOTHING });
  const manifestPath = join(tmpdir(), `bench-fee-pipeline-${process.pid}.jsonl`);

  console.error('[bench] starting the platform simulator, admission and fee-detail …');
  const stack = await HospitalServices.start({
    label: 'bench-fp',
    partitions: options.partitions,
    // info, as in production (and the ready line is logged at info).
    env: { LOG_LEVEL: 'info', ...(!options.tracing && { OTEL_SDK_DISABLED: 'true' }) },
    serviceEnv: { 'fee-detail': { FEE_DETAIL_BATCH_SIZE: String(options.feeBatchSize) } },
  });
  const observer = await observeFeePipeline(kafka, {
    his: stack.topics.hisInpatient,
    results: stack.topics.insuranceInpatient,
    deadLetters: [dlqTopic(stack.topics.hisInpatient), dlqTopic(stack.topics.insuranceInpatient)],
  });
  const progress = setInterval(() => console.error(`[bench] ${observer.progress()}`), PROGRESS_EVERY_MS);
  try {
    console.error(`[bench] publishing on ${stack.prefix}his.* …`);
    const his = await startHisSimulator({
      beds: options.beds,
      ratePerSecond: options.ratePerSecond,
      durationMs: options.durationMs,
      episodes: options.episodes,
      seed: options.seed,
      brokers,
      topics: { inpatient: stack.topics.hisInpatient, clinical: stack.topics.hisClinical },
      partitions: options.partitions,
      manifestPath,
    });
    const hisStats: HisSimulatorStats = await his.finished;
    console.error(`[bench] HIS done: ${hisStats.published} messages; waiting for the platform's answers …`);
    await observer.drained(options.drainMs);
    clearInterval(progress);

    const size = observer.hisMessageSize();
    console.error('[bench] raw kafkajs on the same broker …');
    const baselineOptions = {
      valueBytes: Math.round(size.meanBytes),
      partitions: options.partitions,
      partitionsConsumedConcurrently: SERVICE_PARTITION_CONCURRENCY,
    };
    const rawConsume = await rawConsumeThroughput(kafka, {
      ...baselineOptions,
      messages: options.rawMessages,
    });
    const rawRoundTrip = await rawProduceToConsume(kafka, { ...baselineOptions, messages: RAW_ROUND_TRIPS });

    printFeePipelineReport({
      options,
      his: hisStats,
      hisSize: size,
      lines: observer.lines.summary(),
      resultsByType: observer.resultsByType(),
      deadLetters: observer.deadLetters(),
      refusals: observer.refusals(),
      rawConsume,
      rawRoundTrip,
    });
  } finally {
    clearInterval(progress);
    console.error('[bench] cleaning up (processes, schemas, topics) …');
    await observer.stop();
    await stack.stop();
    rmSync(manifestPath, { force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
