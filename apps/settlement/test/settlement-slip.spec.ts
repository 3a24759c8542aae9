import { waitFor } from '@yb/testing';
import { SettlementTestbed } from './support/settlement-hospital';

// YH03 结算单据打印 after 2304 over the real stack (admission, fee-detail, settlement as child processes, the
// platform simulator, Kafka, PostgreSQL): the platform's slip is fetched (YH03, then 9102) and published beside the
// settlement; a refused or unanswered YH03 never touches the settlement and is asked again.

describe("the platform's settlement slip (YH03) after a settlement", () => {
  let testbed: SettlementTestbed;

  beforeAll(async () => {
    testbed = await SettlementTestbed.start({
      label: 'slip',
      services: ['admission', 'fee-detail', 'settlement'],
      serviceEnv: {
        settlement: { SETTLEMENT_AUDIT_ENABLED: 'false', SETTLEMENT_SLIP_RETRY_MS: '300' },
      },
    });
  }, 180_000);

  afterAll(async () => {
    await testbed?.stop();
  }, 60_000);

  async function settledVisit(label: string) {
    const visit = testbed.visit(label);
    await visit.admitAndCharge();
    await visit.discharge();
    await visit.requestSettlement('0');
    const end = await testbed.terminal(visit.ipt_no);
    expect(end.saga_state).toBe('SETTLED');
    return { visit, settled: (await testbed.resultOf('Settled', visit.ipt_no)).data };
  }

  it("fetches the platform's slip of the settlement: its document, as the sandbox's books have it", async () => {
    const { visit, settled } = await settledVisit('P');
    const printed = await waitFor(
      "the platform's slip",
      () => testbed.resultsOf('PlatformSlipPrinted', visit.ipt_no)[0],
    );
    expect(printed.data).toMatchObject({
      setl_id: settled.setl_id,
      mdtrt_id: settled.mdtrt_id,
      filename: `${settled.setl_id}.html`,
      content_type: 'text/html; charset=utf-8',
    });
    const slip = Buffer.from(printed.data.document_base64, 'base64').toString('utf8');
    expect(slip).toContain(settled.setl_id);
    expect(slip).toContain(`<th>医疗费总额</th><td>${settled.medfee_sumamt}</td>`);
    const ledger = await testbed.ledger();
    const calls = ledger.messages.filter((m) => m.msgid === printed.data.msgid);
    expect(calls).toEqual([expect.objectContaining({ infno: 'YH03', infcode: 0 })]);
  }, 180_000);

  it('a refused YH03 leaves the settlement standing, is said for a person and asked again until printed', async () => {
    await testbed.hospital.sim.admin('POST', '/sim/faults', {
      infno: 'YH03',
      mode: 'reject',
      times: 2,
      errMsg: '模拟拒绝: 打印服务暂不可用',
    });
    const { visit, settled } = await settledVisit('R');
    const printed = await waitFor(
      "the platform's slip after two refusals",
      () => testbed.resultsOf('PlatformSlipPrinted', visit.ipt_no)[0],
    );
    expect(printed.data.setl_id).toBe(settled.setl_id);
    const unavailable = testbed.resultsOf('PlatformSlipUnavailable', visit.ipt_no).map((m) => m.data);
    expect(unavailable).toEqual([
      expect.objectContaining({
        setl_id: settled.setl_id,
        attempts: 1,
        retrying: true,
        reason: expect.stringContaining('打印服务暂不可用'),
      }),
      expect.objectContaining({ attempts: 2, retrying: true }),
    ]);
    // The settlement is as it was: one, standing, and the saga never heard of the slip.
    const ledger = await testbed.ledger();
    expect(ledger.settlements.filter((s) => s.setl_id === settled.setl_id).map((s) => s.status)).toEqual([
      'settled',
    ]);
    expect(testbed.resultsOf('SettlementFailed', visit.ipt_no)).toEqual([]);
  }, 180_000);
});
