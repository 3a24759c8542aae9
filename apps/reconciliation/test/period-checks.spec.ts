import { randomUUID } from 'node:crypto';
import { Topics, type MessageOf } from '@yb/contracts';
import { type HospitalServices, waitFor } from '@yb/testing';
import Decimal from 'decimal.js';
import { CROSS_AREA_PATIENT, type HospitalCashier } from './support/hospital-cashier';
import {
  operator,
  type ReconciliationHarness,
  startReconciliation,
  WAIT,
} from './support/reconciliation-harness';

// Hubei's period checks (5262 本地 / 5267 异地) as production runs them (a child process on the real Kafka and
// PostgreSQL) against the platform sandbox, which lists the window's settlements from its own books. The test
// is the cashier and the settlement saga (as in reconciliation.spec): it decides which results reach us.

describe("reconciliation: Hubei's period checks 5262 / 5267 with the platform sandbox", () => {
  const run = String(Date.now()).slice(-6);
  let hospital: HospitalServices;
  let cashier: HospitalCashier;
  let harness: ReconciliationHarness;

  beforeAll(async () => {
    ({ hospital, cashier, harness } = await startReconciliation('reconciliation-periods', [
      Topics.reconciliation,
    ]));
  }, 180_000);

  afterAll(async () => {
    await harness?.stop();
    await cashier?.stop();
    await hospital?.stop();
  }, 60_000);

  const differencesOf = (runNo: number) =>
    harness.ofType('ReconciliationDifferenceFound').filter((m) => m.data.run === runNo);

  /** A run of the day asking only `checks`, as the dashboard's buttons ask it; its end. */
  async function check(
    stmt_date: string,
    runNo: number,
    checks: string[],
  ): Promise<MessageOf<'ReconciliationCompleted'>> {
    await harness.command('ReconcileDay', stmt_date, { requested_by: operator, checks });
    return waitFor(
      `run ${runNo} (${checks.join(', ')}) of ${stmt_date}`,
      () => harness.ofType('ReconciliationCompleted').find((m) => m.data.run === runNo),
      WAIT,
    );
  }

  it('5262 finds the lost answer of a local settlement (adopted after 5203) and 5267 the 异地 differences, each only its own', async () => {
    // Both sides agree on one local and one 异地 settlement.
    const local = (await cashier.settle(`ZPA${run}`, 2)).settlement!;
    await harness.publishSettled(local);
    const crossArea = (await cashier.settle(`ZPB${run}`, 3, CROSS_AREA_PATIENT)).settlement!;
    expect(crossArea.settled.clr_optins).toBe(CROSS_AREA_PATIENT.insuplc_admdvs);
    await harness.publishSettled(crossArea);
    const stmt_date = local.settled.setl_time.slice(0, 10);
    // Local: the platform settles, the answer never comes back; nothing published.
    await hospital.sim.admin('POST', '/sim/faults', {
      infno: '2304',
      mode: 'timeout-after-apply',
      times: 1,
      latencyMs: 3_000,
    });
    const lost = await cashier.settle(`ZPC${run}`, 4);
    expect(lost.settlement).toBeUndefined();
    // 异地: our record says the funds paid a fen less; and a settlement the platform never applied.
    const fenOff = (await cashier.settle(`ZPD${run}`, 5, CROSS_AREA_PATIENT)).settlement!;
    const fundOff = new Decimal(fenOff.settled.fund_pay_sumamt).minus('0.01').toFixed(2);
    await harness.publishSettled(fenOff, { fund_pay_sumamt: fundOff });
    const neverApplied = `X${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    await harness.publishSettled(
      { ...crossArea, ipt_no: `ZPE${run}` },
      { ipt_no: `ZPE${run}`, setl_id: neverApplied },
    );
    await harness.ledgerHolds(4);

    // 5262: only our own area's rows: the lost settlement, nothing of the 异地 ones.
    const first = await check(stmt_date, 1, ['5262']);
    expect(first.data).toMatchObject({ groups: 0, differences: 1, open_differences: 0 });
    const [lostRow] = differencesOf(1).map((m) => m.data);
    expect(lostRow).toMatchObject({
      kind: 'PLATFORM_ONLY',
      suggested_action: 'ADOPT_PLATFORM_RECORD',
      found_by: '5262',
      msgid: lost.msgid,
      setl_optins: local.settled.clr_optins,
      platform: { medfee_sumamt: '172.80' },
    });
    const adopted = await waitFor(
      'the lost settlement adopted',
      () =>
        harness.ofType('ReconciliationDifferenceResolved').find((m) => m.data.setl_id === lostRow.setl_id),
      WAIT,
    );
    expect(adopted.data).toMatchObject({
      resolution: 'PLATFORM_RECORD_ADOPTED',
      resolved_by: 'reconciliation',
    });
    // No 3201 was asked in a period check's run.
    expect(harness.ofType('ReconciliationGroupChecked')).toHaveLength(0);

    // 5267: only the 异地 rows: a fen apart, and ours alone.
    const second = await check(stmt_date, 2, ['5267']);
    expect(second.data).toMatchObject({ differences: 2, open_differences: 2 });
    const found = new Map(differencesOf(2).map((m) => [m.data.setl_id, m.data]));
    expect(found.get(fenOff.setl_id)).toMatchObject({
      kind: 'AMOUNTS_DIFFER',
      found_by: '5267',
      setl_optins: CROSS_AREA_PATIENT.insuplc_admdvs,
      ours: { fund_pay_sumamt: fundOff },
      platform: { fund_pay_sumamt: fenOff.settled.fund_pay_sumamt },
    });
    expect(found.get(neverApplied)).toMatchObject({
      kind: 'HOSPITAL_ONLY',
      suggested_action: 'CHECK_AND_RESEND_OR_REVERSE',
      found_by: '5267',
    });

    // The adopted row is in our ledger now: 5262 agrees with the platform to the fen.
    const third = await check(stmt_date, 3, ['5262']);
    expect(third.data).toMatchObject({ differences: 0, open_differences: 0 });
  }, 240_000);
});
