import { parseArgs } from 'node:util';
import { type HisSimulatorOptions } from './his-simulator';

export const USAGE = `HIS simulator: publishes a simulated hospital's inpatient episodes to his.inpatient / his.clinical.

Usage: node -r ./tools/runtime/ts-register.js tools/his-sim/src/main.ts [options]

  --beds <n>          beds in the hospital, i.e. stays running at once (default 100)
  --rate <r>          messages per wall-clock second: 50, 50/s, 3000/min (default 50/s)
  --duration <d>      stop after 90s, 5m, 1h, 1500ms (default 60s unless --episodes is given)
  --episodes <n>      stop once n episodes are wholly published
  --seed <n>          generator seed, 0..4294967295 (default random; the same seed replays the same messages)
  --start <date>      simulated start of the hospital, ISO 8601 (default 30 days ago; 7 with --real-time)
  --real-time         no message before its simulated time: the past at --rate, then as the clock reaches each
  --cashier-confirms  the cashier confirms each pre-settlement split at the HIS (PreSettlementConfirmed), for a
                      hospital whose settlement waits for it (SETTLEMENT_CONFIRMATION); off by default
  --brokers <list>    loopback Kafka brokers host:port,… (default $KAFKA_BROKERS or 127.0.0.1:9092)
  --partitions <n>    partitions of the topics the simulator creates (default: the broker's)
  --batch <n>         messages per produce request (default 1; a backlog for a benchmark: hundreds)
  --manifest <path>   JSONL manifest of what was published (default in the system temp directory)
  --help              this text
`;

/** "50", "50/s", "3000/min" → messages per second. */
export function parseRate(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(?:\/(s|sec|min|m))?$/.exec(text.trim());
  const value = match ? Number(match[1]) / (match[2] === 'min' || match[2] === 'm' ? 60 : 1) : NaN;
  if (!(value > 0)) throw new Error(`--rate: "${text}" is not a positive rate like 50/s or 3000/min`);
  return value;
}

/** "1500ms", "90s", "5m", "1h", "90" (seconds) → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match?.[2] ?? 's'] ?? NaN;
  const value = match ? Number(match[1]) * unit : NaN;
  if (!(value > 0)) throw new Error(`--duration: "${text}" is not a positive duration like 60s, 5m or 1h`);
  return value;
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1)
    throw new Error(`--${name}: "${text}" is not a positive integer`);
  return value;
}

/** The command line as simulator options, or 'help'; throws naming the option that is wrong. */
export function parseCommandLine(argv: readonly string[]): HisSimulatorOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      beds: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      episodes: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      brokers: { type: 'string' },
      partitions: { type: 'string' },
      manifest: { type: 'string' },
      batch: { type: 'string' },
      'real-time': { type: 'boolean' },
      'cashier-confirms': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!/^\d+$/.test(values.seed) || seed >= 2 ** 32)
      throw new Error(`--seed: "${values.seed}" is not an integer in 0..4294967295`);
  }
  let startAt: Date | undefined;
  if (values.start !== undefined) {
    startAt = new Date(values.start);
    if (Number.isNaN(startAt.getTime()))
      throw new Error(`--start: "${values.start}" is not an ISO 8601 date`);
  }
  return {
    ...(values.beds !== undefined && { beds: positiveInteger('beds', values.beds) }),
    ...(values.rate !== undefined && { ratePerSecond: parseRate(values.rate) }),
    ...(values.duration !== undefined && { durationMs: parseDuration(values.duration) }),
    ...(values.episodes !== undefined && { episodes: positiveInteger('episodes', values.episodes) }),
    ...(seed !== undefined && { seed }),
    ...(values.batch !== undefined && { batchSize: positiveInteger('batch', values.batch) }),
    ...(startAt && { startAt }),
    ...(values['real-time'] && { realTime: true }),
    ...(values['cashier-confirms'] && { cashierConfirms: true }),
    ...(values.brokers !== undefined && { brokers: values.brokers.split(',').map((b) => b.trim()) }),
    ...(values.partitions !== undefined && { partitions: positiveInteger('partitions', values.partitions) }),
    ...(values.manifest !== undefined && { manifestPath: values.manifest }),
  };
}
