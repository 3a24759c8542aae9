// npm run chaos -- [--duration 120s] [--beds 16] [--rate 15/s] [--seed N] [--hostile 24] [--quiesce 180s]
//   [--timeout 3000ms] [--partitions 3]
// The reliability harness (tools/chaos/README.md): exits 1 when anything was lost, duplicated or left stuck,
// or a hostile record did not end in a dead-letter topic.
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseDuration, parseRate } from '@yb/his-sim';
import { runChaos } from './chaos-run';
import { failures } from './reconcile';
import { chaosReport } from './report';

function wholeNumber(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value))
    throw new Error(`--${name}: "${text}" is not a whole number`);
  return value;
}

/** his-sim's duration syntax (`90s`, `5m`, `1500ms`), with the option's own name in the error. */
function duration(name: string, text: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw new Error(`--${name}: "${text}" is not a positive duration like 90s, 5m or 3000ms`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    strict: true,
    options: {
      duration: { type: 'string', default: '120s' },
      beds: { type: 'string', default: '16' },
      rate: { type: 'string', default: '15/s' },
      seed: { type: 'string' },
      hostile: { type: 'string', default: '24' },
      quiesce: { type: 'string', default: '180s' },
      timeout: { type: 'string', default: '3000ms' },
      partitions: { type: 'string', default: '3' },
    },
  });
  const result = await runChaos({
    durationMs: duration('duration', values.duration),
    beds: wholeNumber('beds', values.beds),
    ratePerSecond: parseRate(values.rate),
    seed: values.seed === undefined ? randomInt(0, 2 ** 31) : wholeNumber('seed', values.seed),
    hostile: wholeNumber('hostile', values.hostile),
    quiesceMs: duration('quiesce', values.quiesce),
    clientTimeoutMs: duration('timeout', values.timeout),
    partitions: wholeNumber('partitions', values.partitions),
    log: (line) => console.error(`[chaos] ${line}`),
  });
  console.log(chaosReport(result));
  if (failures(result.reconciliation).length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
