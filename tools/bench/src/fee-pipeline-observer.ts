// The benchmark's two readers: one on the HIS topic (when each fee line was charged, how big the HIS's messages
// are) and one on the results (which lines the platform acknowledged) and dead-letter topics.
import { parseMessage, type MessageOf, type MessageType } from '@yb/contracts';
import { openEnvelope } from '@yb/messaging';
import { TEST_HOSPITAL, uniqueName } from '@yb/testing';
import { type Consumer, type Kafka } from 'kafkajs';
import { FeeLineTimes } from './fee-pipeline-lines';

export interface ObservedTopics {
  readonly his: string;
  readonly results: string;
  readonly deadLetters: readonly string[];
}

export interface HisMessageSize {
  readonly messages: number;
  readonly meanBytes: number;
}

const isType = <T extends MessageType>(m: MessageOf<MessageType>, type: T): m is MessageOf<T> =>
  m.type === type;

/** A refusal of one of these leaves the visit unregistered: its fee lines never go up. */
const ADMISSION_INFNOS = new Set(['1101', '2001', '2401']);

/** With no acknowledgement for this long, what is still outstanding is not coming. */
const IDLE_MS = 10_000;
const POLL_MS = 250;

/** What 2401 gave a visit (from AdmissionRegistered): what a 2301 of its lines names. */
export interface VisitRegistration {
  readonly mdtrt_id: string;
  readonly psn_no: string;
  readonly med_type: string;
  /** The person's insured area (v2), else the hospital's. */
  readonly insuplc_admdvs: string;
}

export interface FeePipelineObserver {
  /** The fee lines of the current phase. */
  readonly lines: FeeLineTimes;
  /** Starts following a new phase's lines (charged from now on); the previous phase's stay as they were. */
  startPhase(): void;
  /** Registered visits by ipt_no. */
  readonly registrations: ReadonlyMap<string, VisitRegistration>;
  /** The HIS topic's end offsets by partition, read now. */
  hisEndOffsets(): Promise<Map<number, bigint>>;
  /** Waits until every HIS message was read and every charged line acknowledged, the answers stop, or maxMs. */
  drained(maxMs: number): Promise<void>;
  hisMessageSize(): HisMessageSize;
  resultsByType(): Readonly<Record<string, number>>;
  /** Refusals (AdmissionRequestRefused, PlatformRequestRejected, FeeLinesRejected per line) by interface and reason. */
  refusals(): Readonly<Record<string, number>>;
  deadLetters(): Readonly<Record<string, number>>;
  progress(): string;
  stop(): Promise<void>;
}

export async function observeFeePipeline(kafka: Kafka, topics: ObservedTopics): Promise<FeePipelineObserver> {
  const refusedVisits = new Set<string>();
  let lines = new FeeLineTimes(refusedVisits);
  const registrations = new Map<string, VisitRegistration>();
  const resultsByType: Record<string, number> = {};
  const deadLetters: Record<string, number> = {};
  const refusals: Record<string, number> = {};
  const refused = (infno: string, reason: string) => {
    // Long digit runs may be a person's numbers: never printed.
    const key = `${infno} ${reason.replace(/\d{6,}/g, '…')}`;
    refusals[key] = (refusals[key] ?? 0) + 1;
  };
  const hisRead = new Map<number, bigint>();
  let hisMessages = 0;
  let hisBytes = 0;
  let lastAcknowledgement = performance.now();
  const consumers: Consumer[] = [];

  const reader = async (subscribed: readonly string[], handle: Parameters<Consumer['run']>[0]) => {
    const consumer = kafka.consumer({ groupId: uniqueName('bench-fp-observer'), maxWaitTimeInMs: 100 });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [...subscribed], fromBeginning: true });
    await consumer.run(handle);
  };

  await reader([topics.his], {
    eachMessage: async ({ partition, message }) => {
      hisMessages += 1;
      hisBytes += message.value?.length ?? 0;
      hisRead.set(partition, BigInt(message.offset) + 1n);
      const envelope = parseMessage(openEnvelope(JSON.parse(message.value!.toString())));
      if (isType(envelope, 'FeeLinesCharged')) {
        const { ipt_no, lines: charged } = envelope.data;
        lines.charged(
          ipt_no,
          charged.map((l) => l.feedetl_sn),
          Number(message.timestamp),
        );
      } else if (isType(envelope, 'FeeLinesVoided')) {
        lines.voided(envelope.data.ipt_no, envelope.data.feedetl_sns);
      }
    },
  });
  await reader([topics.results, ...topics.deadLetters], {
    eachMessage: async ({ topic, message }) => {
      if (topic !== topics.results) {
        deadLetters[topic] = (deadLetters[topic] ?? 0) + 1;
        return;
      }
      const envelope = parseMessage(openEnvelope(JSON.parse(message.value!.toString())));
      resultsByType[envelope.type] = (resultsByType[envelope.type] ?? 0) + 1;
      if (isType(envelope, 'FeeLinesUploaded')) {
        lastAcknowledgement = performance.now();
        lines.acknowledged(
          envelope.data.ipt_no,
          envelope.data.lines.map((l) => l.feedetl_sn),
          Number(message.timestamp),
        );
      } else if (isType(envelope, 'AdmissionRegistered')) {
        const { ipt_no, mdtrt_id, psn_no, med_type, insuplc_admdvs } = envelope.data;
        registrations.set(ipt_no, {
          mdtrt_id,
          psn_no,
          med_type: med_type ?? '21',
          insuplc_admdvs: insuplc_admdvs ?? TEST_HOSPITAL.mdtrtarea_admvs,
        });
      } else if (isType(envelope, 'AdmissionRequestRefused')) {
        if (envelope.data.request === 'PatientAdmitted') refusedVisits.add(envelope.key);
        refused(envelope.data.infno, `${envelope.data.request}: ${envelope.data.reason}`);
      } else if (isType(envelope, 'FeeLinesRejected')) {
        // A rejected line is a defect of the run to look into, never a quiet count.
        for (const line of envelope.data.lines) refused(envelope.data.infno ?? 'before sending', line.reason);
      } else if (isType(envelope, 'PlatformRequestRejected')) {
        if (ADMISSION_INFNOS.has(envelope.data.infno)) refusedVisits.add(envelope.key);
        refused(envelope.data.infno, envelope.data.err_msg);
      }
    },
  });

  const hisEndOffsets = async (): Promise<Map<number, bigint>> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topics.his);
      return new Map(ends.map(({ partition, high }) => [partition, BigInt(high)]));
    } finally {
      await admin.disconnect();
    }
  };
  const hisReadToEnd = async (): Promise<boolean> =>
    [...(await hisEndOffsets())].every(([partition, high]) => (hisRead.get(partition) ?? 0n) >= high);

  return {
    get lines() {
      return lines;
    },
    startPhase() {
      lines = new FeeLineTimes(refusedVisits);
    },
    registrations,
    hisEndOffsets,
    async drained(maxMs) {
      const deadline = performance.now() + maxMs;
      lastAcknowledgement = Math.max(lastAcknowledgement, performance.now());
      while (performance.now() < deadline) {
        const readAll = await hisReadToEnd();
        if (readAll && lines.outstanding === 0) return;
        // Idle only once this phase has seen an answer: before the first, the services may still be starting.
        if (readAll && lines.acknowledgedCount > 0 && performance.now() - lastAcknowledgement > IDLE_MS)
          return;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
    hisMessageSize: () => ({ messages: hisMessages, meanBytes: hisBytes / Math.max(1, hisMessages) }),
    resultsByType: () => ({ ...resultsByType }),
    deadLetters: () => ({ ...deadLetters }),
    refusals: () => ({ ...refusals }),
    progress: () =>
      `HIS ${hisMessages} messages read, ${lines.chargedCount} fee lines charged, ` +
      `${lines.acknowledgedCount} acknowledged by the platform, ${lines.outstanding} outstanding`,
    stop: async () => {
      await Promise.all(consumers.map((c) => c.disconnect()));
    },
  };
}
