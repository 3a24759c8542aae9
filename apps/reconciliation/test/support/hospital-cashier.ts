import { type SettledV1 } from '@yb/contracts';
import { type Output2304 } from '@yb/platform-client';
import { INTERFACE_EXAMPLES } from '@yb/platform-client/testing';
import { TEST_HOSPITAL } from '@yb/testing';
import { startTestPlatformClient, type TestPlatformClient } from './test-platform-client';
import Decimal from 'decimal.js';
import { type z } from 'zod';

type SettledData = z.input<typeof SettledV1.data>;

/** A settlement the platform made, with what the saga would have published of it. */
export interface PlatformSettlement {
  readonly ipt_no: string;
  readonly mdtrt_id: string;
  readonly psn_no: string;
  readonly setl_id: string;
  readonly msgid: string;
  readonly settled: SettledData;
}

const EXAMPLE_MDTRT_ID = INTERFACE_EXAMPLES['2402'].input.dscginfo.mdtrt_id;
const EXAMPLE_PSN_NO = INTERFACE_EXAMPLES['2401'].input.mdtrtinfo.psn_no;

/** Who is treated: the examples' employee insured in our own area, or another the sandbox knows. */
export interface Patient {
  readonly psn_no: string;
  readonly insutype: string;
  readonly insuplc_admdvs: string;
}

export const LOCAL_PATIENT: Patient = {
  psn_no: EXAMPLE_PSN_NO,
  insutype: INTERFACE_EXAMPLES['2401'].input.mdtrtinfo.insutype,
  insuplc_admdvs: TEST_HOSPITAL.mdtrtarea_admvs,
};
/** The sandbox's resident insured in 宜昌 (420500): a 异地 patient for a Wuhan hospital. */
export const CROSS_AREA_PATIENT: Patient = {
  psn_no: '42000000000000000000034567',
  insutype: '390',
  insuplc_admdvs: '420500',
};
const fen = (value: string | undefined) => new Decimal(value ?? 0).toFixed(2);

/**
 * The hospital's cashier at the platform (the sandbox), without our services: admits, uploads one fee line,
 * discharges and settles a visit with the platform client, as the saga would, so a test decides which
 * results reach reconciliation. Its client numbers msgids from the hospital's shared counter.
 */
export class HospitalCashier {
  private readonly patients = new Map<string, Patient>();

  private constructor(private readonly platform: TestPlatformClient) {}

  static async start(simUrl: string, msgidSchema: string): Promise<HospitalCashier> {
    return new HospitalCashier(
      await startTestPlatformClient('recon_cashier', simUrl, msgidSchema, { timeoutMs: 1_500 }),
    );
  }

  stop(): Promise<void> {
    return this.platform.stop();
  }

  private get client() {
    return this.platform.client;
  }

  /** A visit of `cnt` doses at 43.20 settled by the platform: the 2304's msgid and answer (UNKNOWN: undefined). */
  async settle(
    ipt_no: string,
    cnt: number,
    patient: Patient = LOCAL_PATIENT,
  ): Promise<{ msgid: string; settlement?: PlatformSettlement }> {
    this.patients.set(ipt_no, patient);
    const mdtrt_id = await this.admitWithFees(ipt_no, cnt);
    await this.ok('2402', ipt_no, this.swap(INTERFACE_EXAMPLES['2402'].input, ipt_no, mdtrt_id));
    const medfee = new Decimal('43.20').times(cnt).toFixed(2);
    const request = this.swap(INTERFACE_EXAMPLES['2304'].input, ipt_no, mdtrt_id);
    request.data.medfee_sumamt = medfee;
    delete (request.data as { invono?: string }).invono;
    const result = await this.client.call('2304', request, this.options(ipt_no));
    if (result.status === 'UNKNOWN') return { msgid: result.msgid };
    if (result.status !== 'SUCCEEDED') throw new Error(`2304 of ${ipt_no}: ${JSON.stringify(result)}`);
    return { msgid: result.msgid, settlement: settlementOf(ipt_no, mdtrt_id, result.output) };
  }

  /** 2305 on the platform, which our side never hears of (a refund made at another till): the refund's setl_id. */
  async cancel(s: PlatformSettlement): Promise<string> {
    const { setlinfo } = (await this.ok('2305', s.ipt_no, {
      data: { mdtrt_id: s.mdtrt_id, setl_id: s.setl_id, psn_no: s.psn_no },
    })) as { setlinfo: { setl_id: string } };
    return setlinfo.setl_id;
  }

  /** 2601 of the settlement's 2304 on the platform (reversed at the centre's counter): it no longer holds it. */
  async reverse(s: PlatformSettlement): Promise<void> {
    await this.ok('2601', s.ipt_no, { data: { psn_no: s.psn_no, omsgid: s.msgid, oinfno: '2304' } });
  }

  private async admitWithFees(ipt_no: string, cnt: number): Promise<string> {
    const admission = this.swap(INTERFACE_EXAMPLES['2401'].input, ipt_no, EXAMPLE_MDTRT_ID);
    admission.mdtrtinfo.ipt_no = ipt_no;
    const { result } = (await this.ok('2401', ipt_no, admission)) as { result: { mdtrt_id: string } };
    const [line] = this.swap(INTERFACE_EXAMPLES['2301'].input, ipt_no, result.mdtrt_id).feedetail;
    const amount = new Decimal('43.20').times(cnt).toFixed(2);
    await this.ok('2301', ipt_no, {
      feedetail: [{ ...line, feedetl_sn: `FY${ipt_no}`, cnt: String(cnt), det_item_fee_sumamt: amount }],
    });
    return result.mdtrt_id;
  }

  private options(ipt_no: string) {
    return { visitKey: ipt_no, insuplc_admdvs: this.patientOf(ipt_no).insuplc_admdvs };
  }

  private patientOf(ipt_no: string): Patient {
    return this.patients.get(ipt_no) ?? LOCAL_PATIENT;
  }

  /** An example input with the example visit replaced by `mdtrt_id`, and the example person by the visit's. */
  private swap<T>(input: T, ipt_no: string, mdtrt_id: string): T {
    const { psn_no, insutype } = this.patientOf(ipt_no);
    const text = JSON.stringify(input)
      .split(EXAMPLE_MDTRT_ID)
      .join(mdtrt_id)
      .split(EXAMPLE_PSN_NO)
      .join(psn_no)
      .split(`"insutype":"${LOCAL_PATIENT.insutype}"`)
      .join(`"insutype":"${insutype}"`);
    return JSON.parse(text) as T;
  }

  private async ok(infno: string, ipt_no: string, input: unknown): Promise<unknown> {
    const result = await this.client.call(infno, input, this.options(ipt_no));
    if (result.status !== 'SUCCEEDED') throw new Error(`${infno} of ${ipt_no}: ${JSON.stringify(result)}`);
    return result.output;
  }
}

function settlementOf(ipt_no: string, mdtrt_id: string, output: Output2304): PlatformSettlement {
  const s = output.setlinfo;
  const settled: SettledData = {
    ipt_no,
    mdtrt_id,
    setl_id: s.setl_id,
    setl_time: s.setl_time!,
    medins_setl_id: s.medins_setl_id!,
    mid_setl_flag: '0',
    medfee_sumamt: fen(s.medfee_sumamt),
    fulamt_ownpay_amt: fen(s.fulamt_ownpay_amt),
    overlmt_selfpay: fen(s.overlmt_selfpay),
    preselfpay_amt: fen(s.preselfpay_amt),
    inscp_scp_amt: fen(s.inscp_scp_amt),
    hifp_pay: fen(s.hifp_pay),
    fund_pay_sumamt: fen(s.fund_pay_sumamt),
    acct_pay: fen(s.acct_pay),
    psn_cash_pay: fen(s.psn_cash_pay),
    fund_shares: [],
    psn_no: s.psn_no!,
    insutype: s.insutype!,
    clr_type: s.clr_type!,
    clr_optins: s.clr_optins!,
  };
  return { ipt_no, mdtrt_id, psn_no: s.psn_no!, setl_id: s.setl_id, msgid: s.medins_setl_id!, settled };
}
