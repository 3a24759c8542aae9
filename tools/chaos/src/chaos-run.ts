// One chaos run: the hospital's services as child processes under the HIS simulator's steady load, while a
// schedule kills -9 and restarts each service in turn, arms every platform fault mode and publishes hostile
// records; then a bounded wait for quiescence and the reconciliation. Loopback only; it stops by itself.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DeadLetterHeaders, DLQ_SUFFIX, parseEnvelope } from '@yb/contracts';
import { startHisSimulator, type HisSimulator, type MessageRecord } from '@yb/his-sim';
import { headersAsText } from '@yb/messaging';
import { HospitalServices, kafkaBrokers, type HospitalService } from '@yb/testing';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { faultPlan, type PlatformFault } from './fault-plan';
import { hostileRecords, type HostileRecord } from './hostile-events';
import {
  reconcile,
  type DeadLetter,
  type HostilePublished,
  type PublishedHisMessage,
  type Reconciliation,
  type ResultMessage,
} from './reconcile';
import { readTopicsToEnd } from './topic-reader';

const ROOT = resolve(__dirname, '../../..');
const SERVICES: readonly HospitalService[] = [
  'admission',
  'fee-detail',
  'settlement',
  'quality',
  'reporting',
  'billing-dashboard',
];
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)(:\d+)?$/;
/** Quiescent: no group lag and no new result or dead letter for this long. */
const QUIET_MS = 6000;
const POLL_MS = 1500;
/** The load goes on while restarts are still under way, up to this many times --duration. */
const HIS_LOAD_CAP = 3;

/** Every service the repository has (apps/<name>/src/main.ts). */
export function installedServices(): HospitalService[] {
  return SERVICES.filter((s) => existsSync(join(ROOT, 'apps', s, 'src', 'main.ts')));
}

export interface ChaosOptions {
  readonly durationMs: number;
  readonly beds: number;
  readonly ratePerSecond: number;
  readonly seed: number;
  /** Hostile records to publish, spread over the run (every family in turn). */
  readonly hostile: number;
  /** Services to crash (default: every one running). */
  readonly crash?: readonly HospitalService[];
  /** Faults to arm (default: every mode across the interfaces in use). */
  readonly faults?: readonly PlatformFault[];
  readonly services?: readonly HospitalService[];
  /** Longest wait for quiescence after the load stops. */
  readonly quiesceMs: number;
  /** The services' platform call timeout (NHSA_TIMEOUT_MS); the timeout faults hold answers past it. */
  readonly clientTimeoutMs: number;
  readonly partitions: number;
  readonly log: (line: string) => void;
}

export interface ChaosResult {
  readonly options: ChaosOptions;
  readonly services: readonly HospitalService[];
  readonly timeline: readonly string[];
  readonly crashes: readonly { service: HospitalService; restartMs: number }[];
  readonly faults: readonly { fault: PlatformFault; hit: boolean }[];
  readonly quiescent: boolean;
  readonly quiesceMs: number;
  readonly reconciliation: Reconciliation;
}

/** One disruption; it says what it did. */
type Action = () => Promise<string>;

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

  log(`starting the platform simulator and ${services.join(', ')} …`);
  const hospital = await HospitalServices.start({
    label,
    services,
    partitions: options.partitions,
    env: { LOG_LEVEL: 'info', OTEL_SDK_DISABLED: 'true', NHSA_TIMEOUT_MS: String(options.clientTimeoutMs) },
    // Compiled, as production runs them: crashes and restarts measure the service, not the TypeScript register.
    process: { runtime: 'compiled' },
  });
  const hostileProducer = kafka.producer({ retry: { retries: 1 } });
  let his: HisSimulator | undefined;
  try {
    await hostileProducer.connect();
    const timeline: string[] = [];
    const crashes: { service: HospitalService; restartMs: number }[] = [];
    const hostile: HostilePublished[] = [];
    const hostileRefusedByBroker: Record<string, number> = {};
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
      const started = performance.now();
      await hospital.crashAndRestart(service);
      const restartMs = Math.round(performance.now() - started);
      crashes.push({ service, restartMs });
      return `killed ${service} (SIGKILL) and restarted it in ${restartMs} ms`;
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
    // Two lanes at once, each evenly spaced over its share of the load; each action waits for the one before
    // it in its lane. A restart waits for the consumer group to drop the killed member (its session timeout,
    // ~30 s), so the crash lane may outlast --duration: the load goes on until it is over.
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
    await Promise.all([runLane(crashLane, 0.1, 0.6), runLane(disruptionLane, 0.1, 0.85)]);
    const remaining = started + options.durationMs - performance.now();
    if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
    await his.stop();
    const hisStats = await his.finished;
    log(`HIS done: ${hisStats.published} messages; waiting for quiescence …`);
    // Faults stay armed until then: one armed late is hit by the backlog, and its recovery is part of the wait.
    const quiesceStarted = performance.now();
    const quiescent = await waitForQuiescence(kafka, hospital, label, options.quiesceMs);
    const quiesceMs = Math.round(performance.now() - quiesceStarted);
    log(
      quiescent
        ? `quiescent after ${quiesceMs} ms`
        : `not quiescent after ${quiesceMs} ms: reconciling anyway`,
    );
    const armedStill = await hospital.sim.admin<{ infno: string; mode: string }[]>('GET', '/sim/faults');
    await hospital.sim.admin('DELETE', '/sim/faults');
    const faultOutcomes = faults.map((fault) => ({
      fault,
      hit: !armedStill.some((a) => a.infno === fault.infno && a.mode === fault.mode),
    }));

    const reconciliation = await gatherAndReconcile(kafka, hospital, label, manifestPath, services, {
      hostile,
      hostileRefusedByBroker,
    });
    return {
      options: { ...options, faults, crash: crashList },
      services,
      timeline,
      crashes,
      faults: faultOutcomes,
      quiescent,
      quiesceMs,
      reconciliation,
    };
  } finally {
    log('cleaning up (processes, schemas, topics) …');
    await his?.stop().catch(() => undefined);
    await hostileProducer.disconnect().catch(() => undefined);
    await hospital.stop();
    rmSync(manifestPath, { force: true });
  }
}

/** Lag of every consumer group of the run (by its name's prefix) on the topics it committed on. */
async function groupLag(admin: Admin, label: string): Promise<number> {
  const prefix = groupPrefix(label);
  const { groups } = await admin.listGroups();
  let lag = 0n;
  for (const { groupId } of groups.filter((g) => g.groupId.startsWith(prefix))) {
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
      for (const { partition, offset } of partitions) {
        const behind = (ends.get(partition) ?? 0n) - BigInt(offset);
        if (BigInt(offset) >= 0n && behind > 0n) lag += behind;
      }
    }
  }
  return Number(lag);
}

/**
 * Waits until no consumer group of the run lags and the results and dead-letter topics stop growing for
 * QUIET_MS, or `maxMs` passed.
 */
async function waitForQuiescence(
  kafka: Kafka,
  hospital: HospitalServices,
  label: string,
  maxMs: number,
): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = performance.now() + maxMs;
    let lastEnds = '';
    let quietSince = performance.now();
    while (performance.now() < deadline) {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(hospital.prefix));
      const ends = JSON.stringify(
        await Promise.all(
          topics.sort().map(async (t) => (await admin.fetchTopicOffsets(t)).map((p) => p.high)),
        ),
      );
      const lag = await groupLag(admin, label);
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

async function gatherAndReconcile(
  kafka: Kafka,
  hospital: HospitalServices,
  label: string,
  manifestPath: string,
  services: readonly HospitalService[],
  hostile: { hostile: HostilePublished[]; hostileRefusedByBroker: Record<string, number> },
): Promise<Reconciliation> {
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

  // What the HIS simulator published, as it sits on the topic (the manifest has no fee line numbers).
  const contents = new Map<string, { charged?: string[]; voided?: string[] }>();
  for (const record of await readTopicsToEnd(kafka, [hospital.topics.hisInpatient])) {
    const envelope = parseHisRecord(record.value);
    if (!envelope) continue;
    const data = envelope.data as { lines?: { feedetl_sn: string }[]; feedetl_sns?: string[] };
    if (envelope.type === 'FeeLinesCharged')
      contents.set(envelope.id, { charged: data.lines?.map((l) => l.feedetl_sn) });
    else if (envelope.type === 'FeeLinesVoided') contents.set(envelope.id, { voided: data.feedetl_sns });
    else contents.set(envelope.id, {});
  }
  const onInpatientTopic = manifest.filter((m) => m.topic === hospital.topics.hisInpatient);
  const published: PublishedHisMessage[] = manifest.map((m) => ({
    id: m.id,
    type: m.type,
    ipt_no: m.ipt_no,
    topic: m.topic,
    partition: m.partition,
    offset: m.offset,
    ...contents.get(m.id),
  }));

  const results: ResultMessage[] = [];
  for (const record of await readTopicsToEnd(kafka, [hospital.topics.insuranceInpatient])) {
    const envelope = parseHisRecord(record.value);
    if (envelope)
      results.push({
        id: envelope.id,
        type: envelope.type,
        key: envelope.key,
        causationId: envelope.causationId,
        data: (envelope.data ?? {}) as Record<string, unknown>,
      });
  }
  const deadLetters: DeadLetter[] = (await readTopicsToEnd(kafka, dlqTopics)).map((record) => {
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
  const ledger = await hospital.sim.admin<Parameters<typeof reconcile>[0]['ledger']>('GET', '/sim/ledger');
  const committed = await committedOffsets(kafka, label, services);
  return reconcile({
    published,
    missingFromTopic: onInpatientTopic.filter((m) => !contents.has(m.id)).length,
    ...hostile,
    ledger,
    results,
    deadLetters,
    services,
    committed,
  });
}

/** The consumer group name HospitalServices gives a service of the run (uniqueName of `<label>-<service>`). */
const groupPrefix = (label: string, service?: string) =>
  `${`${label}${service ? `-${service}` : ''}`.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_`;

/** Each service's group's committed offsets: "topic/partition" → the next offset it will read. */
async function committedOffsets(
  kafka: Kafka,
  label: string,
  services: readonly HospitalService[],
): Promise<Record<string, Record<string, string>>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const committed: Record<string, Record<string, string>> = {};
    for (const service of services) {
      const group = groups.find((g) => g.groupId.startsWith(groupPrefix(label, service)));
      if (!group) continue;
      const offsets: Record<string, string> = {};
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group.groupId }))
        for (const { partition, offset } of partitions) offsets[`${topic}/${partition}`] = offset;
      committed[service] = offsets;
    }
    return committed;
  } finally {
    await admin.disconnect();
  }
}

function parseHisRecord(value: Buffer | null) {
  if (!value) return undefined;
  try {
    return parseEnvelope(JSON.parse(value.toString('utf8')));
  } catch {
    return undefined;
  }
}
