import {
  ClearingAppliedV1,
  commandTopic,
  contractFor,
  createEnvelope,
  keyFieldOf,
  Topics,
  type Envelope,
} from '@yb/contracts';
import { type KafkaPublisher } from '@yb/messaging';

/**
 * What reconciliation and catalogue publish for the office's pages, as they publish it (each validated against
 * its contract): a day with a balanced and an unbalanced group and two differences, the hospital's items and a
 * mapping.
 */
export class OfficeResults {
  constructor(
    private readonly publisher: KafkaPublisher,
    private readonly prefix: string,
  ) {}

  async send(topic: string, type: string, data: Record<string, unknown>): Promise<Envelope> {
    const contract = contractFor(type, 1);
    const key = String(data[keyFieldOf(contract)]);
    const envelope = createEnvelope({ type, schemaVersion: 1, key, data: contract.data.parse(data) });
    await this.publisher.publish(`${this.prefix}${topic}`, envelope);
    return envelope;
  }

  /** 2 groups (310 balanced, 390 not), a platform-only row adopted (3202), an amount differing left open (5262). */
  async reconciledDay(stmt_date: string): Promise<void> {
    const group = (insutype: string, balanced: boolean, cnt: number, medfee: string) =>
      this.send(Topics.reconciliation, 'ReconciliationGroupChecked', {
        stmt_date,
        run: 1,
        insutype,
        clr_type: '21',
        setl_optins: '420100',
        ours: { fixmedins_setl_cnt: cnt, medfee_sumamt: medfee, fund_pay_sumamt: '100.10', acct_pay: '0.00' },
        balanced,
        stmt_rslt: balanced ? '0' : '1',
        ...(!balanced && { stmt_rslt_dscr: '不平' }),
      });
    await group('310', true, 12, '48211.07');
    await group('390', false, 3, '900.30');
    await this.send(Topics.reconciliation, 'ReconciliationDifferenceFound', {
      stmt_date,
      run: 1,
      setl_id: `P${stmt_date.replace(/-/g, '')}01`,
      clr_type: '21',
      setl_optins: '420100',
      kind: 'PLATFORM_ONLY',
      suggested_action: 'ADOPT_PLATFORM_RECORD',
      refd_setl_flag: '0',
      platform: { medfee_sumamt: '300.00', fund_pay_sumamt: '240.00', acct_pay: '0.00' },
    });
    await this.send(Topics.reconciliation, 'ReconciliationDifferenceFound', {
      stmt_date,
      run: 1,
      setl_id: `A${stmt_date.replace(/-/g, '')}02`,
      insutype: '390',
      clr_type: '21',
      setl_optins: '420100',
      kind: 'AMOUNTS_DIFFER',
      suggested_action: 'CHECK_AMOUNTS',
      found_by: '5262',
      refd_setl_flag: '0',
      ours: { medfee_sumamt: '600.30', fund_pay_sumamt: '480.24', acct_pay: '0.00' },
      platform: { medfee_sumamt: '600.29', fund_pay_sumamt: '480.23', acct_pay: '0.00' },
    });
    await this.send(Topics.reconciliation, 'ReconciliationDifferenceResolved', {
      stmt_date,
      setl_id: `P${stmt_date.replace(/-/g, '')}01`,
      resolution: 'PLATFORM_RECORD_ADOPTED',
      resolved_by: 'reconciliation',
    });
    await this.send(Topics.reconciliation, 'ReconciliationCompleted', {
      stmt_date,
      run: 1,
      groups: 2,
      balanced: 1,
      differences: 2,
      open_differences: 1,
    });
  }

  /** May 2024's inpatient applications: LOCAL refused by us then applied; CROSS_AREA refused by the platform. */
  async clearing(): Promise<void> {
    const local = { setlym: '202405', clr_type: '21', setl_optins: '420100', scope: 'LOCAL' };
    const who = { username: 'zhangli', role: 'operator' };
    await this.send(Topics.clearing, 'ClearingApplicationRefused', {
      ...local,
      status: 'NOT_APPLIED',
      refused_by: 'SERVICE',
      reason: '2024-05-15 未对账平衡；尚有 1 笔差账未处理',
      unreconciled_days: ['2024-05-15'],
      open_differences: 1,
      requested_by: who,
    });
    // May's local application as the contract's example gives it (applied by zhangli, 3202a).
    await this.send(Topics.clearing, 'ClearingApplied', ClearingAppliedV1.example);
    await this.send(Topics.clearing, 'ClearingApplicationRefused', {
      ...local,
      scope: 'CROSS_AREA',
      status: 'NOT_APPLIED',
      refused_by: 'PLATFORM',
      reason: '经办机构不受理该清算类别',
      unreconciled_days: [],
      open_differences: 0,
      requested_by: who,
    });
  }

  /** Two lines of a visit held for `item` (the reason quoting `quoted`), and later one released. */
  async heldLines(ipt_no: string, item: string, quoted: string): Promise<void> {
    await this.send(Topics.insuranceInpatient, 'FeeLinesHeld', {
      ipt_no,
      lines: ['FY1', 'FY2'].map((feedetl_sn) => ({
        feedetl_sn,
        medins_list_codg: item,
        reason: `院内项目[${item}]未对照医保目录（${quoted}）：明细暂挂，目录对照确认后自动上传`,
      })),
      needs_person: true,
    });
  }

  /** A line of a visit held for its price (above 1318's limit, with the finding) beside one held for `item`. */
  async heldForPrice(ipt_no: string, item: string): Promise<void> {
    await this.send(Topics.insuranceInpatient, 'FeeLinesHeld', {
      ipt_no,
      lines: [
        {
          feedetl_sn: 'FY3',
          medins_list_codg: item,
          reason: '单价45超过医保限价40.00（医保目录编码[C14010101001]）：明细暂挂，待人工决定仍上传或作废',
          finding: {
            kind: 'OVER_PRICE_LIMIT',
            med_list_codg: 'C14010101001',
            pric: '45',
            pric_uplmt_amt: '40.00',
          },
        },
        {
          feedetl_sn: 'FY4',
          medins_list_codg: `${item}-NEW`,
          reason: `院内项目[${item}-NEW]尚无已确认的医保目录对照`,
        },
      ],
      needs_person: true,
    });
  }

  /** fee-detail's record of a person's decision on held lines. */
  async decided(ipt_no: string, feedetl_sns: string[], decision: 'UPLOAD_ANYWAY' | 'VOID'): Promise<void> {
    await this.send(Topics.insuranceInpatient, 'HeldFeeLinesDecided', {
      ipt_no,
      feedetl_sns,
      decision,
      comment: '重复计费',
      decided_by: { username: 'zhangli', role: 'operator' },
    });
  }

  async releaseLine(ipt_no: string, item: string): Promise<void> {
    await this.send(Topics.insuranceInpatient, 'FeeLinesReleased', {
      ipt_no,
      lines: [{ feedetl_sn: 'FY1', medins_list_codg: item, med_list_codg: 'C14010101001' }],
    });
  }

  /** Three items from the HIS; the first mapped (3301 accepted). */
  async items(list_id: string, codes: readonly [string, string, string]): Promise<void> {
    await this.send(Topics.hisCatalogue, 'HospitalItemsPublished', {
      list_id,
      items: [
        {
          fixmedins_hilist_id: codes[0],
          fixmedins_hilist_name: '阿莫西林胶囊',
          list_type: '101',
          pric: '28.5',
        },
        {
          fixmedins_hilist_id: codes[1],
          fixmedins_hilist_name: '床位费(三人间)',
          list_type: '201',
          pric: '30',
        },
        {
          fixmedins_hilist_id: codes[2],
          fixmedins_hilist_name: '一次性输液器',
          list_type: '301',
          spec: '1套',
        },
      ],
    });
    await this.send(Topics.catalogueMappings, 'ItemMappingPublished', {
      fixmedins_hilist_id: codes[0],
      status: 'mapped',
      med_list_codg: 'XJ01CAA040A001010101445',
      list_type: '101',
      hilist_name: '阿莫西林胶囊',
      begndate: '2024-01-01',
      pric_uplmt_amt: '30.00',
      mapped_by: 'zhangli',
    });
  }
}

export const OFFICE_COMMAND_TOPICS = [
  commandTopic('reconciliation'),
  commandTopic('catalogue'),
  commandTopic('fee-detail'),
] as const;
