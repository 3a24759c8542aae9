import Decimal from 'decimal.js';
import type {
  Output4103,
  Output5201,
  Output5202,
  Output5204,
  Output5206,
  Output5303,
  PlatformCallResult,
  PlatformClient,
} from '@yb/platform-client';
import { EXAMPLE_PSN_NO, exampleInput, SimClientKit, withFields } from './sim-client-kit';

// The platform's queries over real HTTP with PlatformClient (each answer read by the client's typed schema):
// what the sandbox answers from its books for one visit before and after its settlement (5201, 5202, 5204,
// 5206, 5303, 4103), and the queries it keeps nothing for answered with their empty node.

const INSUPLC = { insuplc_admdvs: '420100' };

describe('platform-sim answers the platform queries from its books', () => {
  const kit = new SimClientKit();
  let client: PlatformClient;

  beforeAll(async () => {
    await kit.start('sim_queries');
    // A May 2024 clock: the settlement falls in the examples' month (5206's cum_ym 202405).
    await kit.admin('POST', '/sim/clock', { at: '2024-05-15T02:00:00.000Z' });
    client = await kit.client();
  });
  afterAll(() => kit.stop());

  async function call(infno: string, input: unknown): Promise<PlatformCallResult> {
    return (await client.call(infno, input, { visitKey: 'ZY20240506001', ...INSUPLC })) as PlatformCallResult;
  }
  async function succeeded<T>(infno: string, input: unknown): Promise<T> {
    const result = await call(infno, input);
    if (result.status !== 'SUCCEEDED') throw new Error(`${infno}: ${JSON.stringify(result)}`);
    return result.output as T;
  }

  it('answers a visit, its diagnoses, its settled fee lines, the year totals and its settlement list as it stands', async () => {
    const { result } = await succeeded<{ result: { mdtrt_id: string } }>('2401', exampleInput('2401'));
    const ids = { mdtrt_id: result.mdtrt_id };

    // In hospital: 5201 finds the visit 在院, 5303 lists it, 5202 gives the admission diagnosis.
    const admitted = await succeeded<Output5201>('5201', exampleInput('5201'));
    expect(admitted.mdtrtinfo).toEqual([
      expect.objectContaining({
        mdtrt_id: ids.mdtrt_id,
        psn_no: EXAMPLE_PSN_NO,
        med_type: '21',
        inhosp_stas: '1',
      }),
    ]);
    expect(admitted.mdtrtinfo[0]!.endtime).toBeUndefined();
    const census = await succeeded<Output5303>('5303', exampleInput('5303'));
    expect(census.data.map((row) => [row.mdtrt_id, row.begndate, row.out_flag])).toEqual([
      [ids.mdtrt_id, '2024-05-06', '0'],
    ]);
    const onAdmission = await succeeded<Output5202>('5202', exampleInput('5202', ids));
    expect(onAdmission.diseinfo.map((d) => [d.inout_diag_type, d.diag_code, d.maindiag_flag])).toEqual([
      ['1', 'J18.900', '1'],
    ]);

    const fees = await succeeded<{ result: { feedetl_sn: string; det_item_fee_sumamt: string }[] }>(
      '2301',
      exampleInput('2301', ids),
    );
    await succeeded('2402', exampleInput('2402', ids));
    const total = Decimal.sum(...fees.result.map((line) => line.det_item_fee_sumamt)).toFixed(2);
    const settled = await succeeded<{ setlinfo: Record<string, string> }>(
      '2304',
      withFields(exampleInput('2304', ids), 'data', { medfee_sumamt: total }),
    );
    const setl_id = settled.setlinfo['setl_id']!;

    // Discharged: 出院 in 5201, gone from the census, the discharge diagnosis added.
    const discharged = await succeeded<Output5201>('5201', exampleInput('5201'));
    expect(discharged.mdtrtinfo[0]).toMatchObject({
      inhosp_stas: '0',
      endtime: '2024-05-15 09:00:00',
      dscg_way: '1',
    });
    expect((await succeeded<Output5303>('5303', exampleInput('5303'))).data).toEqual([]);
    const diagnoses = await succeeded<Output5202>('5202', exampleInput('5202', ids));
    expect(diagnoses.diseinfo.map((d) => d.inout_diag_type)).toEqual(['1', '2']);

    // 5204: the lines the settlement covers, each priced as 2301 answered it, adding up to the settlement.
    const lines = await succeeded<Output5204>('5204', exampleInput('5204', { ...ids, setl_id }));
    expect(lines.map((l) => [l.feedetl_sn, l.det_item_fee_sumamt])).toEqual(
      fees.result.map((l) => [l.feedetl_sn, l.det_item_fee_sumamt]),
    );
    expect(Decimal.sum(...lines.map((l) => l.det_item_fee_sumamt)).toFixed(2)).toBe(
      new Decimal(settled.setlinfo['medfee_sumamt']!).toFixed(2),
    );

    // 5206: the year's totals through May are this settlement's.
    const totals = await succeeded<Output5206>('5206', exampleInput('5206'));
    const cum = Object.fromEntries(totals.cuminfo.map((row) => [row.cum_type_code, row.cum]));
    expect(cum).toEqual({
      Q0000: settled.setlinfo['act_pay_dedc'],
      S0000: settled.setlinfo['medfee_sumamt'],
      J0000: settled.setlinfo['hifp_pay'],
      C0000: '1',
    });

    // 4103: no list before 4101A; then the list with its status and the settlement's personal and fund parts.
    const before = await call('4103', exampleInput('4103', { setl_id }));
    expect(before).toMatchObject({
      status: 'REJECTED',
      err_msg: expect.stringContaining('不存在已上传的结算清单'),
    });
    const { setl_list_id } = await succeeded<{ setl_list_id: string }>(
      '4101A',
      exampleInput('4101A', { ...ids, setl_id }),
    );
    const list = await succeeded<Output4103>('4103', exampleInput('4103', { setl_id }));
    expect(list.setlinfo).toMatchObject({
      setl_id,
      setl_list_id,
      mdtrt_id: ids.mdtrt_id,
      stas_type: '1',
      acct_payamt: settled.setlinfo['acct_pay'],
      psn_cashpay: settled.setlinfo['psn_cash_pay'],
    });
    expect(list.payinfo.length).toBeGreaterThan(0);
  });

  it.each([
    ['5205', 'feedetail'],
    ['5301', 'feedetail'],
    ['5302', 'psnfixmedin'],
    ['5304', 'refmedin'],
  ] as const)(
    'answers %s for a known person with an empty %s (the sandbox keeps none)',
    async (infno, node) => {
      expect(await succeeded<Record<string, unknown>>(infno, exampleInput(infno))).toEqual({ [node]: [] });
    },
  );

  it('refuses a query about a person the platform does not know', async () => {
    const result = await call('5301', { data: { psn_no: '42000000000000009999' } });
    expect(result).toMatchObject({
      status: 'REJECTED',
      // The client masks the psn_no in what it keeps; the refusal is the platform's.
      err_msg: expect.stringMatching(/^人员编号\[.+\]不存在$/),
    });
  });
});
