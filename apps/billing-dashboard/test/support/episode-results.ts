import {
  createEnvelope,
  PatientAdmittedV1,
  Topics,
  type DataOf,
  type Envelope,
  type MessageType,
} from '@yb/contracts';
import { type KafkaPublisher } from '@yb/messaging';

// One inpatient episode's messages exactly as the services publish them (admission, fee-detail, quality,
// settlement, reporting on insurance.inpatient; every platform call on insurance.platform-calls) and the HIS's
// admission on his.inpatient, for feeding the dashboard without running every service.

const FIXMEDINS = 'H42010200123';
let sequence = 0;
/** A platform msgid: fixmedins_code(12) + yyyyMMddHHmmss + 4-digit sequence. */
const msgid = (day: string) =>
  `${FIXMEDINS}${day.replace(/-/g, '')}103000${String(++sequence % 10_000).padStart(4, '0')}`;

export interface EpisodeOptions {
  ipt_no: string;
  /** The business day of admission and settlement, yyyy-MM-dd. */
  day: string;
  certno: string;
  dept?: { codg: string; name: string };
  insutype?: string;
  /** The patient as the HIS and the platform name them (default: the contract's example and a fixed psn_no). */
  patient?: { psn_name: string; tel: string; psn_no: string };
  /** 参保地医保区划 as the HIS names it at admission (none by default). */
  insuplc_admdvs?: string;
}

/** What 2304 answers for the episode's 54.90 (the mid-way settlement's too: the slip's amounts are not its point). */
const SETTLED_AMOUNTS = {
  medfee_sumamt: '54.90',
  fulamt_ownpay_amt: '0.00',
  overlmt_selfpay: '0.00',
  preselfpay_amt: '5.49',
  inscp_scp_amt: '49.41',
  hifp_pay: '39.53',
  fund_pay_sumamt: '42.53',
  acct_pay: '10.00',
  psn_cash_pay: '2.37',
  fund_shares: [
    {
      fund_pay_type: '310100',
      fund_pay_type_name: '统筹基金',
      inscp_scp_amt: '49.41',
      fund_payamt: '39.53',
    },
    {
      fund_pay_type: '320100',
      fund_pay_type_name: '公务员医疗补助',
      inscp_scp_amt: '49.41',
      fund_payamt: '3.00',
    },
    // The platform lists the personal account among the funds too (acct_pay above).
    {
      fund_pay_type: '310200',
      fund_pay_type_name: '职工基本医疗保险个人账户基金',
      inscp_scp_amt: '49.41',
      fund_payamt: '10.00',
    },
  ],
};

interface Outgoing {
  topic: string;
  envelope: Envelope;
}

/** Builds and publishes the episode's messages in the order the services would. */
export class EpisodeResults {
  readonly mdtrt_id: string;
  readonly saga_id: string;
  readonly jr_id: string;
  readonly setl_id: string;
  /** The mid-way settlement's (中途结算), when the episode has one. */
  readonly mid_way_setl_id: string;
  private seq = 0;

  constructor(
    private readonly publisher: KafkaPublisher,
    private readonly prefix: string,
    readonly options: EpisodeOptions,
  ) {
    const n = options.ipt_no.replace(/\D/g, '').slice(-10);
    this.mdtrt_id = `420000G${n}`;
    this.saga_id = `setl-${options.ipt_no}-1`;
    this.jr_id = `JR${n}`;
    this.setl_id = `420000S${n}`;
    this.mid_way_setl_id = `420000M${n}`;
  }

  private get ipt_no(): string {
    return this.options.ipt_no;
  }

  private message<T extends MessageType>(
    topic: string,
    type: T,
    data: DataOf<T>,
    key = this.ipt_no,
  ): Outgoing {
    return {
      topic: `${this.prefix}${topic}`,
      envelope: createEnvelope({ type, schemaVersion: 1, key, data }),
    };
  }

  private result<T extends MessageType>(type: T, data: DataOf<T>): Outgoing {
    return this.message(Topics.insuranceInpatient, type, data);
  }

  private call(
    service: string,
    infno: string,
    outcome: 'SUCCEEDED' | 'REJECTED' | 'UNKNOWN',
    duration_ms: number,
  ) {
    return this.message(Topics.platformCalls, 'PlatformCallCompleted', {
      service,
      infno,
      msgid: msgid(this.options.day),
      outcome,
      duration_ms,
      ipt_no: this.ipt_no,
    });
  }

  private saga(
    step: DataOf<'SettlementSagaProgressed'>['step'],
    status: DataOf<'SettlementSagaProgressed'>['status'],
    saga_state: DataOf<'SettlementSagaProgressed'>['saga_state'],
    detail: string,
    extra: Partial<DataOf<'SettlementSagaProgressed'>> = {},
  ): Outgoing {
    return this.result('SettlementSagaProgressed', {
      ipt_no: this.ipt_no,
      mdtrt_id: this.mdtrt_id,
      saga_id: this.saga_id,
      seq: ++this.seq,
      step,
      status,
      attempt: 1,
      detail,
      saga_state,
      mid_setl_flag: '0',
      ...extra,
    });
  }

  /** Admitted at the HIS, registered (2401), two fee lines uploaded (2301): 18.30 + 36.60 = 54.90. */
  admission(): Outgoing[] {
    const { ipt_no, day, insuplc_admdvs } = this.options;
    const { psn_no: _examplePerson, ...example } = PatientAdmittedV1.example;
    return [
      this.message(Topics.hisInpatient, 'PatientAdmitted', {
        ...example,
        ipt_no,
        mdtrt_cert_no: this.options.certno,
        insutype: this.options.insutype ?? '310',
        adm_dept_codg: this.options.dept?.codg ?? 'A03.01',
        adm_dept_name: this.options.dept?.name ?? '呼吸内科',
        begntime: `${day} 09:00:00`,
        ...(this.options.patient && {
          psn_name: this.options.patient.psn_name,
          tel: this.options.patient.tel,
        }),
        ...(insuplc_admdvs && { insuplc_admdvs }),
      }),
      this.call('admission', '2401', 'SUCCEEDED', 120),
      this.result('AdmissionRegistered', {
        ipt_no,
        mdtrt_id: this.mdtrt_id,
        psn_no: this.options.patient?.psn_no ?? '42000000000000000001234',
        msgid: msgid(day),
      }),
      this.call('fee-detail', '2301', 'SUCCEEDED', 80),
      this.result('FeeLinesUploaded', {
        ipt_no,
        mdtrt_id: this.mdtrt_id,
        msgid: msgid(day),
        lines: [line('FY0001', '18.30', '1', '18.30'), line('FY0002', '36.60', '2', '18.30')],
      }),
    ];
  }

  /** The platform refuses a call in its own words (err_msg may quote the patient). */
  platformRejected(infno: string, err_msg: string): Outgoing[] {
    return [
      this.call('admission', infno, 'REJECTED', 90),
      this.result('PlatformRequestRejected', {
        ipt_no: this.ipt_no,
        infno,
        infcode: -1,
        err_msg,
        msgid: msgid(this.options.day),
      }),
    ];
  }

  /** Discharge asked: totals agree, the pre-settlement audit (3102, trig_scen 9) raises a blocking finding. */
  blockingFinding(): Outgoing[] {
    const { ipt_no } = this.options;
    return [
      this.saga('FEE_RECONCILIATION', 'SUCCEEDED', 'RUNNING', 'HIS 54.90 = 平台 54.90'),
      this.call('quality', '3102', 'SUCCEEDED', 210),
      this.result('AuditFindingsRaised', {
        ipt_no,
        mdtrt_id: this.mdtrt_id,
        infno: '3102',
        trig_scen: '9',
        findings: [
          {
            jr_id: this.jr_id,
            rule_id: 'R-LMT-001',
            rule_name: '限定支付范围',
            vola_cont: '头孢呋辛钠限二线用药',
            vola_amt: '36.60',
            sev_deg: '1',
            feedetl_sns: ['FY0002'],
            blocking: true,
          },
        ],
      }),
      this.saga(
        'PRE_SETTLEMENT_AUDIT',
        'WAITING_FOR_PERSON',
        'WAITING_FOR_PERSON',
        '限定支付范围: 头孢呋辛钠限二线用药',
        {
          infno: '3102',
        },
      ),
    ];
  }

  /** What quality publishes once a person acknowledged the finding. */
  acknowledged(username: string, role: 'operator' | 'admin'): Outgoing[] {
    return [
      this.result('AuditFindingAcknowledged', {
        ipt_no: this.ipt_no,
        jr_id: this.jr_id,
        comment: '已与主治医生核实',
        acknowledged_by: { username, role },
        remaining_blocking: 0,
      }),
    ];
  }

  /** The saga goes on: 2303, 2402, 2304 timing out, 2601 reversal, 2304 again, settled; then the report backlog. */
  settlement(): Outgoing[] {
    const { ipt_no, day } = this.options;
    const settlementMsgid = msgid(day);
    return [
      this.result('SettlementAuditCompleted', {
        ipt_no,
        mdtrt_id: this.mdtrt_id,
        trig_scen: '9',
        saga_id: this.saga_id,
        outcome: 'ACKNOWLEDGED',
        may_proceed: true,
        blocking_jr_ids: [],
      }),
      this.saga('PRE_SETTLEMENT_AUDIT', 'SUCCEEDED', 'RUNNING', 'ACKNOWLEDGED', { infno: '3102' }),
      this.call('settlement', '2303', 'SUCCEEDED', 150),
      this.result('PreSettled', {
        ipt_no,
        mdtrt_id: this.mdtrt_id,
        mid_setl_flag: '0',
        msgid: msgid(day),
        ...SETTLED_AMOUNTS,
      }),
      this.saga('PRE_SETTLEMENT', 'SUCCEEDED', 'RUNNING', '2303 54.90', { infno: '2303' }),
      this.call('admission', '2402', 'SUCCEEDED', 95),
      this.result('DischargeRegistered', {
        ipt_no,
        mdtrt_id: this.mdtrt_id,
        endtime: `${day} 10:00:00`,
        msgid: msgid(day),
      }),
      this.saga('DISCHARGE', 'SUCCEEDED', 'RUNNING', '2402', { infno: '2402' }),
      this.call('settlement', '2304', 'UNKNOWN', 30_000),
      this.saga('SETTLEMENT', 'UNKNOWN', 'RUNNING', 'timeout after 30000 ms: 2601 冲正 follows', {
        infno: '2304',
        msgid: settlementMsgid,
      }),
      this.call('settlement', '2601', 'SUCCEEDED', 60),
      this.result('SettlementCompensated', {
        ipt_no,
        mdtrt_id: this.mdtrt_id,
        compensation: '2601',
        omsgid: settlementMsgid,
        oinfno: '2304',
        reason: '2304 结算超时，结果未知',
      }),
      this.saga('REVERSAL', 'SUCCEEDED', 'RUNNING', '2601 冲正 2304', { infno: '2601' }),
      this.saga('SETTLEMENT', 'RETRYING', 'RUNNING', '2304 重发', { infno: '2304', attempt: 2 }),
      this.call('settlement', '2304', 'SUCCEEDED', 170),
      this.result('Settled', {
        ipt_no,
        mdtrt_id: this.mdtrt_id,
        setl_id: this.setl_id,
        setl_time: `${day} 10:30:00`,
        medins_setl_id: msgid(day),
        mid_setl_flag: '0',
        ...SETTLED_AMOUNTS,
      }),
      this.saga('SETTLEMENT', 'SUCCEEDED', 'SETTLED', `2304 ${this.setl_id}`, { infno: '2304', attempt: 2 }),
      this.result('ReportPending', {
        ipt_no,
        infno: '4101A',
        report_ref: this.setl_id,
        reason: '病案首页未完成',
        due_date: day,
      }),
      this.message(
        Topics.insuranceInpatient,
        'ReportBacklogSummarized',
        {
          as_of: `${day}T10:40:00+08:00`,
          run_date: day,
          by_infno: [
            {
              infno: '4101A',
              waiting: 1,
              overdue: 0,
              rejected: 0,
              uploaded_today: 0,
              reasons: [{ reason: '病案首页未完成', count: 1 }],
            },
          ],
        },
        day,
      ),
    ];
  }

  /** A mid-way settlement (中途结算) half an hour into the stay, the patient still in hospital: what 2304 answered. */
  midWaySettled(): Outgoing[] {
    const { ipt_no, day } = this.options;
    return [
      this.result('Settled', {
        ipt_no,
        mdtrt_id: this.mdtrt_id,
        setl_id: this.mid_way_setl_id,
        setl_time: `${day} 09:30:00`,
        medins_setl_id: msgid(day),
        mid_setl_flag: '1',
        ...SETTLED_AMOUNTS,
      }),
    ];
  }

  /**
   * The billing office reversed one of the episode's settlements in our books (本地冲销): the saga's timeline entry
   * and SettlementLocalReversalRecorded, as settlement publishes them.
   */
  reversedLocally(setl_id: string, mid_setl_flag: '0' | '1', username: string, reason: string): Outgoing[] {
    const stmt_date = this.options.day;
    return [
      this.saga(
        'LOCAL_REVERSAL',
        'SUCCEEDED',
        'REVERSED_LOCALLY',
        `本地冲销 ${setl_id} by ${username} (operator), 对账 ${stmt_date}: ${reason}`,
        { mid_setl_flag },
      ),
      this.result('SettlementLocalReversalRecorded', {
        ipt_no: this.ipt_no,
        mdtrt_id: this.mdtrt_id,
        saga_id: this.saga_id,
        setl_id,
        mid_setl_flag,
        stmt_date,
        reason,
        reversed_by: { username, role: 'operator' },
      }),
    ];
  }

  async publish(messages: Outgoing[]): Promise<Envelope[]> {
    for (const { topic, envelope } of messages) await this.publisher.publish(topic, envelope);
    return messages.map((m) => m.envelope);
  }
}

function line(feedetl_sn: string, amount: string, cnt: string, pric: string) {
  return {
    feedetl_sn,
    det_item_fee_sumamt: amount,
    cnt,
    pric,
    selfpay_prop: '0.1',
    fulamt_ownpay_amt: '0.00',
    overlmt_amt: '0.00',
    preselfpay_amt: '0.00',
    inscp_scp_amt: amount,
    chrgitm_lv: '02',
    med_chrgitm_type: '09',
  };
}
