import { randomUUID } from 'node:crypto';
import { commandTopic, DeadLetterHeaders, dlqTopic, Topics } from '@yb/contracts';
import { deadLetterPayload } from '@yb/messaging';
import { databaseUrl, type HospitalServices, testKafka, uniqueName, waitFor, withClient } from '@yb/testing';
import { type KafkaMessage } from 'kafkajs';
import Decimal from 'decimal.js';
import { type HospitalCashier, type PlatformSettlement } from './support/hospital-cashier';
import {
  operator,
  type ReconciliationHarness,
  startReconciliation,
  WAIT,
} from './support/reconciliation-harness';

// reconciliation as production runs it (a child process on the real Kafka and PostgreSQL) against the platform
// sandbox. The test is the cashier and the settlement saga: it settles visits on the sandbox with the
// platform client and publishes the Settled results it chooses, so that the platform and our ledger differ
// exactly as a lost 2304 answer, a refund at another till, a settlement never applied and a fen would make them;
// then it is the insurance office's person adopting the platform's amounts and reversing a row in our books.

describe('reconciliation: 对总账 / 对明细账 with the platform sandbox', () => {
  const run = String(Date.now()).slice(-6);
  let hospital: HospitalServices;
  let cashier: HospitalCashier;
  let harness: ReconciliationHarness;
  let stmt_date = '';

  const ofType: ReconciliationHarness['ofType'] = (type) => harness.ofType(type);
  const publishSettled = (s: PlatformSettlement, changes: Partial<PlatformSettlement['settled']> = {}) =>
    harness.publishSettled(s, changes);
  const reconcile = (runNo: number) => harness.reconcile(stmt_date, runNo);
  const ledgerHolds = (rows: number) => harness.ledgerHolds(rows);
  const checksOf = (runNo: number) =>
    ofType('ReconciliationGroupChecked').filter((m) => m.data.run === runNo);
  const differencesOf = (runNo: number) =>
    ofType('ReconciliationDifferenceFound').filter((m) => m.data.run === runNo);
  const sum = (values: string[]) => values.reduce((t, v) => t.plus(v), new Decimal(0)).toFixed(2);

  beforeAll(async () => {
    ({ hospital, cashier, harness } = await startReconciliation('reconciliation', [Topics.reconciliation]));
  }, 180_000);

  afterAll(async () => {
    await harness?.stop();
    await cashier?.stop();
    await hospital?.stop();
  }, 60_000);

  const settled: Record<string, PlatformSettlement> = {};
  let neverApplied = '';
  let toReverse = '';
  let fundBeforeAdoption = '';

  it('balances a day whose every settlement reached us, with our totals to the fen', async () => {
    for (const [name, cnt] of [
      ['A', 2],
      ['B', 3],
    ] as const) {
      const { settlement } = await cashier.settle(`ZR${name}${run}`, cnt);
      settled[name] = settlement!;
      await publishSettled(settlement!);
    }
    stmt_date = settled.A.settled.setl_time.slice(0, 10);
    await ledgerHolds(2);
    // The person number is sealed at rest (the test keyring), the row's other fields stay queryable.
    const { rows: stored } = await withClient(databaseUrl(), (c) =>
      c.query(`SELECT row FROM "${hospital.schemaOf('reconciliation')}".ledger_rows`),
    );
    for (const { row } of stored) {
      expect(row.psn_no).toMatchObject({ enc: 'A256GCM' });
      expect(row.setl_id).toEqual(expect.any(String));
    }

    const completed = await reconcile(1);
    expect(completed.data).toMatchObject({ groups: 1, balanced: 1, differences: 0, open_differences: 0 });
    const [check] = checksOf(1);
    expect(check.data).toMatchObject({
      insutype: '310',
      clr_type: '21',
      setl_optins: settled.A.settled.clr_optins,
      balanced: true,
      stmt_rslt: '0',
      ours: {
        fixmedins_setl_cnt: 2,
        medfee_sumamt: '216.00',
        fund_pay_sumamt: sum([settled.A.settled.fund_pay_sumamt, settled.B.settled.fund_pay_sumamt]),
        acct_pay: sum([settled.A.settled.acct_pay, settled.B.settled.acct_pay]),
      },
    });
  }, 180_000);

  it('finds a lost 2304 answer, a refund made elsewhere, a settlement never applied and a fen, and repairs what it may', async () => {
    // C: the platform settles, the answer never comes back (the client's outcome is UNKNOWN); nothing published.
    await hospital.sim.admin('POST', '/sim/faults', {
      infno: '2304',
      mode: 'timeout-after-apply',
      times: 1,
      latencyMs: 3_000,
    });
    const lost = await cashier.settle(`ZRC${run}`, 4);
    expect(lost.settlement).toBeUndefined();
    // D: our record says the funds paid a fen less than the platform's.
    settled.D = (await cashier.settle(`ZRD${run}`, 5)).settlement!;
    const fundOff = new Decimal(settled.D.settled.fund_pay_sumamt).minus('0.01').toFixed(2);
    await publishSettled(settled.D, { fund_pay_sumamt: fundOff });
    // E: settled and recorded, then refunded at the platform without our hearing of it.
    settled.E = (await cashier.settle(`ZRE${run}`, 1)).settlement!;
    await publishSettled(settled.E);
    await cashier.cancel(settled.E);
    // F: a settlement we recorded that the platform never applied.
    neverApplied = `X${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    await publishSettled(
      { ...settled.A, ipt_no: `ZRF${run}` },
      { ipt_no: `ZRF${run}`, setl_id: neverApplied },
    );
    // G: another, which a person will reverse in our books.
    toReverse = `X${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    await publishSettled({ ...settled.B, ipt_no: `ZRG${run}` }, { ipt_no: `ZRG${run}`, setl_id: toReverse });

    await ledgerHolds(6);
    const completed = await reconcile(2);
    expect(completed.data).toMatchObject({ groups: 1, balanced: 0, differences: 5, open_differences: 3 });
    expect(checksOf(2)[0].data.stmt_rslt_dscr).toContain('基金支付总额');
    const found = new Map(differencesOf(2).map((m) => [m.data.msgid ?? m.data.setl_id, m.data]));
    const lostRow = found.get(lost.msgid);
    expect(lostRow).toMatchObject({
      kind: 'PLATFORM_ONLY',
      suggested_action: 'ADOPT_PLATFORM_RECORD',
      refd_setl_flag: '0',
    });
    expect(lostRow?.platform?.medfee_sumamt).toBe('172.80');
    const refund = differencesOf(2).find(
      (m) => m.data.kind === 'PLATFORM_ONLY' && m.data.refd_setl_flag === '1',
    );
    expect(refund?.data.platform).toMatchObject({ medfee_sumamt: '-43.20' });
    expect(found.get(settled.D.msgid)).toMatchObject({
      kind: 'AMOUNTS_DIFFER',
      suggested_action: 'CHECK_AMOUNTS',
      ours: { fund_pay_sumamt: fundOff },
      platform: { fund_pay_sumamt: settled.D.settled.fund_pay_sumamt },
    });
    for (const setl_id of [neverApplied, toReverse])
      expect(found.get(setl_id)).toMatchObject({
        kind: 'HOSPITAL_ONLY',
        suggested_action: 'CHECK_AND_RESEND_OR_REVERSE',
      });
    // The platform's records of the lost settlement and of the refund were looked up (5203) and adopted.
    const resolved = ofType('ReconciliationDifferenceResolved').map((m) => m.data.setl_id);
    expect(resolved.sort()).toEqual([lostRow!.setl_id, refund!.data.setl_id].sort());

    // The next run finds only what needs a person; our totals now hold the adopted rows to the fen.
    const again = await reconcile(3);
    expect(again.data).toMatchObject({ balanced: 0, differences: 3, open_differences: 3 });
    expect(
      differencesOf(3)
        .map((m) => m.data.kind)
        .sort(),
    ).toEqual(['AMOUNTS_DIFFER', 'HOSPITAL_ONLY', 'HOSPITAL_ONLY']);
    // A person explains the settlement the platform never applied: resolved with who and why.
    await harness.command('ExplainReconciliationDifference', stmt_date, {
      setl_id: neverApplied,
      explanation: '测试数据，中心无此结算',
      requested_by: operator,
    });
    const explained = await waitFor(
      'the explanation',
      () => ofType('ReconciliationDifferenceResolved').find((m) => m.data.setl_id === neverApplied),
      WAIT,
    );
    expect(explained.data).toMatchObject({ resolution: 'EXPLAINED', resolved_by: 'zhangli' });
    const medfees = [
      ...Object.values(settled).map((s) => s.settled.medfee_sumamt),
      '172.80',
      '-43.20',
      settled.A.settled.medfee_sumamt,
      settled.B.settled.medfee_sumamt,
    ];
    expect(checksOf(3)[0].data.ours).toMatchObject({ fixmedins_setl_cnt: 8, medfee_sumamt: sum(medfees) });
    fundBeforeAdoption = checksOf(3)[0].data.ours.fund_pay_sumamt;
  }, 240_000);

  it("lets a person adopt the platform's amounts and reverse a settlement in our books, each recorded with who", async () => {
    const schema = hospital.schemaOf('reconciliation');
    const resolutionOf = (setl_id: string) =>
      waitFor(
        `the resolution of ${setl_id}`,
        () => ofType('ReconciliationDifferenceResolved').find((m) => m.data.setl_id === setl_id),
        WAIT,
      );
    const ledgerRow = async (setl_id: string) =>
      (
        await withClient(databaseUrl(), (c) =>
          c.query(`SELECT fund_pay_sumamt::text AS fund FROM "${schema}".ledger_rows WHERE setl_id = $1`, [
            setl_id,
          ]),
        )
      ).rows[0] as { fund: string } | undefined;

    // An action of another kind's difference is dead-lettered with the reason, nothing recorded.
    const kafka = testKafka();
    const dlq = kafka.consumer({ groupId: uniqueName('reconciliation-dlq'), maxWaitTimeInMs: 200 });
    const deadLetters: KafkaMessage[] = [];
    await harness.command('AdoptPlatformAmounts', stmt_date, {
      setl_id: neverApplied,
      requested_by: operator,
    });
    const dlqName = dlqTopic(hospital.topic(commandTopic('reconciliation')));
    await waitFor(
      'the dead-letter topic',
      async () => {
        const admin = kafka.admin();
        await admin.connect();
        return (await admin.listTopics().finally(() => admin.disconnect())).includes(dlqName) || undefined;
      },
      WAIT,
    );
    await dlq.connect();
    try {
      await dlq.subscribe({ topic: dlqName, fromBeginning: true });
      await dlq.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
      const dead = await waitFor(
        'the refused adoption',
        () => deadLetters.find((m) => deadLetterPayload(m)?.toString().includes('AdoptPlatformAmounts')),
        WAIT,
      );
      expect(dead.headers?.[DeadLetterHeaders.reason]?.toString()).toContain(
        `settlement ${neverApplied} is HOSPITAL_ONLY; ADOPTED applies to AMOUNTS_DIFFER only`,
      );
    } finally {
      await dlq.disconnect();
    }

    // D (AMOUNTS_DIFFER): 5203 gives the platform's amounts, our ledger takes them, both sides kept with who.
    const d = settled.D.settled;
    await harness.command('AdoptPlatformAmounts', stmt_date, { setl_id: d.setl_id, requested_by: operator });
    expect((await resolutionOf(d.setl_id)).data).toMatchObject({
      resolution: 'ADOPTED',
      resolved_by: 'zhangli',
      role: 'operator',
    });
    // The ledger's table follows the visit's stream (its projection), a moment after the resolution.
    await waitFor(
      "D's row at the platform's amounts",
      async () => ((await ledgerRow(d.setl_id))?.fund === d.fund_pay_sumamt ? true : undefined),
      WAIT,
    );
    const {
      rows: [adopted],
    } = await withClient(databaseUrl(), (c) =>
      c.query(
        `SELECT data FROM "${schema}".events WHERE type = 'SettlementAmountsAdopted' AND data->>'setl_id' = $1`,
        [d.setl_id],
      ),
    );
    expect(adopted.data).toMatchObject({
      ours: { fund_pay_sumamt: new Decimal(d.fund_pay_sumamt).minus('0.01').toFixed(2) },
      platform: { fund_pay_sumamt: d.fund_pay_sumamt, medfee_sumamt: d.medfee_sumamt },
      adopted_by: operator,
      adopted_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    });

    // G (HOSPITAL_ONLY): reversed in our books with the reason and who; the saga is told; nothing sent.
    await harness.command('ReverseSettlementLocally', stmt_date, {
      setl_id: toReverse,
      reason: '中心窗口已撤销',
      requested_by: operator,
    });
    expect((await resolutionOf(toReverse)).data).toMatchObject({
      resolution: 'REVERSED_LOCALLY',
      resolved_by: 'zhangli',
      role: 'operator',
      explanation: '中心窗口已撤销',
    });
    const told = await waitFor(
      'SettlementReversedLocally',
      () => ofType('SettlementReversedLocally').find((m) => m.data.setl_id === toReverse),
      WAIT,
    );
    expect(told.data).toMatchObject({
      ipt_no: `ZRG${run}`,
      mdtrt_id: settled.B.settled.mdtrt_id,
      refd_setl_flag: '0',
      reason: '中心窗口已撤销',
      reversed_by: operator,
    });
    await waitFor('G out of our totals', async () => ((await ledgerRow(toReverse)) ? undefined : true), WAIT);

    // The next run finds only the settlement explained (explained, not repaired: a new finding, open again);
    // our fund total is the platform's now, G out of it.
    const after = await reconcile(4);
    expect(after.data).toMatchObject({ groups: 1, balanced: 0, differences: 1, open_differences: 1 });
    expect(differencesOf(4).map((m) => m.data.setl_id)).toEqual([neverApplied]);
    expect(checksOf(4)[0].data.ours).toMatchObject({
      fixmedins_setl_cnt: 7,
      fund_pay_sumamt: new Decimal(fundBeforeAdoption)
        .plus('0.01')
        .minus(settled.B.settled.fund_pay_sumamt)
        .toFixed(2),
    });
  }, 240_000);
});
