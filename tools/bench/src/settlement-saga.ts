// The settlement saga's own latency, SettlementRequested published → Settled published, over N visits:
//   npm run bench:settlement-saga -- [--visits 1000] [--concurrency 8] [--partitions 3] [--no-audit]
//     [--runtime compiled|source] [--cpu-prof DIR]
// Starts the platform simulator (zero latency), admission, fee-detail, quality (when the region audits) and
// settlement as child processes on throw-away topics and schemas; admits, charges and discharges every visit
// first, then keeps `concurrency` settlement requests in flight until all are settled, and prints p50/p99 of the
// saga (fee reconciliation, 3102 ×2, 2303, 2402, 2304 and the Kafka hops between the services), then where that time
// went, hop by hop (settlement-saga-timeline.ts), and the saga's overhead: its time less the platform calls'.
// The services run as production runs them (compiled, the Helm chart's heap flags and MALLOC_ARENA_MAX) unless
// `--runtime source` (their TypeScript through the register, as the tests run them). Each service's CPU over the
// settling is printed per saga, and its peak RSS (against issue 14's 150 MiB); `--cpu-prof DIR` also writes their V8
// profiles there and prints where it went.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { type Admin } from 'kafkajs';
import {
  commandTopic,
  MessageHeaders,
  parseMessage,
  SETTLEMENT_SAGA_TERMINAL_STATES,
  type MessageOf,
  type MessageType,
} from '@yb/contracts';
import { groupsLag, headersAsText, KafkaPublisher, openEnvelope } from '@yb/messaging';
import {
  databaseUrl,
  HospitalServices,
  testKafka,
  uniqueName,
  waitFor,
  type ServiceRuntime,
} from '@yb/testing';
import { formatProfileSummary, summariseProfiles } from './cpu-profile-summary';
import { readProcessCpuMs, readProcessPeakRssMiB } from './process-usage';
import { benchVisits, type BenchVisit } from './settlement-saga-visits';
import {
  breakDown,
  formatBreakdown,
  PublishedRecords,
  recordedPoints,
  type SagaWindow,
} from './settlement-saga-timeline';
import { formatSummary, summarise } from './stats';

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name}: "${text}" is not a positive integer`);
  return value;
}

function parseCommandLine() {
  const { values } = parseArgs({
    strict: true,
    options: {
      visits: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '8' },
      partitions: { type: 'string', default: '3' },
      'no-audit': { type: 'boolean', default: false },
      runtime: { type: 'string', default: 'compiled' },
      'cpu-prof': { type: 'string' },
    },
  });
  if (values.runtime !== 'compiled' && values.runtime !== 'source')
    throw new Error(`--runtime: "${values.runtime}" is neither compiled nor source`);
  return {
    runtime: values.runtime as ServiceRuntime,
    cpuProfileDir: values['cpu-prof'] && path.resolve(values['cpu-prof']),
    visits: positive('visits', values.visits),
    concurrency: positive('concurrency', values.concurrency),
    partitions: positive('partitions', values.partitions),
    audit: !values['no-audit'],
  };
}

const IDLE_MS = 15_000;
/** A service taking less CPU than this per second has finished the preparation's work (idle: 20–40 ms). */
const QUIET_CPU_MS_PER_S = 100;

/** The broker's committed-offset records so far (one per partition an OffsetCommit names), all groups. */
async function offsetCommitRecords(admin: Admin): Promise<number> {
  const partitions = await admin.fetchTopicOffsets('__consumer_offsets');
  return partitions.reduce((sum, p) => sum + Number(p.high), 0);
}

const TERMINAL: ReadonlySet<string> = new Set(SETTLEMENT_SAGA_TERMINAL_STATES);

async function main(): Promise<void> {
  const options = parseCommandLine();
  const services = [
    'admission',
    'fee-detail',
    ...(options.audit ? (['quality'] as const) : []),
    'settlement',
  ] as const;
  const hospital = await HospitalServices.start({
    label: 'bench-setl',
    partitions: options.partitions,
    services,
    env: { OTEL_SDK_DISABLED: 'true' },
    serviceEnv: { settlement: { SETTLEMENT_AUDIT_ENABLED: String(options.audit) } },
    // As the Helm chart runs the services (deploy/kubernetes values), as bench:fee-pipeline does.
    process: {
      runtime: options.runtime,
      maxOldSpaceMiB: 256,
      maxSemiSpaceMiB: 2,
      mallocArenaMax: 2,
      cpuProfileDir: options.cpuProfileDir,
    },
  });
  const pids = new Map(services.map((s) => [hospital.service(s).pid!, s]));
  const cpuMs = () => new Map([...pids].map(([pid, s]) => [s, readProcessCpuMs(pid) ?? NaN]));
  const kafka = testKafka();
  const publisher = new KafkaPublisher(kafka);
  const reader = kafka.consumer({ groupId: uniqueName('bench-setl-results'), maxWaitTimeInMs: 50 });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await publisher.connect();
    const uploaded = new Set<string>();
    const ended = new Map<string, { state: string; atMs: number }>();
    const waiters = new Map<string, () => void>();
    await reader.connect();
    // The results, and the commands settlement sends the others: every hop of the saga through Kafka.
    const published = new PublishedRecords(hospital.prefix);
    const commandTopics = services
      .filter((s) => s !== 'settlement')
      .map((s) => hospital.topic(commandTopic(s)));
    await reader.subscribe({
      topics: [hospital.topics.insuranceInpatient, ...commandTopics],
      fromBeginning: true,
    });
    await reader.run({
      eachMessage: async ({ topic, message }) => {
        const type = headersAsText(message.headers)[MessageHeaders.messageType];
        if (message.key && type)
          published.note(message.key.toString(), topic, type, Number(message.timestamp));
        if (topic !== hospital.topics.insuranceInpatient) return;
        const result = parseMessage(
          openEnvelope(JSON.parse(message.value!.toString())),
        ) as MessageOf<MessageType>;
        if (result.type === 'FeeLinesUploaded') uploaded.add(result.key);
        if (result.type === 'SettlementSagaProgressed') {
          const { saga_state } = (result as MessageOf<'SettlementSagaProgressed'>).data;
          if (TERMINAL.has(saga_state) && !ended.has(result.key)) {
            // The relay's send time of the saga's last entry, on the machine's clock.
            ended.set(result.key, { state: saga_state, atMs: Number(message.timestamp) });
            waiters.get(result.key)?.();
          }
        }
      },
    });

    const visits = benchVisits(publisher, hospital.topics.hisInpatient, options.visits);
    console.error(`[bench] admitting, charging and discharging ${visits.length} visits …`);
    const prepared = Date.now();
    for (let i = 0; i < visits.length; i += 50)
      await Promise.all(visits.slice(i, i + 50).map((v) => v.prepare()));
    await waitFor(
      'every visit’s fee lines on the platform',
      () => (uploaded.size >= visits.length ? true : undefined),
      {
        timeoutMs: 30 * 60_000,
        intervalMs: 500,
      },
    );
    // Every service has consumed what the preparation published, and finished the work it left (quality's audits
    // ran 2–3 s past it): the idle window and the first sagas do not share the cores with that catch-up.
    const groups = services.map((s) => hospital.consumerGroupOf(s));
    await waitFor(
      "every service's consumer caught up",
      async () => ((await groupsLag(admin, groups)) === 0 ? true : undefined),
      { timeoutMs: 10 * 60_000, intervalMs: 500 },
    );
    await waitFor(
      'every service quiet',
      async () => {
        const before = cpuMs();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const after = cpuMs();
        return services.every((s) => after.get(s)! - before.get(s)! < QUIET_CPU_MS_PER_S) ? true : undefined;
      },
      { timeoutMs: 2 * 60_000, intervalMs: 0 },
    );
    console.error(`[bench] prepared in ${((Date.now() - prepared) / 1000).toFixed(0)} s; settling …`);

    const windows: SagaWindow[] = [];
    const settleOne = async (visit: BenchVisit) => {
      const done = new Promise<void>((resolve) => waiters.set(visit.ipt_no, resolve));
      const startMs = Date.now();
      await visit.requestSettlement();
      await done;
      windows.push({ ipt_no: visit.ipt_no, startMs, endMs: ended.get(visit.ipt_no)!.atMs });
    };
    const queue = [...visits];
    // What the services spend doing nothing (consumers' fetches, sweeps, relays' polls), before any saga.
    const idleFrom = cpuMs();
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const idleTo = cpuMs();
    const cpuBefore = cpuMs();
    const commitsBefore = await offsetCommitRecords(admin);
    const started = Date.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        for (let visit = queue.shift(); visit; visit = queue.shift()) await settleOne(visit);
      }),
    );
    const wallMs = Date.now() - started;
    const cpuAfter = cpuMs();
    const commits = (await offsetCommitRecords(admin)) - commitsBefore;
    const peakRssMiB = new Map([...pids].map(([pid, s]) => [s, readProcessPeakRssMiB(pid) ?? NaN]));
    const states = new Map<string, number>();
    for (const { state } of ended.values()) states.set(state, (states.get(state) ?? 0) + 1);
    const steps = options.audit ? 'fees, 3102(9), 2303, 2402, 3102(8), 2304' : 'fees, 2303, 2402, 2304';
    console.log(
      `settlement saga, ${options.visits} visits, concurrency ${options.concurrency}, ${options.partitions} partitions, simulator at zero latency (${steps})`,
    );
    const latencies = windows.map((w) => w.endMs - w.startMs);
    console.log(formatSummary('SettlementRequested → saga terminal', summarise(latencies, wallMs)));
    console.log(`terminal states: ${[...states].map(([s, n]) => `${s} ${n}`).join(', ')}`);
    const schemas = new Map(services.map((s) => [s, hospital.schemaOf(s)]));
    const recorded = await recordedPoints(databaseUrl(), schemas, windows);
    const breakdown = breakDown(windows, (ipt_no) => [
      ...published.of(ipt_no),
      ...(recorded.get(ipt_no) ?? []),
    ]);
    console.log('');
    for (const line of formatBreakdown(breakdown)) console.log(line);
    console.log(
      `CPU idle, ms per second (${IDLE_MS / 1000} s before the first saga): ${services
        .map((s) => `${s} ${((idleTo.get(s)! - idleFrom.get(s)!) / (IDLE_MS / 1000)).toFixed(1)}`)
        .join(', ')}`,
    );
    console.log(
      `CPU per saga (user + system over the settling, /proc/<pid>/stat): ${services
        .map((s) => `${s} ${((cpuAfter.get(s)! - cpuBefore.get(s)!) / options.visits).toFixed(1)} ms`)
        .join(', ')}`,
    );
    console.log(
      `offset commits per saga (records the broker appended to __consumer_offsets over the settling, every group): ${(
        commits / options.visits
      ).toFixed(1)}`,
    );
    console.log(
      `peak RSS since start (VmHWM, /proc/<pid>/status): ${services
        .map((s) => `${s} ${peakRssMiB.get(s)!.toFixed(0)} MiB`)
        .join(', ')}`,
    );
    console.log(`1-min load average ${loadavg()[0]!.toFixed(1)}`);
  } finally {
    await reader.disconnect().catch(() => undefined);
    await publisher.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await hospital.stop();
  }
  if (options.cpuProfileDir)
    for (const [name, summary] of summariseProfiles(options.cpuProfileDir, pids))
      console.log(`\n${formatProfileSummary(name, summary)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
