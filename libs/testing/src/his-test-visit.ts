import {
  createEnvelope,
  currentVersion,
  PatientAdmittedV1,
  type DataOf,
  type Envelope,
  type MessageType,
} from '@yb/contracts';
import Decimal from 'decimal.js';
import { testFeeLine } from './test-fee-line';

/** Catalogue codes the platform simulator prices: a bed day and a drug. */
export const SIM_PRICED_ITEMS = {
  BED: '001102000010000-110200001',
  AMOXICILLIN: 'XJ01CAA040A001010101445',
} as const;

/** The n-th ID number of a run that the simulator reads (Wuhan, born 1988-08-0d) and enrols as an employee. */
export function enrollableCertno(n: number): string {
  return `4201111988080${(n % 9) + 1}${String(n % 1000).padStart(3, '0')}X`;
}

/** What publishes the visit's envelopes (@yb/messaging's KafkaPublisher; named by shape: messaging tests use this lib). */
export interface EnvelopePublisher {
  publish(topic: string, envelope: Envelope): Promise<unknown>;
}

/**
 * One inpatient visit as the HIS publishes it on his.inpatient (envelopes keyed by ipt_no): an employee
 * (insutype 310, psn_no and ID number the simulator enrols) admitted, charged, discharged, settled or cancelled.
 */
export class HisTestVisit {
  readonly lines: ReturnType<typeof testFeeLine>[] = [];

  constructor(
    private readonly publisher: EnvelopePublisher,
    private readonly topic: string,
    readonly ipt_no: string,
    readonly psn_no: string,
    private readonly certno: string,
  ) {}

  /** The HIS's total of the lines charged so far, in decimal. */
  get total(): string {
    return this.lines.reduce((sum, l) => sum.plus(l.det_item_fee_sumamt), new Decimal(0)).toFixed(2);
  }

  /** Admits the visit; `fields` replace the example admission's (a 外伤住院's med_type, say). */
  admit(fields: Partial<DataOf<'PatientAdmitted'>> = {}): Promise<void> {
    const { psn_no: _example, ...example } = PatientAdmittedV1.example;
    return this.publish('PatientAdmitted', {
      ...example,
      ipt_no: this.ipt_no,
      insutype: '310',
      psn_no: this.psn_no,
      insuplc_admdvs: '420100',
      mdtrt_cert_type: '02',
      mdtrt_cert_no: this.certno,
      ...fields,
    });
  }

  /** Charges lines on day `day` of May 2024, numbered on from the visit's earlier lines. */
  charge(day: number, items: [code: string, cnt: string, pric: string][]): Promise<void> {
    const first = this.lines.length + 1;
    const lines = items.map(([code, cnt, pric], i) =>
      testFeeLine(`${this.ipt_no}-F${first + i}`, day, code, cnt, pric),
    );
    this.lines.push(...lines);
    return this.publish('FeeLinesCharged', { ipt_no: this.ipt_no, lines });
  }

  discharge(): Promise<void> {
    return this.publish('DischargeRequested', {
      ipt_no: this.ipt_no,
      endtime: '2024-05-08 10:00:00',
      dscg_way: '1',
      dscg_dept_codg: 'A03.01',
      dscg_dept_name: '呼吸内科',
      diagnoses: PatientAdmittedV1.example.diagnoses,
    });
  }

  /**
   * The cashier's request; the patient presents the ID card again at discharge (SettlementRequested v2).
   * `medfee_sumamt`: what this settlement covers (after a mid-way settlement, the lines charged since); by
   * default every line charged.
   */
  requestSettlement(mid_setl_flag: '0' | '1' = '0', medfee_sumamt = this.total): Promise<void> {
    return this.publish('SettlementRequested', {
      ipt_no: this.ipt_no,
      mid_setl_flag,
      psn_setlway: '01',
      acct_used_flag: '1',
      medfee_sumamt,
      mdtrt_cert_type: '02',
      mdtrt_cert_no: this.certno,
    });
  }

  requestCancel(reason = '患者要求重新结算'): Promise<void> {
    return this.publish('SettlementCancelRequested', { ipt_no: this.ipt_no, reason });
  }

  private async publish(type: MessageType, data: unknown): Promise<void> {
    await this.publisher.publish(
      this.topic,
      createEnvelope({ type, schemaVersion: currentVersion(type), key: this.ipt_no, data }),
    );
  }
}
