import {
  type PlatformCallResult,
  type PlatformClient,
  type TypedInfno,
  type TypedInterfaces,
} from '@yb/platform-client';
import { type SettlementGroup } from '../settlement-ledger/ledger-row';
import { type totalsOf } from './compare-details';
import { detailFile, readResultFile, type ResultRow } from './statement-files';

/** A platform answer the run can use, or the platform's refusal (the run records it and goes on). */
export type Answer<T> =
  { readonly kind: 'answered'; readonly value: T } | { readonly kind: 'refused'; readonly reason: string };

/** The platform could not be asked (no answer, outcome unknown): the day's work is tried again later. */
export class PlatformUnavailable extends Error {
  override readonly name = 'PlatformUnavailable';
}

type Totals = ReturnType<typeof totalsOf>;

/**
 * The reconciliation's platform calls and their typed answers. 3201, 3202, 5203 and 9102 only read the
 * platform's books and 9101 only leaves a file there, so a call of unknown outcome is simply asked again.
 */
export class StatementCalls {
  constructor(
    private readonly client: PlatformClient,
    private readonly fixmedins_code: string,
  ) {}

  /** 3201 对总账 of one group's day. */
  async checkTotals(
    stmt_date: string,
    group: SettlementGroup,
    totals: Totals,
  ): Promise<Answer<{ stmt_rslt: string; stmt_rslt_dscr?: string }>> {
    const answer = await this.call('3201', stmt_date, {
      data: {
        ...group,
        stmt_begndate: stmt_date,
        stmt_enddate: stmt_date,
        medfee_sumamt: totals.medfee_sumamt,
        fund_pay_sumamt: totals.fund_pay_sumamt,
        acct_pay: totals.acct_pay,
        fixmedins_setl_cnt: totals.fixmedins_setl_cnt,
        refd_setl_flag: '1',
      },
    });
    if (answer.kind === 'refused') return answer;
    const { stmt_rslt, stmt_rslt_dscr } = answer.value.stmtinfo;
    return {
      kind: 'answered',
      value: { stmt_rslt, ...(stmt_rslt_dscr !== undefined && { stmt_rslt_dscr }) },
    };
  }

  /**
   * 对明细账: our detail file up with 9101, 3202 with the same totals, its result file down with 9102; the
   * result's rows, with the file references for the record.
   */
  async compareDetails(
    stmt_date: string,
    pair: { clr_type: string; setl_optins: string },
    rows: Parameters<typeof detailFile>[0],
    totals: Totals,
  ): Promise<Answer<{ file_qury_no: string; result_file_qury_no: string; result: ResultRow[] }>> {
    const uploaded = await this.call('9101', stmt_date, {
      fsUploadIn: {
        in: Buffer.from(detailFile(rows)).toString('base64'),
        filename: `${stmt_date}-${pair.clr_type}-${pair.setl_optins}.txt.zip`,
        fixmedins_code: this.fixmedins_code,
      },
    });
    if (uploaded.kind === 'refused') return uploaded;
    const { file_qury_no } = uploaded.value;
    const detail = await this.call('3202', stmt_date, {
      data: {
        ...pair,
        file_qury_no,
        stmt_begndate: stmt_date,
        stmt_enddate: stmt_date,
        medfee_sumamt: totals.medfee_sumamt,
        fund_pay_sumamt: totals.fund_pay_sumamt,
        cash_payamt: totals.cash_payamt,
        fixmedins_setl_cnt: totals.fixmedins_setl_cnt,
        refd_setl_flag: '1',
      },
    });
    if (detail.kind === 'refused') return detail;
    const { fileinfo } = detail.value;
    const downloaded = await this.client.downloadFile(
      {
        file_qury_no: fileinfo.file_qury_no,
        filename: fileinfo.filename,
        fixmedins_code: this.fixmedins_code,
      },
      { visitKey: `reconciliation:${stmt_date}` },
    );
    if (downloaded.status === 'REJECTED')
      return { kind: 'refused', reason: `9102 refused (${downloaded.infcode}): ${downloaded.err_msg}` };
    if (downloaded.status === 'UNKNOWN')
      throw new PlatformUnavailable(`9102 of ${stmt_date}: ${downloaded.reason} (msgid ${downloaded.msgid})`);
    let result: ResultRow[];
    try {
      result = readResultFile(downloaded.bytes);
    } catch (err) {
      return { kind: 'refused', reason: `3202's result file could not be read: ${(err as Error).message}` };
    }
    return { kind: 'answered', value: { file_qury_no, result_file_qury_no: fileinfo.file_qury_no, result } };
  }

  /** 5203 结算信息查询 of one settlement (the person's area: the clearing agency's, as for a local patient). */
  async settlement(
    stmt_date: string,
    query: { psn_no: string; setl_id: string; mdtrt_id?: string },
    insuplc_admdvs: string,
  ): Promise<Answer<TypedInterfaces['5203']['output']>> {
    return this.call('5203', stmt_date, { data: query }, { psn_no: query.psn_no, insuplc_admdvs });
  }

  private async call<I extends TypedInfno>(
    infno: I,
    stmt_date: string,
    input: TypedInterfaces[I]['input'],
    person: { psn_no?: string; insuplc_admdvs?: string } = {},
  ): Promise<Answer<TypedInterfaces[I]['output']>> {
    const result: PlatformCallResult<TypedInterfaces[I]['output']> = await this.client.call(infno, input, {
      visitKey: `reconciliation:${stmt_date}`,
      ...person,
    });
    return answerOf(infno, stmt_date, result);
  }
}

/**
 * A call's answer or the platform's refusal; no answer (timeout, unreachable, outcome unknown) throws
 * PlatformUnavailable, so the worker asks again. `subject` names the work in that error.
 */
export function answerOf<T>(infno: string, subject: string, result: PlatformCallResult<T>): Answer<T> {
  switch (result.status) {
    case 'SUCCEEDED':
      return { kind: 'answered', value: result.output };
    case 'REJECTED':
      return { kind: 'refused', reason: `${infno} refused (${result.infcode}): ${result.err_msg}` };
    case 'APPLIED_UNREADABLE':
      return {
        kind: 'refused',
        reason: `${infno} answered without ${result.problems.map((p) => p.field).join(', ')} (msgid ${result.msgid})`,
      };
    case 'UNKNOWN':
      throw new PlatformUnavailable(`${infno} of ${subject}: ${result.reason} (msgid ${result.msgid})`);
  }
}
