import { type MessageOf } from '@yb/contracts';
import { waitFor } from '@yb/testing';
import Decimal from 'decimal.js';
import { ledgerProblems } from './support/ledger-invariants';
import { AMOXICILLIN, BED, SettlementTestbed, type TestVisit } from './support/settlement-hospital';

// 中途结算 then 出院结算 over the real stack (admission, fee-detail, settlement as child processes, the platform
// simulator, Kafka, PostgreSQL): fee-detail marks the lines each 2304 covered, the final settlement covers only
// the lines charged since, and the simulator takes the deductible (起付线 800 for an employee) once. Amounts are
// compared with the simulator's ledger to the fen.

type SettledData = MessageOf<'Settled'>['data'];

describe('mid-way then final settlement across the services and the platform', () => {
  let testbed: SettlementTestbed;

  beforeAll(async () => {
    testbed = await SettlementTestbed.start({
      label: 'midway',
      services: ['admission', 'fee-detail', 'settlement'],
      serviceEnv: { settlement: { SETTLEMENT_AUDIT_ENABLED: 'false' } },
    });
  }, 180_000);

  afterAll(async () => {
    await testbed?.stop();
  }, 60_000);

  /** The visit's n-th saga settled; its Settled result and fee-detail's FeeLinesSettled for it. */
  async function settledBy(visit: TestVisit, n: number) {
    const end = await testbed.terminal(visit.ipt_no, { saga_id: `setl-${visit.ipt_no}-${n}` });
    expect(end.saga_state).toBe('SETTLED');
    const { data } = await testbed.resultOf(
      'Settled',
      visit.ipt_no,
      (m) => m.data.medins_setl_id === end.msgid,
    );
    const marked = await waitFor(`fee-detail's FeeLinesSettled of ${data.setl_id}`, () =>
      testbed.resultsOf('FeeLinesSettled', visit.ipt_no).find((m) => m.data.setl_id === data.setl_id),
    );
    return { settled: data, marked: marked.data };
  }

  /** Lines charged after the mid-way settlement (536.60), the discharge, and the visit's n-th saga settling `medfee`. */
  async function dischargeSettlement(visit: TestVisit, n: number, medfee_sumamt: string) {
    await visit.chargeOnPlatform(5, [
      [BED, '10', '50'],
      [AMOXICILLIN, '2', '18.3'],
    ]);
    await visit.discharge();
    await visit.requestSettlement('0', medfee_sumamt);
    return settledBy(visit, n);
  }

  /** Our result and the simulator's book of the same settlement agree to the fen. */
  async function expectBooked(settled: SettledData) {
    const { booked, ours, sandbox } = await testbed.asBooked(settled);
    expect(ours).toEqual(sandbox);
    return booked;
  }

  it('mid-way (1000.00), then final (536.60): each covers its own lines, the deductible is taken once', async () => {
    const visit = testbed.visit('MF');
    await visit.admit();
    await visit.chargeOnPlatform(1, [[BED, '20', '50']]);
    await visit.requestSettlement('1');
    const midWay = await settledBy(visit, 1);
    expect(midWay.settled).toMatchObject({ mid_setl_flag: '1', medfee_sumamt: '1000.00' });
    expect(midWay.marked).toMatchObject({ lines_sumamt: '1000.00', needs_person: false });
    expect(midWay.marked.feedetl_sns).toEqual(visit.lines.map((l) => l.feedetl_sn));
    const bookedMidWay = await expectBooked(midWay.settled);
    expect(bookedMidWay.act_pay_dedc).toBe('800.00');

    const final = await dischargeSettlement(visit, 2, '536.60');
    expect(final.settled).toMatchObject({ mid_setl_flag: '0', medfee_sumamt: '536.60' });
    expect(final.marked.feedetl_sns).toEqual(visit.lines.slice(1).map((l) => l.feedetl_sn));
    const bookedFinal = await expectBooked(final.settled);
    // The deductible was used up by the mid-way settlement: none again.
    expect(bookedFinal.act_pay_dedc).toBe('0.00');

    const ledger = await testbed.ledger();
    const mine = ledger.settlements.filter((s) => s.mdtrt_id === final.settled.mdtrt_id);
    expect(mine.map((s) => [s.mid_setl_flag, s.status])).toEqual([
      ['1', 'settled'],
      ['0', 'settled'],
    ]);
    const total = mine.reduce((sum, s) => sum.plus(s.medfee_sumamt), new Decimal(0));
    expect(total.toFixed(2)).toBe(visit.total);
    expect(ledgerProblems(ledger, testbed, [visit.ipt_no])).toEqual([]);
    printEpisode(visit.ipt_no, [midWay.settled, final.settled], mine);
  }, 300_000);

  it('cut at the request: lines charged right after the mid-way request wait for the next settlement', async () => {
    const visit = testbed.visit('MX');
    await visit.admit();
    await visit.chargeOnPlatform(1, [[BED, '20', '50']]);
    const before = visit.lines.map((l) => l.feedetl_sn);
    // The cashier asks for the mid-way settlement of 1000.00 and the ward charges on at once: these lines are on
    // his.inpatient before settlement has even asked fee-detail for the totals, so fee-detail holds them when it
    // answers. They come after the request in the HIS's order, so they are not the mid-way settlement's.
    await visit.requestSettlement('1', '1000.00');
    await visit.charge(2, [
      [BED, '2', '50'],
      [AMOXICILLIN, '2', '18.3'],
    ]);
    const after = visit.lines.map((l) => l.feedetl_sn).filter((sn) => !before.includes(sn));

    const midWay = await settledBy(visit, 1);
    expect(midWay.settled).toMatchObject({ mid_setl_flag: '1', medfee_sumamt: '1000.00' });
    expect(midWay.marked).toMatchObject({ lines_sumamt: '1000.00', needs_person: false });
    expect(midWay.marked.feedetl_sns).toEqual(before);
    const bookedMidWay = await expectBooked(midWay.settled);
    expect(bookedMidWay.medfee_sumamt).toBe('1000.00');
    // The later lines reached the platform only once the mid-way settlement was recorded.
    const uploadedAt = (sn: string) =>
      testbed.results.findIndex(
        (m) =>
          m.type === 'FeeLinesUploaded' &&
          m.key === visit.ipt_no &&
          (m as MessageOf<'FeeLinesUploaded'>).data.lines.some((l) => l.feedetl_sn === sn),
      );
    const settledAt = testbed.results.findIndex(
      (m) =>
        m.type === 'Settled' &&
        m.key === visit.ipt_no &&
        (m as MessageOf<'Settled'>).data.setl_id === midWay.settled.setl_id,
    );
    await waitFor('the later lines on the platform', () =>
      after.every((sn) => uploadedAt(sn) >= 0) ? true : undefined,
    );
    for (const sn of after)
      expect({ sn, afterSettled: uploadedAt(sn) > settledAt }).toEqual({ sn, afterSettled: true });

    await visit.discharge();
    await visit.requestSettlement('0', '136.60');
    const final = await settledBy(visit, 2);
    expect(final.settled).toMatchObject({ mid_setl_flag: '0', medfee_sumamt: '136.60' });
    expect(final.marked.feedetl_sns).toEqual(after);
    await expectBooked(final.settled);
    const ledger = await testbed.ledger();
    const mine = ledger.settlements.filter((s) => s.mdtrt_id === final.settled.mdtrt_id);
    expect(mine.map((s) => [s.mid_setl_flag, s.status, s.medfee_sumamt])).toEqual([
      ['1', 'settled', '1000.00'],
      ['0', 'settled', '136.60'],
    ]);
    expect(ledgerProblems(ledger, testbed, [visit.ipt_no])).toEqual([]);
    printEpisode(visit.ipt_no, [midWay.settled, final.settled], mine);
  }, 300_000);

  it("mid-way, cancelled (2305), then final: the cancelled settlement's lines and deductible count again", async () => {
    const visit = testbed.visit('MC');
    await visit.admit();
    await visit.chargeOnPlatform(1, [[BED, '20', '50']]);
    await visit.requestSettlement('1');
    const midWay = await settledBy(visit, 1);

    await visit.requestCancel('中途结算有误');
    const cancelled = await testbed.terminal(visit.ipt_no, { saga_id: `setl-${visit.ipt_no}-2` });
    expect(cancelled.saga_state).toBe('CANCELLED');
    const unsettled = await waitFor("fee-detail's FeeLinesUnsettled", () =>
      testbed
        .resultsOf('FeeLinesUnsettled', visit.ipt_no)
        .find((m) => m.data.setl_id === midWay.settled.setl_id),
    );
    expect(unsettled.data.feedetl_sns).toEqual(midWay.marked.feedetl_sns);

    const final = await dischargeSettlement(visit, 3, '1536.60');
    expect(final.settled).toMatchObject({ mid_setl_flag: '0', medfee_sumamt: '1536.60' });
    expect(final.marked.feedetl_sns).toEqual(visit.lines.map((l) => l.feedetl_sn));
    const bookedFinal = await expectBooked(final.settled);
    expect(bookedFinal.act_pay_dedc).toBe('800.00');
    const ledger = await testbed.ledger();
    expect(ledger.settlements.find((s) => s.setl_id === midWay.settled.setl_id)?.status).toBe('cancelled');
    expect(ledgerProblems(ledger, testbed, [visit.ipt_no])).toEqual([]);
  }, 300_000);

  it("serves a cashier's requests in order: a cancel and a new request sent before the settlement ended wait for it", async () => {
    const visit = testbed.visit('MQ');
    await visit.admit();
    await visit.chargeOnPlatform(1, [[BED, '20', '50']]);
    // All three at once, as a HIS whose cashier does not wait for the answers.
    await visit.requestSettlement('1');
    await visit.requestCancel('中途结算有误');
    await visit.requestSettlement('1');
    const first = await settledBy(visit, 1);
    const cancelled = await testbed.terminal(visit.ipt_no, { saga_id: `setl-${visit.ipt_no}-2` });
    expect(cancelled.saga_state).toBe('CANCELLED');
    const again = await settledBy(visit, 3);
    expect(again.settled).toMatchObject({ mid_setl_flag: '1', medfee_sumamt: '1000.00' });
    expect(testbed.resultsOf('SettlementRequestRefused', visit.ipt_no)).toEqual([]);
    const ledger = await testbed.ledger();
    const statuses = ledger.settlements
      .filter((s) => s.mdtrt_id === again.settled.mdtrt_id)
      .map((s) => [s.setl_id === first.settled.setl_id ? 'first' : 'again', s.status]);
    expect(statuses).toEqual([
      ['first', 'cancelled'],
      ['again', 'settled'],
    ]);
    expect(ledgerProblems(ledger, testbed, [visit.ipt_no])).toEqual([]);
  }, 300_000);
});

/** The episode's amounts side by side (the closing note's table): ours and the simulator's book. */
function printEpisode(
  ipt_no: string,
  ours: SettledData[],
  booked: {
    setl_id: string;
    medfee_sumamt: string;
    act_pay_dedc: string;
    hifp_pay: string;
    fund_pay_sumamt: string;
    acct_pay: string;
    psn_cash_pay: string;
  }[],
): void {
  const rows = ours.map((s) => {
    const b = booked.find((x) => x.setl_id === s.setl_id)!;
    return `${s.mid_setl_flag} ${s.setl_id} medfee ${s.medfee_sumamt}/${b.medfee_sumamt} dedc -/${b.act_pay_dedc} hifp ${s.hifp_pay}/${b.hifp_pay} fund ${s.fund_pay_sumamt}/${b.fund_pay_sumamt} acct ${s.acct_pay}/${b.acct_pay} cash ${s.psn_cash_pay}/${b.psn_cash_pay}`;
  });
  process.stdout.write(`episode ${ipt_no} (ours/simulator):\n${rows.join('\n')}\n`);
}
