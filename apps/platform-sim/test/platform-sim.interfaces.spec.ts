import Decimal from 'decimal.js';
import type { PlatformClient, PlatformCallResult } from '@yb/platform-client';
import { EXAMPLE_PSN_NO, exampleInput, SimClientKit, withFields } from './sim-client-kit';

// Every typed interface over real HTTP, with PlatformClient (journal in PostgreSQL) and the interface
// examples of @yb/platform-client: one inpatient visit from admission to cancelled settlement.

const INSUPLC = { insuplc_admdvs: '420100' };

describe('platform-sim serves every typed interface to PlatformClient', () => {
  const kit = new SimClientKit();
  let client: PlatformClient;

  beforeAll(async () => {
    await kit.start('sim_ifaces');
    client = await kit.client();
  });
  afterAll(() => kit.stop());

  async function succeeded<T = unknown>(
    infno: string,
    input: unknown,
    visitKey = 'ZY20240506001',
  ): Promise<T> {
    const result = (await client.call(infno, input, { visitKey, ...INSUPLC })) as PlatformCallResult;
    if (result.status !== 'SUCCEEDED') throw new Error(`${infno}: ${JSON.stringify(result)}`);
    return result.output as T;
  }
  async function rejected(infno: string, input: unknown): Promise<string> {
    const result = (await client.call(infno, input, {
      visitKey: 'ZY20240506001',
      ...INSUPLC,
    })) as PlatformCallResult;
    if (result.status !== 'REJECTED')
      throw new Error(`${infno} expected REJECTED: ${JSON.stringify(result)}`);
    return result.err_msg;
  }

  it('runs a whole visit, refusing what the platform refuses along the way', async () => {
    // 9001 happened in start(); 1101 finds the example person.
    const person = await succeeded<{ baseinfo: { psn_no: string }; insuinfo: { insuplc_admdvs: string }[] }>(
      '1101',
      exampleInput('1101'),
    );
    expect(person.baseinfo.psn_no).toBe(EXAMPLE_PSN_NO);
    expect(person.insuinfo[0]?.insuplc_admdvs).toBe('420100');

    const admitted = await succeeded<{ result: { mdtrt_id: string } }>('2401', exampleInput('2401'));
    const mdtrt_id = admitted.result.mdtrt_id;
    const ids = { mdtrt_id };
    expect(await rejected('2401', exampleInput('2401'))).toContain('不能重复办理入院登记');
    expect(await rejected('2405', exampleInput('2405', ids))).toContain('未办理出院，不能撤销出院');

    await succeeded('2403', exampleInput('2403', ids));
    const attribute = await succeeded<{ data: { ipt_psn_sp_flag_detl_id: string } }>(
      '2406',
      exampleInput('2406', ids),
    );
    const attributes = await succeeded<{ data: { ipt_psn_sp_flag_detl_id: string }[] }>(
      '2407',
      exampleInput('2407', ids),
    );
    expect(attributes.data.map((a) => a.ipt_psn_sp_flag_detl_id)).toEqual([
      attribute.data.ipt_psn_sp_flag_detl_id,
    ]);

    const fees = await succeeded<{
      result: { feedetl_sn: string; inscp_scp_amt: string; preselfpay_amt: string }[];
    }>('2301', exampleInput('2301', ids));
    expect(fees.result[0]).toMatchObject({
      feedetl_sn: 'FY202405060001',
      preselfpay_amt: '8.64',
      inscp_scp_amt: '77.76',
    });
    expect(await rejected('2301', exampleInput('2301', ids))).toContain('已存在，不能重复上传');
    expect(await rejected('2404', exampleInput('2404', ids))).toContain('未撤销的费用明细');

    // Revoke and re-upload (2302 "0000" then 2301): the platform holds 43.20 again.
    await succeeded('2302', exampleInput('2302', ids));
    expect((await kit.visit(mdtrt_id)).uploadedTotal).toBe('0.00');
    await succeeded('2301', exampleInput('2301', ids));
    const total = (await kit.visit(mdtrt_id)).uploadedTotal;
    expect(total).toBe('43.20');

    await succeeded('3101', exampleInput('3101', ids));
    await succeeded('3102', exampleInput('3102', ids));

    const settlementInput = () => withFields(exampleInput('2304', ids), 'data', { medfee_sumamt: total });
    const preSettlement = await succeeded<{ setlinfo: Record<string, string> }>(
      '2303',
      withFields(exampleInput('2303', ids), 'data', { medfee_sumamt: total }),
    );
    expect(preSettlement.setlinfo['medfee_sumamt']).toBe('43.2');
    expect(await rejected('2304', settlementInput())).toContain('未办理出院，不能办理出院结算');

    await succeeded('2402', exampleInput('2402', ids));
    expect(await rejected('2402', exampleInput('2402', ids))).toContain('不能重复办理出院');
    expect(
      await rejected('2304', withFields(exampleInput('2304', ids), 'data', { medfee_sumamt: '43.21' })),
    ).toContain('与已上传费用明细总额[43.20]不一致');

    const settled = await succeeded<{ setlinfo: Record<string, string> }>('2304', settlementInput());
    const s = settled.setlinfo;
    const d = (f: string) => new Decimal(s[f]!);
    expect(d('medfee_sumamt').eq(d('fund_pay_sumamt').plus(d('psn_part_amt')).plus(d('hosp_part_amt')))).toBe(
      true,
    );
    expect(d('psn_part_amt').eq(d('acct_pay').plus(d('psn_cash_pay')))).toBe(true);
    const setl_id = s['setl_id']!;
    const settlementMsgid = (await kit.visit(mdtrt_id)).settlements[0]!.msgid;
    expect(s['medins_setl_id']).toBe(settlementMsgid);

    const list = await succeeded<{ setl_list_id: string }>(
      '4101A',
      exampleInput('4101A', { mdtrt_id, setl_id }),
    );
    expect(list.setl_list_id).toMatch(/^420100QD/);
    for (const infno of ['4401', '4402', '4501', '4502', '4503', '4504', '4505', '4506'] as const) {
      await succeeded(infno, exampleInput(infno, ids));
    }
    expect(await rejected('4401', exampleInput('4401', ids))).toContain('已上传');

    const cancelled = await succeeded<{ setlinfo: Record<string, string> }>(
      '2305',
      exampleInput('2305', { mdtrt_id, setl_id }),
    );
    expect(cancelled.setlinfo['medfee_sumamt']).toBe('-43.2');
    expect(await rejected('2305', exampleInput('2305', { mdtrt_id, setl_id }))).toContain('不能重复撤销');

    // Undo the chain: 2405, 2302 "0000", 2404.
    await succeeded('2405', exampleInput('2405', ids));
    await succeeded('2302', exampleInput('2302', ids));
    await succeeded('2404', exampleInput('2404', ids));

    const visit = await kit.visit(mdtrt_id);
    expect(visit.registration.status).toBe('cancelled');
    expect(visit.settlements.map((x) => x.status)).toEqual(['cancelled']);
    expect(visit.uploadedTotal).toBe('0.00');
  });

  it('answers the envelope like the platform: inf_refmsgid, times, err_msg, and a refused repeated msgid', async () => {
    const body = {
      infno: '1101',
      msgid: 'H42010200123209901010000000001',
      mdtrtarea_admvs: '420100',
      insuplc_admdvs: '',
      recer_sys_code: 'YBXT',
      infver: 'V1.0',
      opter_type: '1',
      opter: 'OP009',
      opter_name: '测试',
      inf_time: '2024-05-15 09:30:00',
      fixmedins_code: 'H42010200123',
      fixmedins_name: '武汉市某某医院',
      sign_no: '',
      input: exampleInput('1101'),
    };
    const post = async () => {
      const response = await fetch(`${kit.sim.url}/fsi/api/rsfComIfsService/callService`, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=utf-8' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as Record<string, unknown>;
    };
    const first = await post();
    expect(first).toMatchObject({
      infcode: -1,
      err_msg: '签到编号为空，请先签到',
      inf_refmsgid: expect.stringMatching(/^420000\d{14}\d{10}$/),
      refmsg_time: expect.stringMatching(/^\d{17}$/),
      respond_time: expect.stringMatching(/^\d{17}$/),
      warn_msg: null,
      output: null,
    });
    const again = await post();
    expect(again['err_msg']).toContain('发送方报文ID[H42010200123209901010000000001]重复');
  });
});
