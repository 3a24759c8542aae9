import {
  parseMessage,
  SETTLEMENT_SAGA_TERMINAL_STATES,
  type MessageOf,
  type MessageType,
} from '@yb/contracts';
import { KafkaPublisher, openEnvelope } from '@yb/messaging';
import {
  enrollableCertno,
  HisTestVisit,
  HospitalServices,
  SIM_PRICED_ITEMS,
  testKafka,
  uniqueName,
  waitFor,
  type HospitalService,
} from '@yb/testing';
import Decimal from 'decimal.js';
import { type Consumer } from 'kafkajs';

export const { BED, AMOXICILLIN } = SIM_PRICED_ITEMS;

export const TERMINAL = SETTLEMENT_SAGA_TERMINAL_STATES;
export type TerminalState = (typeof TERMINAL)[number];

export interface SimSettlement {
  setl_id: string;
  mdtrt_id: string;
  msgid: string;
  mid_setl_flag: string;
  medfee_sumamt: string;
  act_pay_dedc: string;
  hifp_pay: string;
  fund_pay_sumamt: string;
  psn_part_amt: string;
  acct_pay: string;
  psn_cash_pay: string;
  hosp_part_amt: string;
  status: 'settled' | 'cancelled' | 'reversed';
  cancelMsgid?: string;
  reversalMsgid?: string;
}

export interface SimLedger {
  registrations: { mdtrt_id: string; ipt_no: string; status: string }[];
  settlements: SimSettlement[];
  reversals: { msgid: string; omsgid: string; oinfno: string }[];
  messages: { msgid: string; infno: string; infcode: number; err_msg?: string }[];
}

/**
 * The hospital's services as child processes (simulator included), a HIS publisher on his.inpatient and a
 * reader of everything published on insurance.inpatient, for the settlement tests and the benchmark.
 */
export class SettlementTestbed {
  readonly results: MessageOf<MessageType>[] = [];
  private readonly run = String(Date.now()).slice(-9);
  private visits = 0;

  private constructor(
    readonly hospital: HospitalServices,
    readonly publisher: KafkaPublisher,
    private readonly reader: Consumer,
  ) {}

  static async start(options: {
    label: string;
    services: readonly HospitalService[];
    env?: Record<string, string>;
    serviceEnv?: Partial<Record<HospitalService, Record<string, string>>>;
    /** Called with each result as it arrives (e.g. the benchmark's clock). */
    onResult?: (message: MessageOf<MessageType>) => void;
    /** Topics read besides insurance.inpatient (their logical names, e.g. Topics.reconciliation). */
    alsoReads?: readonly string[];
  }): Promise<SettlementTestbed> {
    const hospital = await HospitalServices.start(options);
    const kafka = testKafka();
    const publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    const reader = kafka.consumer({ groupId: uniqueName(`${options.label}-results`), maxWaitTimeInMs: 100 });
    await reader.connect();
    const topics = [
      hospital.topics.insuranceInpatient,
      ...(options.alsoReads ?? []).map((t) => hospital.topic(t)),
    ];
    await reader.subscribe({ topics, fromBeginning: true });
    const testbed = new SettlementTestbed(hospital, publisher, reader);
    const seen = new Set<string>();
    await reader.run({
      eachMessage: async ({ message }) => {
        const parsed = parseMessage(openEnvelope(JSON.parse(message.value!.toString())));
        // The relay publishes at least once (again after a crash); the envelope id tells a copy.
        if (seen.has(parsed.id)) return;
        seen.add(parsed.id);
        testbed.results.push(parsed);
        options.onResult?.(parsed);
      },
    });
    return testbed;
  }

  async stop(): Promise<void> {
    await this.reader.disconnect();
    await this.publisher.disconnect();
    await this.hospital.stop();
  }

  ledger(): Promise<SimLedger> {
    return this.hospital.sim.admin<SimLedger>('GET', '/sim/ledger');
  }

  /**
   * The simulator's book of a settlement we published, and its amounts beside ours (decimal, 2 places): a test
   * expects `ours` to equal `sandbox`, to the fen.
   */
  async asBooked(settled: MessageOf<'Settled'>['data']) {
    const booked = (await this.ledger()).settlements.find((s) => s.setl_id === settled.setl_id)!;
    const fields = ['medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'psn_cash_pay', 'hifp_pay'] as const;
    const amounts = (of: (field: (typeof fields)[number]) => string) =>
      Object.fromEntries(fields.map((f) => [f, new Decimal(of(f)).toFixed(2)]));
    return { booked, ours: amounts((f) => settled[f]), sandbox: amounts((f) => booked[f]) };
  }

  /** A new HIS visit of a new (enrolled) employee, unique to this run. */
  visit(label: string): TestVisit {
    this.visits += 1;
    const n = String(this.visits).padStart(3, '0');
    return new TestVisit(
      this,
      `ZY${this.run}${label}${n}`,
      `420000${this.run}${n}00`,
      enrollableCertno(this.visits),
    );
  }

  resultsOf<T extends MessageType>(type: T, ipt_no: string): MessageOf<T>[] {
    return this.results.filter((m): m is MessageOf<T> => m.type === type && m.key === ipt_no);
  }

  /**
   * The visit's first result of `type` that `found` accepts, waited for: the testbed may read a result after the
   * saga's progress entry published with it (the relay sends a transaction's outbox rows in more than one batch).
   */
  resultOf<T extends MessageType>(
    type: T,
    ipt_no: string,
    found: (message: MessageOf<T>) => boolean = () => true,
  ): Promise<MessageOf<T>> {
    return waitFor(`the ${type} of ${ipt_no}`, () => this.resultsOf(type, ipt_no).find(found), {
      timeoutMs: 30_000,
    });
  }

  /** The timeline of the visit's sagas, in seq order. */
  timeline(ipt_no: string, saga_id?: string): MessageOf<'SettlementSagaProgressed'>['data'][] {
    return this.resultsOf('SettlementSagaProgressed', ipt_no)
      .map((m) => m.data)
      .filter((d) => saga_id === undefined || d.saga_id === saga_id)
      .sort((a, b) => (a.saga_id === b.saga_id ? a.seq - b.seq : a.saga_id.localeCompare(b.saga_id)));
  }

  /** Waits until the visit's latest saga (or the one named) is in a terminal state; returns its last entry. */
  terminal(
    ipt_no: string,
    options: { saga_id?: string; timeoutMs?: number } = {},
  ): Promise<MessageOf<'SettlementSagaProgressed'>['data']> {
    return waitFor(
      `a terminal saga state of ${ipt_no}`,
      () => {
        const [refusal] = this.resultsOf('SettlementRequestRefused', ipt_no);
        if (refusal && options.saga_id === undefined && this.timeline(ipt_no).length === 0) {
          throw new Error(`refused: ${refusal.data.reason}`);
        }
        const entries = this.timeline(ipt_no, options.saga_id);
        const last = entries[entries.length - 1];
        return last && (TERMINAL as readonly string[]).includes(last.saga_state) ? last : undefined;
      },
      { timeoutMs: options.timeoutMs ?? 90_000, intervalMs: 50 },
    );
  }
}

/** A test visit, with a wait until its lines are on the platform. */
export class TestVisit extends HisTestVisit {
  constructor(
    private readonly testbed: SettlementTestbed,
    ipt_no: string,
    psn_no: string,
    certno: string,
  ) {
    super(testbed.publisher, testbed.hospital.topics.hisInpatient, ipt_no, psn_no, certno);
  }

  /** Admitted, registered, charged and every line on the platform. */
  async admitAndCharge(): Promise<void> {
    await this.admit();
    await this.chargeOnPlatform(1, [
      [BED, '1', '50'],
      [AMOXICILLIN, '2', '18.3'],
    ]);
  }

  /** Lines charged on `day`, and every line of the visit on the platform. */
  async chargeOnPlatform(day: number, items: [string, string, string][]): Promise<void> {
    await this.charge(day, items);
    await waitFor(
      `the fee lines of ${this.ipt_no} on the platform`,
      () => {
        const uploaded = this.testbed
          .resultsOf('FeeLinesUploaded', this.ipt_no)
          .flatMap((m) => m.data.lines.map((l) => l.feedetl_sn));
        return this.lines.every((l) => uploaded.includes(l.feedetl_sn)) ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 50 },
    );
  }
}
