import { createEnvelope, PatientAdmittedV1, type MessageType } from '@yb/contracts';
import { type KafkaPublisher } from '@yb/messaging';
import { testFeeLine } from '@yb/testing';
import Decimal from 'decimal.js';

// A bed day and a drug the simulator prices.
const BED = '001102000010000-110200001';
const AMOXICILLIN = 'XJ01CAA040A001010101445';

/**
 * One benchmark visit as the HIS publishes it on his.inpatient: an employee (enrolled by the simulator from
 * psn_no and ID number) admitted, charged two lines, discharged, then settled at discharge.
 */
export class BenchVisit {
  readonly lines;
  readonly total: string;

  constructor(
    private readonly publisher: KafkaPublisher,
    private readonly topic: string,
    readonly ipt_no: string,
    private readonly psn_no: string,
    private readonly certno: string,
  ) {
    this.lines = [
      testFeeLine(`${ipt_no}-F1`, 1, BED, '1', '50'),
      testFeeLine(`${ipt_no}-F2`, 1, AMOXICILLIN, '2', '18.3'),
    ];
    this.total = this.lines.reduce((sum, l) => sum.plus(l.det_item_fee_sumamt), new Decimal(0)).toFixed(2);
  }

  /** Admission, the fee lines and the discharge: what must be on the platform before settling. */
  async prepare(): Promise<void> {
    const { psn_no: _example, ...example } = PatientAdmittedV1.example;
    await this.publish('PatientAdmitted', {
      ...example,
      ipt_no: this.ipt_no,
      insutype: '310',
      psn_no: this.psn_no,
      insuplc_admdvs: '420100',
      mdtrt_cert_type: '02',
      mdtrt_cert_no: this.certno,
    });
    await this.publish('FeeLinesCharged', { ipt_no: this.ipt_no, lines: this.lines });
    await this.publish('DischargeRequested', {
      ipt_no: this.ipt_no,
      endtime: '2024-05-08 10:00:00',
      dscg_way: '1',
      dscg_dept_codg: 'A03.01',
      dscg_dept_name: '呼吸内科',
      diagnoses: PatientAdmittedV1.example.diagnoses,
    });
  }

  requestSettlement(): Promise<void> {
    return this.publish('SettlementRequested', {
      ipt_no: this.ipt_no,
      mid_setl_flag: '0',
      psn_setlway: '01',
      acct_used_flag: '1',
      medfee_sumamt: this.total,
    });
  }

  private async publish(type: MessageType, data: unknown): Promise<void> {
    await this.publisher.publish(
      this.topic,
      createEnvelope({ type, schemaVersion: 1, key: this.ipt_no, data }),
    );
  }
}

/** `count` visits unique to this run; ID numbers the simulator reads (born 1988-08-01…09). */
export function benchVisits(publisher: KafkaPublisher, topic: string, count: number): BenchVisit[] {
  const run = String(Date.now()).slice(-8);
  return Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(5, '0');
    const certno = `4201111988080${(i % 9) + 1}${n.slice(-3)}X`;
    return new BenchVisit(publisher, topic, `ZYB${run}${n}`, `42000${run}${n}0`, certno);
  });
}
