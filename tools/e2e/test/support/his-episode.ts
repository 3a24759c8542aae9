import { createEnvelope, PatientAdmittedV1, type Envelope, type MessageType } from '@yb/contracts';
import { type KafkaPublisher } from '@yb/messaging';
import { testFeeLine } from '@yb/testing';
import Decimal from 'decimal.js';

// Catalogue codes the simulator prices (a bed day and two drugs).
export const BED = '001102000010000-110200001';
export const AMOXICILLIN = 'XJ01CAA040A001010101445';
export const CEFTRIAXONE = 'XJ01DDA068B002010101445';

/**
 * How the HIS names the patient: the ID card (02) read at admission, with the psn_no and 参保地 when the HIS
 * already knows them (otherwise admission looks the person up with 1101).
 */
export interface PatientIdentity {
  readonly mdtrt_cert_type: '02';
  readonly mdtrt_cert_no: string;
  readonly psn_no?: string;
  readonly insuplc_admdvs?: string;
}

export interface HisFeeLine {
  feedetl_sn: string;
  init_feedetl_sn?: string;
  cnt: string;
  pric: string;
  det_item_fee_sumamt: string;
}

/**
 * One HIS visit as the HIS publishes it on his.inpatient (envelopes from @yb/contracts, keyed by ipt_no).
 * It remembers every envelope it sent, so that the test can publish them again unchanged.
 */
export class HisEpisode {
  readonly sent: { topic: string; envelope: Envelope }[] = [];
  /** Every line charged, by feedetl_sn, with the HIS's own amounts. */
  readonly charged = new Map<string, HisFeeLine>();
  readonly voided = new Set<string>();
  private lineCount = 0;

  constructor(
    private readonly publisher: KafkaPublisher,
    private readonly topic: string,
    readonly ipt_no: string,
    private readonly patient: PatientIdentity,
  ) {}

  admit(): Promise<Envelope> {
    return this.publish('PatientAdmitted', this.admission({}));
  }

  /** The admission as it stands after the change (becomes 2403). */
  change(changes: {
    adm_bed: string;
    dscg_maindiag_code: string;
    dscg_maindiag_name: string;
  }): Promise<Envelope> {
    return this.publish('AdmissionChanged', this.admission(changes));
  }

  /** Charges lines on `day` of May 2024: [code, cnt, pric] each, or a refund [code, -cnt, pric, refunded sn]. */
  async charge(
    day: number,
    items: [code: string, cnt: string, pric: string, refunds?: string][],
  ): Promise<string[]> {
    const lines = items.map(([med_list_codg, cnt, pric, init_feedetl_sn]) => {
      this.lineCount += 1;
      const line = testFeeLine(
        `${this.ipt_no}-F${this.lineCount}`,
        day,
        med_list_codg,
        cnt,
        pric,
        init_feedetl_sn,
      );
      this.charged.set(line.feedetl_sn, line);
      return line;
    });
    await this.publish('FeeLinesCharged', { ipt_no: this.ipt_no, lines });
    return lines.map((l) => l.feedetl_sn);
  }

  async void(feedetl_sns: string[]): Promise<void> {
    feedetl_sns.forEach((sn) => this.voided.add(sn));
    await this.publish('FeeLinesVoided', { ipt_no: this.ipt_no, feedetl_sns, reason: '护士录入错误' });
  }

  /** The lines the HIS still charges (voided ones left out), and their decimal total. */
  standingLines(): HisFeeLine[] {
    return [...this.charged.values()].filter((l) => !this.voided.has(l.feedetl_sn));
  }

  standingTotal(): Decimal {
    return this.standingLines().reduce((sum, l) => sum.plus(l.det_item_fee_sumamt), new Decimal(0));
  }

  /** Publishes every envelope sent so far again, same ids and content, in the same order. */
  async replay(): Promise<void> {
    for (const { topic, envelope } of [...this.sent]) await this.publisher.publish(topic, envelope);
  }

  private admission(overrides: Record<string, unknown>) {
    const { psn_no: _examplePerson, ...example } = PatientAdmittedV1.example;
    return { ...example, ...overrides, ipt_no: this.ipt_no, insutype: '310', ...this.patient };
  }

  private async publish(type: MessageType, data: unknown): Promise<Envelope> {
    const envelope = createEnvelope({ type, schemaVersion: 1, key: this.ipt_no, data });
    await this.publisher.publish(this.topic, envelope);
    this.sent.push({ topic: this.topic, envelope });
    return envelope;
  }
}
