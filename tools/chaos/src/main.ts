// npm run chaos -- [--duration 120s] [--beds 16] [--rate 15/s] [--seed N] [--hostile 24] [--quiesce 180s]
//   [--timeout 3000ms] [--partitions 3] [--services a,b] [--crash a,b|none] [--replicas 1]
//   [--platform-down 3m] [--postgres-down 60s] [--broker-down 30s] [--record run.json]
// The reliability harness (tools/chaos/README.md): exits 1 when a HIS event was lost, dead-lettered, duplicated,
// off by a fen or not done without a business reason, an effect on the platform has no HIS cause, a saga is stuck,
// a hostile record did not end in a dead-letter topic, or (reconciliation running) a settlement day could not be
// closed with the platform or left a difference the run's own faults do not explain.
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseDuration, parseRate } from '@yb/his-sim';
import { type HospitalService } from '@yb/testing';
import { installedServices, runChaos } from './chaos-run';
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

/** A comma list of services of this repository ("none": the empty list). */
function serviceList(name: string, text: string): HospitalService[] {
  if (text === 'none') return [];
  const installed = installedServices();
  const names = text.split(',').map((s) => s.trim());
  const unknown = names.filter((s) => !installed.includes(s as HospitalService));
  if (unknown.length > 0)
    throw new Error(`--${name}: ${unknown.join(', ')} not among the services (${installed.join(', ')})`);
  return names as HospitalService[];
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
      services: { type: 'string' },
      crash: { type: 'string' },
      replicas: { type: 'string', default: '1' },
      'platform-down': { type: 'string' },
      'postgres-down': { type: 'string' },
      'broker-down': { type: 'string' },
      record: { type: 'string' },
      logs: { type: 'string' },
    },
  });
  const optional = (name: 'platform-down' | 'postgres-down' | 'broker-down') =>
    values[name] === undefined ? undefined : duration(name, values[name]);
  const replicas = wholeNumber('replicas', values.replicas);
  if (replicas < 1) throw new Error('--replicas: at least 1');
  const services =
    values.services === undefined ? installedServices() : serviceList('services', values.services);
  const result = await runChaos({
    durationMs: duration('duration', values.duration),
    beds: wholeNumber('beds', values.beds),
    ratePerSecond: parseRate(values.rate),
    seed: values.seed === undefined ? randomInt(0, 2 ** 31) : wholeNumber('seed', values.seed),
    hostile: wholeNumber('hostile', values.hostile),
    quiesceMs: duration('quiesce', values.quiesce),
    clientTimeoutMs: duration('timeout', values.timeout),
    partitions: wholeNumber('partitions', values.partitions),
    services,
    // Every service run with that many processes in its consumer group; a crash kills the last of them.
    replicas: Object.fromEntries(services.map((s) => [s, replicas])),
    ...(values.crash !== undefined && { crash: serviceList('crash', values.crash) }),
    outages: {
      platformMs: optional('platform-down'),
      postgresMs: optional('postgres-down'),
      brokerMs: optional('broker-down'),
    },
    ...(values.record !== undefined && { record: values.record }),
    ...(values.logs !== undefined && { logs: values.logs }),
    log: (line) => console.error(`[chaos] ${line}`),
  });
  console.log(chaosReport(result));
  if (failures(result.reconciliation).length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
