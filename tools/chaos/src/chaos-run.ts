// One chaos run: the hospital's services as child processes under the HIS simulator's steady load, while a
// schedule kills -9 and restarts each service in turn, arms every platform fault mode, publishes hostile records
// and, when asked, takes the platform, PostgreSQL or the broker away for a while (fault proxies in front of them);
// then a bounded wait for quiescence, a last reporting run, every settlement day closed with the platform by
// apps/reconciliation (3201 / 3202, on demand), and the reconciliation. Loopback only; it stops by itself.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  commandTopic,
  createEnvelope,
  DeadLetterHeaders,
  DLQ_SUFFIX,
  Topics,
  type Envelope,
} from '@yb/contracts';
import { startHisSimulator, type HisSimulator, type MessageRecord } from '@yb/his-sim';
import { groupsLag, headersAsText, KafkaPublisher, openEnvelope, readTopics } from '@yb/messaging';
import {
  databaseUrl,
  HospitalServices,
  instanceKey,
  kafkaBrokers,
  TEST_HOSPITAL,
  type HospitalService,
} from '@yb/testing';
import { Kafka, logLevel } from 'kafkajs';
import { type AnswerLoss, type DayCloseInput } from './day-close';
import { faultPlan, type PlatformFault } from './fault-plan';
import { FaultProxy, type ProxyFault } from './fault-proxy';
import { hisEventOf } from './his-events';
import { hostileRecords, type HostileRecord } from './hostile-events';
import {
  reconcile,
  RESULT_TYPES_READ,
  type DeadLetter,
  type HisEvent,
  type HostilePublished,
  type LedgerView,
  type ReconcileInput,
  type Reconciliation,
  type RecordPosition,
  type ResultMessage,
} from './reconcile';

const ROOT = resolve(__dirname, '../../..');
const SERVICES: readonly HospitalService[] = [
  'admission',
  'fee-detail',
  'settlement',
  'quality',
  'reporting',
  'billing-dashboard',
  'reconciliation',
];
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)(:\d+)?$/;
/** Quiescent: no group lag and no new result or dead letter for this long. */
const QUIET_MS = 6000;
const POLL_MS = 1500;
/** The load goes on while restarts and outages are still under way, up to this many times --duration. */
const HIS_LOAD_CAP = 3;
/**
 * Reporting uploads in runs (cron) and after a transport failure waits a backoff: a run every 20 s and a 5 s
 * backoff bring its uploads into the load, where the faults meet them; every 4101A detail is configured so that
 * settlement lists go up too. The run ends with one run on demand once the faults are cleared.
 */
const REPORTING_ENV: Readonly<Record<string, string>> = {
  REPORTING_CRON: '*/20 * * * * *',
  REPORTING_SCHEDULE_CHECK_MS: '5000',
  REPORTING_RETRY_BACKOFF_MS: '5000',
  REPORTING_BILL_CODE: 'HB0001',
  REPORTING_HSORG: '武汉市医疗保障局',
  REPORTING_HSORG_OPTER: '医保经办员',
  REPORTING_FILL_DEPT: '医保办',
  REPORTING_FILL_PSN: '病案填报员',
};

/** Longest wait for a day's reconciliation run, and for the platform's rows it found to be adopted after 5203. */
const DAY_CLOSE_MS = 120_000;
/** Fault modes in which the platform applies the call and the answer never reaches the caller. */
const APPLIED_ANSWER_LOST: ReadonlySet<string> = new Set(['timeout-after-apply', 'malformed-body']);

/** Every service the repository has (apps/<name>/src/main.ts). */
export function installedServices(): HospitalService[] {
  return SERVICES.filter((s) => existsSync(join(ROOT, 'apps', s, 'src', 'main.ts')));
}

/** Sustained outages through fault proxies: how long each lasts (none when absent). */
export interface Outages {
  /** The platform black-holed: calls get no answer. */
  readonly platformMs?: number;
  /** PostgreSQL unreachable: the services' connections reset, new ones refused. */
  readonly postgresMs?: number;
  /** The broker stopped: every connection reset and new ones refused, then it is back. */
  readonly brokerMs?: number;
}

export interface ChaosOptions {
  readonly durationMs: number;
  readonly beds: number;
  readonly ratePerSecond: number;
  readonly seed: number;
  /** Hostile records to publish, spread over the run (every family in turn). */
  readonly hostile: number;
  /** Services to crash (default: every one running); with replicas, its last replica is the one killed. */
  readonly crash?: readonly HospitalService[];
  /** Processes per service in its consumer group (default 1 each). */
  readonly replicas?: Partial<Record<HospitalService, number>>;
  /** Variables for every service besides the harness's own (e.g. smaller pools for many processes). */
  readonly env?: Readonly<Record<string, string>>;
  /** Faults to arm (default: every mode across the interfaces in use). */
  readonly faults?: readonly PlatformFault[];
  readonly services?: readonly HospitalService[];
  readonly outages?: Outages;
  /** Longest wait for quiescence after the load stops. */
  readonly quiesceMs: number;
  /** The services' platform call timeout (NHSA_TIMEOUT_MS); the timeout faults hold answers past it. */
  readonly clientTimeoutMs: number;
  readonly partitions: number;
  /** Writes the reconciliation's input there (JSON): the run can be judged again offline. */
  readonly record?: string;
  /** A folder for each service's output (stdout and stderr; a killed process's as <service>.killed-<n>.log). */
  readonly logs?: string;
  /** Called after the reconciliation, while everything still runs (tests seed losses there). */
  readonly inspect?: (run: LiveRun) => Promise<void>;
  readonly log: (line: string) => void;
}

/** The run while it still stands: what a test needs to change it and judge it again. */
export interface LiveRun {
  readonly hospital: HospitalServices;
  readonly kafka: Kafka;
  /** What the run was judged on, and the judgement. */
  readonly judged: { readonly input: ReconcileInput; readonly reconciliation: Reconciliation };
  /** Gathers what the run left (now) and reconciles it. */
  reconcile(): Promise<{ input: ReconcileInput; reconciliation: Reconciliation }>;
  /** Publishes a HIS message as the simulator does and adds it to the run's manifest. */
  publishHis(topic: string, envelope: Envelope): Promise<RecordPosition>;
  /** Waits until no group lags and nothing new appears (at most maxMs). */
  quiesce(maxMs: number): Promise<boolean>;
}

export interface ChaosResult {
  readonly options: ChaosOptions;
  readonly services: readonly HospitalService[];
  readonly timeline: readonly string[];
  /** Per kill: until the restarted process listened, and until its consumer was in the group and consuming. */
  readonly crashes: readonly {
    service: HospitalService;
    replica: number;
    restartMs: number;
    consumingMs: number | null;
  }[];
  readonly faults: readonly { fault: PlatformFault; hit: boolean }[];
  readonly outages: readonly string[];
  readonly quiescent: boolean;
  readonly quiesceMs: number;
  readonly reconciliation: Reconciliation;
}

/** One disruption; it says what it did. */
type Action = () => Promise<string>;

interface Proxies {
  platform?: FaultProxy;
  postgres?: FaultProxy;
  broker?: FaultProxy;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const brokers = kafkaBrokers();
  const remote = brokers.filter((b) => !LOOPBACK.test(b));
  if (remote.length > 0)
    throw new Error(`KAFKA_BROKERS must be loopback for a chaos run, got ${remote.join()}`);
  const services = options.services ?? installedServices();
  const label = `chaos-${Date.now().toString(36)}`;
  const kafka = new Kafka({ clientId: label, brokers, logLevel: logLevel.NOTHING });
  const manifestPath = join(tmpdir(), `${label}-his.jsonl`);
  const log = options.log;
  const outages = options.outages ?? {};
  // No proxy outlives the longest the run may take.
  const lifetimeMs = options.durationMs * HIS_LOAD_CAP + options.quiesceMs * 2 + 10 * 60_000;
  const proxies = await startProxies(outages, lifetimeMs, brokers);

  log(`starting the platform simulator and ${services.join(', ')} …`);
  let hospital: HospitalServices;
  try {
    hospital = await HospitalServices.start({
      label,
      services,
      replicas: options.replicas,
      partitions: options.partitions,
      env: {
        LOG_LEVEL: 'info',
        OTEL_SDK_DISABLED: 'true',
        NHSA_TIMEOUT_MS: String(options.clientTimeoutMs),
        ...REPORTING_ENV,
        ...options.env,
        ...(proxies.postgres && { DATABASE_URL: throughProxy(databaseUrl(), proxies.postgres) }),
        ...(proxies.broker && { KAFKA_BROKERS: proxies.broker.address }),
      },
      // Days are closed on demand once the run is quiescent (closeDays), not by the schedule mid-run.
      serviceEnv: { reconciliation: { RECONCILIATION_CRON: 'off' } },
      // Compiled, as production runs them: crashes and restarts measure the service, not the TypeScript register.
      process: { runtime: 'compiled' },
      platformUrl: async (simUrl) => {
        if (outages.platformMs === undefined) return simUrl;
        const sim = new URL(simUrl);
        proxies.platform = await FaultProxy.start({
          upstream: { host: sim.hostname, port: Number(sim.port) },
          name: 'platform',
          lifetimeMs,
        });
        return `http://${proxies.platform.address}`;
      },
    });
  } catch (err) {
    await closeProxies(proxies);
    throw err;
  }
  const keepLog = (service: HospitalService, suffix: string, replica = 0) => {
    if (!options.logs) return;
    mkdirSync(options.logs, { recursive: true });
    writeFileSync(
      join(options.logs, `${instanceKey(service, replica)}.${suffix}.log`),
      hospital.service(service, replica).output,
    );
  };
  const hostileProducer = kafka.producer({ retry: { retries: 1 } });
  const publisher = new KafkaPublisher(kafka);
  let his: HisSimulator | undefined;
  try {
    await hostileProducer.connect();
    await publisher.connect();
    const timeline: string[] = [];
    const crashes: ChaosResult['crashes'][number][] = [];
    const hostile: HostilePublished[] = [];
    const hostileRefusedByBroker: Record<string, number> = {};
    const outagesDone: string[] = [];
    const faults = options.faults ?? faultPlan(services, options.clientTimeoutMs);

    const publishHostile = async (record: HostileRecord): Promise<string> => {
      try {
        const [ack] = await hostileProducer.send({
          topic: hospital.topics.hisInpatient,
          acks: -1,
          messages: [{ key: record.key, value: record.value }],
        });
        hostile.push({
          family: record.family,
          topic: hospital.topics.hisInpatient,
          partition: ack!.partition,
          offset: ack!.baseOffset!,
        });
        return `hostile ${record.family} (${record.value.length} bytes) at offset ${ack!.partition}/${ack!.baseOffset}`;
      } catch (err) {
        hostileRefusedByBroker[record.family] = (hostileRefusedByBroker[record.family] ?? 0) + 1;
        return `hostile ${record.family} (${record.value.length} bytes) refused by the broker: ${(err as Error).message}`;
      }
    };

    const crashList = [...(options.crash ?? services)];
    const crashLane: Action[] = crashList.map((service) => async () => {
      const replica = (options.replicas?.[service] ?? 1) - 1;
      keepLog(service, `killed-${crashes.length + 1}`, replica);
      const started = performance.now();
      const child = await hospital.crashAndRestart(service, replica);
      const restartMs = Math.round(performance.now() - started);
      const consumed = await consumingAgain(child.ready[1]!);
      const consumingMs = consumed ? Math.round(performance.now() - started) : null;
      crashes.push({ service, replica, restartMs, consumingMs });
      return `killed ${instanceKey(service, replica)} (SIGKILL) and restarted it in ${restartMs} ms, consuming after ${consumingMs ?? 'never'} ms`;
    });
    const faultActions: Action[] = faults.map((fault) => async () => {
      await hospital.sim.admin('POST', '/sim/faults', fault);
      return `armed ${fault.mode} on ${fault.infno} (×${fault.times})`;
    });
    const hostileActions: Action[] = hostileRecords(options.hostile, options.seed).map(
      (record) => () => publishHostile(record),
    );
    // Faults and hostile records interleaved, so that each meets the others' aftermath.
    const disruptionLane: Action[] = [];
    for (let i = 0; i < Math.max(faultActions.length, hostileActions.length); i += 1)
      disruptionLane.push(
        ...[faultActions[i], hostileActions[i]].filter((a): a is Action => a !== undefined),
      );
    const outage =
      (proxy: FaultProxy | undefined, fault: ProxyFault, forMs: number, what: string): Action =>
      async () => {
        await proxy!.inject(fault, forMs);
        const { accepted, reset } = proxy!.stats;
        const done = `${what} for ${(forMs / 1000).toFixed(0)} s (${accepted} connection(s) through the proxy so far, ${reset} reset)`;
        outagesDone.push(done);
        return done;
      };
    const outageLane: Action[] = [
      ...(outages.platformMs !== undefined
        ? [outage(proxies.platform, 'black-hole', outages.platformMs, 'platform unreachable (black-holed)')]
        : []),
      ...(outages.postgresMs !== undefined
        ? [
            outage(
              proxies.postgres,
              'reset',
              outages.postgresMs,
              'PostgreSQL unreachable (connections reset)',
            ),
          ]
        : []),
      ...(outages.brokerMs !== undefined
        ? [outage(proxies.broker, 'reset', outages.brokerMs, 'broker stopped, then restarted')]
        : []),
    ];

    log(
      `HIS load: ${options.beds} beds, ${options.ratePerSecond} messages/s for ${options.durationMs / 1000} s`,
    );
    his = await startHisSimulator({
      beds: options.beds,
      ratePerSecond: options.ratePerSecond,
      // Stopped below once the duration has passed and every disruption is over (at most HIS_LOAD_CAP × duration).
      durationMs: options.durationMs * HIS_LOAD_CAP,
      seed: options.seed,
      brokers,
      topics: { inpatient: hospital.topics.hisInpatient, clinical: hospital.topics.hisClinical },
      partitions: options.partitions,
      manifestPath,
    });
    const started = performance.now();
    // Lanes run at once, each evenly spaced over its share of the load; each action waits for the one before it
    // in its lane. A restart waits for the consumer group to drop the killed member (its session timeout,
    // ~30 s) and an outage lasts what it lasts, so a lane may outlast --duration: the load goes on until it is over.
    const runLane = async (lane: readonly Action[], from: number, to: number) => {
      const step = lane.length > 1 ? ((to - from) * options.durationMs) / (lane.length - 1) : 0;
      for (const [i, action] of lane.entries()) {
        const due = started + from * options.durationMs + i * step;
        if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
        const at = `${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s`;
        const line = `${at}  ${await action()}`;
        timeline.push(line);
        log(line);
      }
    };
    await Promise.all([
      runLane(crashLane, 0.1, 0.6),
      runLane(disruptionLane, 0.1, 0.85),
      runLane(outageLane, 0.2, 0.6),
    ]);
    const remaining = started + options.durationMs - performance.now();
    if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
    await his.stop();
    const hisStats = await his.finished;
    log(`HIS done: ${hisStats.published} messages; waiting for quiescence …`);
    // Faults stay armed until then: one armed late is hit by the backlog, and its recovery is part of the wait.
    const quiesceStarted = performance.now();
    let quiescent = await waitForQuiescence(kafka, hospital, services, options.quiesceMs);
    const armedStill = await hospital.sim.admin<{ infno: string; mode: string }[]>('GET', '/sim/faults');
    await hospital.sim.admin('DELETE', '/sim/faults');
    const faultOutcomes = faults.map((fault) => ({
      fault,
      hit: !armedStill.some((a) => a.infno === fault.infno && a.mode === fault.mode),
    }));
    if (services.includes('reporting')) {
      // What is due is uploaded now, the faults cleared: a report still missing after this has no excuse.
      await publisher.publish(
        hospital.topic(commandTopic('reporting')),
        createEnvelope({
          type: 'RunReportUploads',
          schemaVersion: 1,
          key: new Date().toISOString().slice(0, 10),
          data: {
            run_date: new Date().toISOString().slice(0, 10),
            requested_by: { username: 'chaos', role: 'admin' },
          },
        }),
      );
      quiescent = (await waitForQuiescence(kafka, hospital, services, options.quiesceMs)) && quiescent;
    }
    const quiesceMs = Math.round(performance.now() - quiesceStarted);
    log(
      quiescent
        ? `quiescent after ${quiesceMs} ms`
        : `not quiescent after ${quiesceMs} ms: reconciling anyway`,
    );

    const answersLost = answersLostBy(faultOutcomes, crashes, outages);
    const extra: HisEvent[] = [];
    const gather = async () => {
      const gathered = await gatherInput(kafka, hospital, manifestPath, services, extra, {
        hostile,
        hostileRefusedByBroker,
      });
      const input: ReconcileInput = services.includes('reconciliation')
        ? {
            ...gathered,
            dayCloses: await closeDays(kafka, hospital, publisher, gathered.results, answersLost, log),
          }
        : gathered;
      return { input, reconciliation: reconcile(input) };
    };
    const { input, reconciliation } = await gather();
    if (options.record) writeRecording(options.record, input);
    await options.inspect?.({
      hospital,
      kafka,
      judged: { input, reconciliation },
      reconcile: gather,
      publishHis: async (topic, envelope) => {
        const [ack] = await publisher.publish(topic, envelope);
        const position = { topic, partition: ack!.partition, offset: ack!.baseOffset! };
        extra.push({ ...position, id: envelope.id, type: envelope.type, ipt_no: envelope.key });
        return position;
      },
      quiesce: (maxMs) => waitForQuiescence(kafka, hospital, services, maxMs),
    });
    return {
      options: { ...options, faults, crash: crashList },
      services,
      timeline,
      crashes,
      faults: faultOutcomes,
      outages: outagesDone,
      quiescent,
      quiesceMs,
      reconciliation,
    };
  } finally {
    log('cleaning up (processes, schemas, topics) …');
    await his?.stop().catch(() => undefined);
    await hostileProducer.disconnect().catch(() => undefined);
    await publisher.disconnect().catch(() => undefined);
    // Healed first: a service stopping must reach its database and broker to stop cleanly.
    for (const proxy of Object.values(proxies)) proxy?.heal();
    for (const service of services) keepLog(service, 'last');
    await hospital.stop();
    await closeProxies(proxies);
    rmSync(manifestPath, { force: true });
  }
}

/** The run's disruptions that may have lost a platform answer after the platform applied the call. */
function answersLostBy(
  faults: readonly { fault: PlatformFault; hit: boolean }[],
  crashes: readonly { service: HospitalService }[],
  outages: Outages,
): AnswerLoss[] {
  const settlementCalls = (by: string) => ['2304', '2305'].map((infno) => ({ infno, by }));
  return [
    ...faults
      .filter(({ fault, hit }) => hit && APPLIED_ANSWER_LOST.has(fault.mode))
      .map(({ fault }) => ({ infno: fault.infno, by: `${fault.mode} fault hit` })),
    ...(outages.platformMs !== undefined ? settlementCalls('the platform black-holed') : []),
    ...(crashes.some((c) => c.service === 'settlement') ? settlementCalls('settlement killed') : []),
  ];
}

/**
 * Closes every settlement day of the run with the platform as the billing office's 立即对账 does (ReconcileDay on
 * reconciliation's command topic), after quiescence so that its ledger holds every result: the days the sandbox
 * or the saga settled on (Asia/Shanghai, as setl_time says). Waits for each day's new run to complete and for the
 * platform's rows it found to be adopted after 5203 (at most DAY_CLOSE_MS; what is still open then is judged open).
 */
async function closeDays(
  kafka: Kafka,
  hospital: HospitalServices,
  publisher: KafkaPublisher,
  results: readonly ResultMessage[],
  answersLost: readonly AnswerLoss[],
  log: (line: string) => void,
): Promise<DayCloseInput> {
  const { settlements } = await hospital.sim.admin<{ settlements: { setl_time: string }[] }>(
    'GET',
    '/sim/ledger',
  );
  const days = [
    ...new Set([
      ...settlements.map((s) => s.setl_time.slice(0, 10)),
      ...results
        .filter((r) => r.type === 'Settled' || r.type === 'SettlementCancelled')
        .map((r) => String(r.data['setl_time']).slice(0, 10)),
    ]),
  ].sort();
  const topic = hospital.topic(Topics.reconciliation);
  const read = async () =>
    (await readTopics(kafka, [topic])).map((record) => {
      const { type, data } = openEnvelope(JSON.parse(record.value!.toString('utf8')) as Envelope) as Envelope<
        Record<string, unknown>
      >;
      return { type, data };
    });
  const runOf = (messages: DayCloseInput['messages'], day: string) =>
    Math.max(
      0,
      ...messages
        .filter((m) => m.type === 'ReconciliationCompleted' && m.data['stmt_date'] === day)
        .map((m) => Number(m.data['run'])),
    );
  const before = await read();
  const asked = new Map(days.map((day) => [day, runOf(before, day)]));
  for (const day of days)
    await publisher.publish(
      hospital.topic(commandTopic('reconciliation')),
      createEnvelope({
        type: 'ReconcileDay',
        schemaVersion: 1,
        key: day,
        data: { stmt_date: day, requested_by: { username: 'chaos', role: 'operator' } },
      }),
    );
  log(`closing ${days.length} settlement day(s) with the platform: ${days.join(', ') || 'none'} …`);
  const deadline = performance.now() + DAY_CLOSE_MS;
  let messages = before;
  for (;;) {
    messages = await read();
    const closed = days.every((day) => runOf(messages, day) > asked.get(day)!);
    const adoptionsPending = messages.some(
      (found) =>
        found.type === 'ReconciliationDifferenceFound' &&
        found.data['kind'] === 'PLATFORM_ONLY' &&
        found.data['run'] === runOf(messages, String(found.data['stmt_date'])) &&
        !messages.some(
          (m) =>
            m.type === 'ReconciliationDifferenceResolved' &&
            m.data['stmt_date'] === found.data['stmt_date'] &&
            m.data['setl_id'] === found.data['setl_id'],
        ),
    );
    if ((closed && !adoptionsPending) || performance.now() > deadline) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  // Only runs asked now count: a day whose new run never completed is judged not closed.
  const completedNow = messages.filter(
    (m) =>
      m.type !== 'ReconciliationCompleted' ||
      Number(m.data['run']) > (asked.get(String(m.data['stmt_date'])) ?? 0),
  );
  return { days, messages: completedNow, answersLost };
}

/** The reconciliation's input as JSON, gzipped when the path ends in .gz (a recorded run kept as a test fixture). */
function writeRecording(path: string, input: ReconcileInput): void {
  // psn_no (人员编号) names a person: the reconciliation never reads it, and a recording may be kept.
  const results = input.results.map(({ data: { psn_no: _psn_no, ...data }, ...r }) => ({ ...r, data }));
  const json = Buffer.from(`${JSON.stringify({ ...input, results })}\n`);
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(json) : json);
}

async function startProxies(
  outages: Outages,
  lifetimeMs: number,
  brokers: readonly string[],
): Promise<Proxies> {
  const proxies: Proxies = {};
  try {
    if (outages.postgresMs !== undefined) {
      const url = new URL(databaseUrl());
      proxies.postgres = await FaultProxy.start({
        upstream: { host: url.hostname, port: Number(url.port || 5432) },
        name: 'postgres',
        lifetimeMs,
      });
    }
    if (outages.brokerMs !== undefined) {
      if (brokers.length !== 1) throw new Error('--broker-down needs exactly one broker in KAFKA_BROKERS');
      const [host, port] = brokers[0]!.split(':');
      proxies.broker = await FaultProxy.start({
        upstream: { host: host!, port: Number(port) },
        kafka: true,
        name: 'broker',
        lifetimeMs,
      });
    }
    return proxies;
  } catch (err) {
    await closeProxies(proxies);
    throw err;
  }
}

async function closeProxies(proxies: Proxies): Promise<void> {
  await Promise.all(Object.values(proxies).map((p) => p?.close()));
}

function throughProxy(url: string, proxy: FaultProxy): string {
  const through = new URL(url);
  through.hostname = '127.0.0.1';
  through.port = String(proxy.port);
  return through.toString();
}

/**
 * Whether the service's /health/ready reports its consumer consuming (in the group, partitions assigned, no message
 * waiting out an outage) within 5 minutes; polled every 100 ms. The other checks (the platform's sign-in during an
 * outage) do not count here: the question is when it reads its topics again.
 */
async function consumingAgain(baseUrl: string): Promise<boolean> {
  const until = Date.now() + 5 * 60_000;
  while (Date.now() < until) {
    const consumer = await fetch(`${baseUrl}/health/ready`)
      .then((r) => r.json() as Promise<{ checks?: { consumer?: string } }>)
      .then((body) => body.checks?.consumer)
      .catch(() => undefined);
    if (consumer === 'ok') return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/**
 * Waits until no consumer group of the run lags and the results and dead-letter topics stop growing for
 * QUIET_MS, or `maxMs` passed.
 */
async function waitForQuiescence(
  kafka: Kafka,
  hospital: HospitalServices,
  services: readonly HospitalService[],
  maxMs: number,
): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = performance.now() + maxMs;
    let lastEnds = '';
    let quietSince = performance.now();
    const groups = services.map((s) => hospital.consumerGroupOf(s));
    while (performance.now() < deadline) {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(hospital.prefix));
      const ends = JSON.stringify(
        await Promise.all(
          topics.sort().map(async (t) => (await admin.fetchTopicOffsets(t)).map((p) => p.high)),
        ),
      );
      const lag = await groupsLag(admin, groups);
      if (ends !== lastEnds || lag > 0) quietSince = performance.now();
      lastEnds = ends;
      if (performance.now() - quietSince >= QUIET_MS) return true;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return false;
  } finally {
    await admin.disconnect();
  }
}

/** Reads what the run left (manifest, topics, dead letters, the sandbox's ledger, offsets) as the reconciliation's input. */
async function gatherInput(
  kafka: Kafka,
  hospital: HospitalServices,
  manifestPath: string,
  services: readonly HospitalService[],
  extra: readonly HisEvent[],
  hostile: { hostile: HostilePublished[]; hostileRefusedByBroker: Record<string, number> },
): Promise<ReconcileInput> {
  const manifest = readFileSync(manifestPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { record: string })
    .filter((r): r is MessageRecord => r.record === 'message');
  const admin = kafka.admin();
  await admin.connect();
  const dlqTopics = (await admin.listTopics())
    .filter((t) => t.startsWith(hospital.prefix) && t.endsWith(DLQ_SUFFIX))
    .sort();
  await admin.disconnect();

  // What each manifest message owes, read from the record at the manifest's position (the manifest has no
  // fee lines, amounts or report ids); a hostile record is never at a manifest position.
  const events = new Map<string, HisEvent>();
  for (const record of await readTopics(kafka, [hospital.topics.hisInpatient, hospital.topics.hisClinical])) {
    const position = { topic: record.topic, partition: record.partition, offset: record.offset };
    const event = hisEventOf(position, record.value, TEST_HOSPITAL.fixmedins_code);
    if (event) events.set(`${record.topic}/${record.partition}/${record.offset}`, event);
  }
  const published: HisEvent[] = [];
  let missingFromTopic = 0;
  for (const m of [...manifest, ...extra]) {
    const event = events.get(`${m.topic}/${m.partition}/${m.offset}`);
    if (event?.id === m.id) published.push(event);
    else missingFromTopic += 1;
  }

  const results: ResultMessage[] = [];
  for (const record of await readTopics(kafka, [hospital.topics.insuranceInpatient])) {
    try {
      const envelope = JSON.parse(record.value?.toString('utf8') ?? '') as Envelope<Record<string, unknown>>;
      if (!RESULT_TYPES_READ.has(envelope.type)) continue;
      results.push({
        id: envelope.id,
        type: envelope.type,
        key: envelope.key,
        causationId: envelope.causationId ?? null,
        data: envelope.data ?? {},
      });
    } catch {
      // Our services write only envelopes; a record that is not one has no result to count.
    }
  }
  const deadLetters: DeadLetter[] = (await readTopics(kafka, dlqTopics)).map((record) => {
    const headers = headersAsText(record.headers);
    return {
      dlqTopic: record.topic,
      original: {
        topic: headers[DeadLetterHeaders.originalTopic] ?? '',
        partition: Number(headers[DeadLetterHeaders.originalPartition]),
        offset: headers[DeadLetterHeaders.originalOffset] ?? '',
      },
      reason: headers[DeadLetterHeaders.reason] ?? '(no reason header)',
      consumerGroup: headers[DeadLetterHeaders.consumerGroup] ?? '',
    };
  });
  return {
    published,
    missingFromTopic,
    ...hostile,
    ledger: ledgerView(await hospital.sim.admin('GET', '/sim/ledger')),
    results,
    deadLetters,
    services,
    committed: await committedOffsets(kafka, hospital, services),
  };
}

/** GET /sim/ledger as the shape the sandbox answers (apps/platform-sim's LedgerSnapshot, which tools may not import). */
interface LedgerSnapshot {
  registrations: (LedgerView['registrations'][number] & Record<string, unknown>)[];
  feeLines: (LedgerView['feeLines'][number] & Record<string, unknown>)[];
  settlements: (LedgerView['settlements'][number] & Record<string, unknown>)[];
  reports: (LedgerView['reports'][number] & Record<string, unknown>)[];
  reversals: { omsgid: string; oinfno: string }[];
  messages: { msgid: string; infno: string; infcode: number; err_msg?: string }[];
}

/** The ledger without what the reconciliation does not read (persons' numbers, every accepted message). */
function ledgerView(ledger: LedgerSnapshot): LedgerView {
  return {
    registrations: ledger.registrations.map((r) => ({
      mdtrt_id: r.mdtrt_id,
      ipt_no: r.ipt_no,
      msgid: r.msgid,
      status: r.status,
      history: r.history.map((h) => ({ infno: h.infno, msgid: h.msgid })),
    })),
    feeLines: ledger.feeLines.map((l) => ({
      mdtrt_id: l.mdtrt_id,
      feedetl_sn: l.feedetl_sn,
      det_item_fee_sumamt: l.det_item_fee_sumamt,
      msgid: l.msgid,
      status: l.status,
      ...(l.setl_id !== undefined && { setl_id: l.setl_id }),
    })),
    settlements: ledger.settlements.map((s) => ({
      setl_id: s.setl_id,
      mdtrt_id: s.mdtrt_id,
      msgid: s.msgid,
      status: s.status,
      medfee_sumamt: s.medfee_sumamt,
      fund_pay_sumamt: s.fund_pay_sumamt,
      acct_pay: s.acct_pay,
      psn_cash_pay: s.psn_cash_pay,
      ...(s.mid_setl_flag !== undefined && { mid_setl_flag: s.mid_setl_flag }),
      ...(s.cancelMsgid !== undefined && { cancelMsgid: s.cancelMsgid }),
    })),
    reports: ledger.reports.map((r) => ({
      infno: r.infno,
      msgid: r.msgid,
      key: r.key,
      vali_flag: r.vali_flag,
    })),
    reversals: ledger.reversals.map((r) => ({ omsgid: r.omsgid, oinfno: r.oinfno })),
    refusals: ledger.messages
      .filter((m) => m.infcode !== 0)
      .map((m) => ({ msgid: m.msgid, infno: m.infno, err_msg: m.err_msg ?? '' })),
  };
}

/** Each service's group's committed offsets: "topic/partition" → the next offset it will read. */
async function committedOffsets(
  kafka: Kafka,
  hospital: HospitalServices,
  services: readonly HospitalService[],
): Promise<Record<string, Record<string, string>>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const committed: Record<string, Record<string, string>> = {};
    for (const service of services) {
      const offsets: Record<string, string> = {};
      for (const { topic, partitions } of await admin.fetchOffsets({
        groupId: hospital.consumerGroupOf(service),
      }))
        for (const { partition, offset } of partitions) offsets[`${topic}/${partition}`] = offset;
      committed[service] = offsets;
    }
    return committed;
  } finally {
    await admin.disconnect();
  }
}
