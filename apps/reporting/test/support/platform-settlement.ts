import { eventStoreDataSourceOptions, runEventStoreMigrations } from '@yb/event-store';
import {
  parsePlatformClientConfig,
  PLATFORM_CLIENT_MIGRATIONS,
  PlatformCallRecord,
  PlatformClient,
  type Output2304,
  type Output2305,
} from '@yb/platform-client';
import { INTERFACE_EXAMPLES } from '@yb/platform-client/testing';
import { createTestSchema, TEST_HOSPITAL, testFeeLine, type TestSchema } from '@yb/testing';
import { DataSource } from 'typeorm';
import { type MessageOf } from '@yb/contracts';

/**
 * The settlement service's part, played by the test until apps/settlement runs here: a PlatformClient of
 * the test hospital that registers, charges, discharges and settles a visit on the simulator (2401, 2301,
 * 2402, 2304), so that reporting's 4101A names a settlement the platform really holds.
 */
export class PlatformSettlements {
  private constructor(
    private readonly client: PlatformClient,
    private readonly dataSource: DataSource,
    private readonly schema: TestSchema,
  ) {}

  /** `msgidSchema`: the hospital's shared msgid counter (msgids must not repeat across its callers). */
  static async start(simUrl: string, msgidSchema: string): Promise<PlatformSettlements> {
    const schema = await createTestSchema('reporting_test_client');
    const base = eventStoreDataSourceOptions({ databaseUrl: schema.databaseUrl, schema: schema.schema });
    const dataSource = new DataSource({
      ...base,
      entities: [PlatformCallRecord],
      migrations: [...(base.migrations as []), ...PLATFORM_CLIENT_MIGRATIONS],
    });
    await runEventStoreMigrations(dataSource);
    const config = parsePlatformClientConfig({ ...TEST_HOSPITAL, baseUrl: simUrl, msgidSchema });
    const client = new PlatformClient({ config, dataSource });
    await client.start();
    return new PlatformSettlements(client, dataSource, schema);
  }

  async stop(): Promise<void> {
    await this.client.stop();
    await this.dataSource.destroy();
    await this.schema.drop();
  }

  /** A visit admitted, charged one line, discharged and settled; the results as admission/settlement publish them. */
  async settle(visit: { ipt_no: string; psn_no: string; certno: string }) {
    const { ipt_no, psn_no, certno } = visit;
    const insuplc_admdvs = TEST_HOSPITAL.mdtrtarea_admvs;
    const options = { visitKey: ipt_no, insuplc_admdvs };
    const admission = INTERFACE_EXAMPLES['2401'].input;
    const registered = await this.ok(
      '2401',
      {
        mdtrtinfo: {
          ...admission.mdtrtinfo,
          psn_no,
          insutype: '310',
          ipt_no,
          mdtrt_cert_no: certno,
          insuplc_admdvs,
        },
        diseinfo: [admission.diseinfo].flat().map((d) => ({ ...d, psn_no })),
      },
      options,
    );
    const mdtrt_id = (registered.output as { result: { mdtrt_id: string } }).result.mdtrt_id;
    const line = testFeeLine(`FY${ipt_no.slice(-8)}`, 2, 'XJ01DDA068B002010101445', '2', '43.20');
    await this.ok('2301', { feedetail: [{ ...line, mdtrt_id, psn_no, med_type: '21' }] }, options);
    const discharge = INTERFACE_EXAMPLES['2402'].input;
    await this.ok(
      '2402',
      {
        dscginfo: { ...discharge.dscginfo, mdtrt_id, psn_no, endtime: '2024-05-08 10:00:00' },
        diseinfo: [discharge.diseinfo].flat().map((d) => ({ ...d, psn_no, mdtrt_id })),
      },
      options,
    );
    const settled = await this.ok(
      '2304',
      {
        data: {
          ...INTERFACE_EXAMPLES['2304'].input.data,
          psn_no,
          mdtrt_id,
          mdtrt_cert_no: certno,
          medfee_sumamt: line.det_item_fee_sumamt,
        },
      },
      options,
    );
    const { setlinfo, setldetail } = settled.output as Output2304;
    const settledData: MessageOf<'Settled'>['data'] = {
      ipt_no,
      mdtrt_id,
      setl_id: setlinfo.setl_id,
      setl_time: setlinfo.setl_time ?? '2024-05-08 10:30:00',
      medins_setl_id: setlinfo.medins_setl_id ?? settled.msgid,
      mid_setl_flag: '0',
      medfee_sumamt: setlinfo.medfee_sumamt,
      fulamt_ownpay_amt: setlinfo.fulamt_ownpay_amt,
      overlmt_selfpay: setlinfo.overlmt_selfpay,
      preselfpay_amt: setlinfo.preselfpay_amt,
      inscp_scp_amt: setlinfo.inscp_scp_amt,
      hifp_pay: setlinfo.hifp_pay,
      fund_pay_sumamt: setlinfo.fund_pay_sumamt,
      acct_pay: setlinfo.acct_pay,
      psn_cash_pay: setlinfo.psn_cash_pay,
      fund_shares: (setldetail ?? []).map((f) => ({
        fund_pay_type: f.fund_pay_type,
        inscp_scp_amt: f.inscp_scp_amt,
        fund_payamt: f.fund_payamt,
      })),
    };
    return {
      registered: {
        ipt_no,
        mdtrt_id,
        psn_no,
        msgid: registered.msgid,
      } as MessageOf<'AdmissionRegistered'>['data'],
      settled: settledData,
    };
  }

  /** 2305 on the simulator, and SettlementCancelled as the settlement service publishes it. */
  async cancel(
    settled: MessageOf<'Settled'>['data'],
    psn_no: string,
  ): Promise<MessageOf<'SettlementCancelled'>['data']> {
    const { ipt_no, mdtrt_id, setl_id } = settled;
    const options = { visitKey: ipt_no, insuplc_admdvs: TEST_HOSPITAL.mdtrtarea_admvs };
    const cancelled = await this.ok('2305', { data: { mdtrt_id, setl_id, psn_no } }, options);
    const { setlinfo } = cancelled.output as Output2305;
    return {
      ipt_no,
      mdtrt_id,
      setl_id: setlinfo.setl_id,
      init_setl_id: setl_id,
      medfee_sumamt: answered(setlinfo.medfee_sumamt, 'medfee_sumamt'),
      fund_pay_sumamt: answered(setlinfo.fund_pay_sumamt, 'fund_pay_sumamt'),
      acct_pay: answered(setlinfo.acct_pay, 'acct_pay'),
      psn_cash_pay: answered(setlinfo.psn_cash_pay, 'psn_cash_pay'),
    };
  }

  private async ok(infno: string, input: unknown, options: { visitKey: string; insuplc_admdvs: string }) {
    const result = await this.client.call(infno, input, options);
    if (result.status !== 'SUCCEEDED') throw new Error(`${infno} failed: ${JSON.stringify(result)}`);
    return result;
  }
}

/** An amount the simulator's 2305 answer carries (the schema allows it to be absent). */
function answered(amount: string | null | undefined, field: string): string {
  if (amount === null || amount === undefined) throw new Error(`2305 answered without ${field}`);
  return amount;
}
