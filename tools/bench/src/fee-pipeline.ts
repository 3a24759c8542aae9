// The fee pipeline end to end, HIS publish → platform acknowledgement, beside bare kafkajs and bare pg on the
// same broker and database:
//   node -r ./tools/runtime/ts-register.js tools/bench/src/fee-pipeline.ts [--beds 200] [--rate 150] \
//     [--duration 60] [--episodes N] [--seed N] [--partitions 3] [--batch-size 50] [--drain 45] [--raw-messages 20000]
//     [--raw-rows 5000] [--tracing]
//   … fee-pipeline.ts --scaling 100,500,1000,2500,5000 [--rate-per-bed 0.5] [--duration 25] [--drain 15]
// Starts the platform simulator, admission and fee-detail (child processes, throw-away topics and schemas), lets
// the HIS simulator publish a hospital's inpatient messages, follows every charged fee line to the
// FeeLinesUploaded that carries the platform's acknowledgement, then measures raw kafkajs and raw pg inserts,
// prints the figures and removes everything it created. With --scaling, one fresh hospital per size, offered
// beds × rate-per-bed messages a second, with the services' memory (RSS) per size. Loopback only; it stops by itself.
import { parseArgs } from 'node:util';
import { kafkaBrokers } from '@yb/testing';
import { Kafka, logLevel } from 'kafkajs';
import { printFeePipelineReport, printScalingReport } from './fee-pipeline-report';
import { measureFeePipeline, type PipelineRunOptions } from './fee-pipeline-run';
import { rawConsumeThroughput, rawProduceToConsume, type Throughput } from './kafka-baseline';
import { rawPgInsertThroughput } from './pg-baseline';
import { type LatencySummary } from './stats';

/** The services consume up to this many partitions at once (KafkaConsumerHost's default). */
const SERVICE_PARTITION_CONCURRENCY = 3;
/** The raw produce → consume row sends one record at a time: enough for a stable p99, a few seconds long. */
const RAW_ROUND_TRIPS = 3000;
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
      'raw-rows': { type: 'string', default: '5000' },
      drain: { type: 'string' },
      scaling: { type: 'string' },
      'rate-per-bed': { type: 'string', default: '0.5' },
      tracing: { type: 'boolean', default: false },
    },
  });
  const episodes = positive('episodes', values.episodes);
  const scaling = values.scaling?.split(',').map((beds) => positive('scaling', beds.trim())!);
  // Scaling sizes are time-boxed shorter, so that five of them stay within a few minutes.
  const defaultDuration = scaling ? 25 : episodes === undefined ? 60 : 150;
  return {
    beds: positive('beds', values.beds)!,
    ratePerSecond: positive('rate', values.rate)!,
    durationMs: (positive('duration', values.duration) ?? defaultDuration) * 1000,
    episodes,
    seed: positive('seed', values.seed),
    partitions: positive('partitions', values.partitions)!,
    feeBatchSize: positive('batch-size', values['batch-size'])!,
    drainMs: (positive('drain', values.drain) ?? (scaling ? 15 : 45)) * 1000,
    rawMessages: positive('raw-messages', values['raw-messages'])!,
    rawRows: positive('raw-rows', values['raw-rows'])!,
    scaling,
    ratePerBed: positive('rate-per-bed', values['rate-per-bed'])!,
    tracing: values.tracing,
  };
}

type CommandLine = ReturnType<typeof parseCommandLine>;

interface Baselines {
  readonly rawConsume: Throughput;
  readonly rawRoundTrip: LatencySummary;
  readonly rawPgInsert: Throughput;
}

/** Bare kafkajs and bare pg on the same broker and database, with messages/rows of the HIS's mean size. */
async function measureBaselines(kafka: Kafka, options: CommandLine, meanBytes: number): Promise<Baselines> {
  console.error('[bench] raw kafkajs and raw pg on the same broker and database …');
  const baselineOptions = {
    valueBytes: Math.round(meanBytes),
    partitions: options.partitions,
    partitionsConsumedConcurrently: SERVICE_PARTITION_CONCURRENCY,
  };
  const rawConsume = await rawConsumeThroughput(kafka, { ...baselineOptions, messages: options.rawMessages });
  const rawRoundTrip = await rawProduceToConsume(kafka, { ...baselineOptions, messages: RAW_ROUND_TRIPS });
  const rawPgInsert = await rawPgInsertThroughput({
    rows: options.rawRows,
    payloadBytes: Math.round(meanBytes),
    connections: SERVICE_PARTITION_CONCURRENCY,
  });
  return { rawConsume, rawRoundTrip, rawPgInsert };
}

const runOptions = (options: CommandLine, beds: number, ratePerSecond: number): PipelineRunOptions => ({
  beds,
  ratePerSecond,
  durationMs: options.durationMs,
  episodes: options.episodes,
  seed: options.seed,
  partitions: options.partitions,
  feeBatchSize: options.feeBatchSize,
  drainMs: options.drainMs,
  tracing: options.tracing,
});

async function main(): Promise<void> {
  const options = parseCommandLine();
  const brokers = kafkaBrokers();
  const remote = brokers.filter((b) => !LOOPBACK.test(b));
  if (remote.length > 0)
    throw new Error(`KAFKA_BROKERS must be loopback for a benchmark, got ${remote.join()}`);
  const kafka = new Kafka({ clientId: 'bench-fee-pipeline', brokers, logLevel: logLevel.NOTHING });

  if (options.scaling) {
    const sizes = [];
    for (const beds of options.scaling) {
      const ratePerSecond = Math.round(beds * options.ratePerBed);
      sizes.push({
        beds,
        ratePerSecond,
        run: await measureFeePipeline(kafka, brokers, runOptions(options, beds, ratePerSecond)),
      });
    }
    const meanBytes = sizes.reduce((sum, s) => sum + s.run.hisSize.meanBytes, 0) / sizes.length;
    const baselines = await measureBaselines(kafka, options, meanBytes);
    printScalingReport({ options, sizes, ...baselines });
    return;
  }
  const run = await measureFeePipeline(
    kafka,
    brokers,
    runOptions(options, options.beds, options.ratePerSecond),
  );
  const baselines = await measureBaselines(kafka, options, run.hisSize.meanBytes);
  printFeePipelineReport({ options, ...run, ...baselines });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
