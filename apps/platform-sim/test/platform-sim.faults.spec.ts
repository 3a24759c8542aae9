import type { PlatformCallResult, PlatformClient } from '@yb/platform-client';
import { EXAMPLE_PSN_NO, exampleInput, SimClientKit, withFields } from './sim-client-kit';

// Each injected fault ends in the client outcome it must produce, and for the dangerous case (applied, then
// no answer in time) the 2601 the client sends leaves the ledger as if the call had happened exactly once.

const CALL = { visitKey: 'ZY20240506001', insuplc_admdvs: '420100' };
/** The client gives up after this; timeout faults hold their answer longer. */
const CLIENT_TIMEOUT_MS = 700;
const HOLD_MS = 5_000;

describe('platform-sim fault injection', () => {
  const kit = new SimClientKit();
  let client: PlatformClient;

  beforeAll(() => kit.start('sim_faults'));
  afterAll(() => kit.stop());
  beforeEach(async () => {
    await kit.admin('POST', '/sim/reset');
    client = await kit.client({
      timeoutMs: CLIENT_TIMEOUT_MS,
      callPolicies: { '2401': { maxAttempts: 2 } },
    });
  });

  const call = (infno: string, input: unknown) =>
    client.call(infno, input, CALL) as Promise<PlatformCallResult>;

  async function admit(): Promise<string> {
    const result = await call('2401', exampleInput('2401'));
    if (result.status !== 'SUCCEEDED') throw new Error(JSON.stringify(result));
    return (result.output as { result: { mdtrt_id: string } }).result.mdtrt_id;
  }

  /** Admitted, fees uploaded (43.20), discharged: ready for 2304. */
  async function readyToSettle(): Promise<{ mdtrt_id: string; input: Record<string, unknown> }> {
    const mdtrt_id = await admit();
    expect((await call('2301', exampleInput('2301', { mdtrt_id }))).status).toBe('SUCCEEDED');
    expect((await call('2402', exampleInput('2402', { mdtrt_id }))).status).toBe('SUCCEEDED');
    return {
      mdtrt_id,
      input: withFields(exampleInput('2304', { mdtrt_id }), 'data', { medfee_sumamt: '43.20' }),
    };
  }

  it('latency: the answer comes late but within the timeout → SUCCEEDED', async () => {
    await kit.armFault({ infno: '1101', mode: 'latency', latencyMs: 200, times: 1 });
    expect((await call('1101', exampleInput('1101'))).status).toBe('SUCCEEDED');
  });

  it('reject: infcode -1 with the given err_msg → REJECTED, nothing applied', async () => {
    await kit.armFault({ infno: '2401', mode: 'reject', errMsg: '参保人处于暂停参保状态', times: 1 });
    const result = await call('2401', exampleInput('2401'));
    expect(result).toMatchObject({ status: 'REJECTED', infcode: -1, err_msg: '参保人处于暂停参保状态' });
    expect((await kit.ledger()).registrations).toEqual([]);
  });

  it.each([
    ['http-5xx', 'HTTP 502'],
    ['connection-reset', 'connection'],
    ['timeout-before-apply', 'timeout'],
  ])('%s → UNKNOWN, and the platform applied nothing', async (mode, reason) => {
    await kit.armFault({ infno: '2406', mode, latencyMs: HOLD_MS, times: 1 });
    const mdtrt_id = await admit();
    const result = await call('2406', exampleInput('2406', { mdtrt_id }));
    expect(result.status).toBe('UNKNOWN');
    expect(result.status === 'UNKNOWN' && result.reason).toContain(reason);
    expect((await kit.visit(mdtrt_id)).registration.specialAttributes).toEqual([]);
  });

  it('malformed-body: applied, but the answer is not JSON → UNKNOWN', async () => {
    await kit.armFault({ infno: '2406', mode: 'malformed-body', times: 1 });
    const mdtrt_id = await admit();
    const result = await call('2406', exampleInput('2406', { mdtrt_id }));
    expect(result.status).toBe('UNKNOWN');
    expect((await kit.visit(mdtrt_id)).registration.specialAttributes).toHaveLength(1);
  });

  it('times: the fault hits only as many calls as asked', async () => {
    await kit.armFault({ infno: '1101', mode: 'http-5xx', times: 1 });
    expect((await call('1101', exampleInput('1101'))).status).toBe('UNKNOWN');
    expect((await call('1101', exampleInput('1101'))).status).toBe('SUCCEEDED');
  });

  it('2401 timeout-after-apply: the client reverses with 2601 and resends; the ledger holds exactly one registration', async () => {
    await kit.armFault({ infno: '2401', mode: 'timeout-after-apply', latencyMs: HOLD_MS, times: 1 });
    const result = await call('2401', exampleInput('2401'));
    expect(result).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });

    const ledger = await kit.ledger();
    const open = ledger.registrations.filter((r) => r.psn_no === EXAMPLE_PSN_NO && r.status === 'admitted');
    expect(open).toHaveLength(1);
    expect(open[0]!.msgid).toBe(result.msgid);
    const [reversed] = ledger.registrations.filter((r) => r.status === 'reversed');
    expect(ledger.reversals).toEqual([expect.objectContaining({ omsgid: reversed!.msgid, oinfno: '2401' })]);
  });

  it('2304 timeout-after-apply → UNKNOWN; 2601 undoes it and no settlement is left', async () => {
    const { mdtrt_id, input } = await readyToSettle();
    await kit.armFault({ infno: '2304', mode: 'timeout-after-apply', latencyMs: HOLD_MS, times: 1 });
    const result = await call('2304', input);
    expect(result.status).toBe('UNKNOWN');
    expect((await kit.visit(mdtrt_id)).settlements.map((s) => s.status)).toEqual(['settled']);

    const reversal = await client.reverse(result.msgid);
    expect(reversal.status).toBe('REVERSED');
    const visit = await kit.visit(mdtrt_id);
    expect(visit.settlements.filter((s) => s.status === 'settled')).toEqual([]);
    expect(visit.registration.status).toBe('discharged');
  });

  it('2601 of a settlement already cancelled by 2305 is refused as the platform does → REVERSAL_REFUSED', async () => {
    const { mdtrt_id, input } = await readyToSettle();
    await kit.armFault({ infno: '2304', mode: 'timeout-after-apply', latencyMs: HOLD_MS, times: 1 });
    const unknown = await call('2304', input);
    expect(unknown.status).toBe('UNKNOWN');
    const [settlement] = (await kit.visit(mdtrt_id)).settlements;
    expect(
      (await call('2305', exampleInput('2305', { mdtrt_id, setl_id: settlement!.setl_id }))).status,
    ).toBe('SUCCEEDED');

    const reversal = await client.reverse(unknown.msgid);
    expect(reversal).toMatchObject({ status: 'REVERSAL_REFUSED' });
    expect(reversal.err_msg).toContain('冲正的结算信息退费结算标志不为未退费，不能办理冲正交易');
  });

  it('the admin API names the wrong field of a fault and lists and clears armed faults', async () => {
    const bad = await kit.admin<{ message: string }>('POST', '/sim/faults', {
      infno: '2401',
      mode: 'explode',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('fault mode');
    await kit.armFault({ infno: '2304', mode: 'http-5xx' });
    expect((await kit.admin<unknown[]>('GET', '/sim/faults')).json).toEqual([
      expect.objectContaining({ infno: '2304', mode: 'http-5xx' }),
    ]);
    expect((await kit.admin<unknown[]>('DELETE', '/sim/faults')).json).toEqual([]);
  });

  it("the admin API sets the platform's clock, refuses a wrong instant, and goes back to the real time", async () => {
    const bad = await kit.admin<{ message: string }>('POST', '/sim/clock', { at: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('clock: at must be an ISO date-time');
    const set = await kit.admin<{ now: string }>('POST', '/sim/clock', { at: '2026-11-02T09:00:00+08:00' });
    expect(Date.parse(set.json.now) - Date.parse('2026-11-02T01:00:00Z')).toBeLessThan(1_000);
    // The sign-in the client makes is the platform's at its clock.
    const signIn = await call('9001', exampleInput('9001'));
    expect(signIn).toMatchObject({
      status: 'SUCCEEDED',
      output: { signinoutb: { sign_time: expect.stringMatching(/^2026-11-02 09:00:0\d$/) } },
    });
    const real = await kit.admin<{ now: string }>('POST', '/sim/clock', {});
    expect(Math.abs(Date.parse(real.json.now) - Date.now())).toBeLessThan(5_000);
  });
});
