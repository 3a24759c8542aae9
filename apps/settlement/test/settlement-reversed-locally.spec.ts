import { commandTopic, createEnvelope, Topics, type MessageOf, type MessageType } from '@yb/contracts';
import { databaseUrl, waitFor, withClient } from '@yb/testing';
import { ledgerProblems } from './support/ledger-invariants';
import { reverseAtTheCentre } from './support/platform-counter';
import { AMOXICILLIN, BED, SettlementTestbed } from './support/settlement-hospital';

// 本地冲销 across the services on the real Kafka and PostgreSQL (admission, fee-detail, settlement and
// reconciliation as child processes, the platform sandbox): a mid-way settlement (中途结算) is settled, the
// insurance centre reverses it at its counter (2601: the platform no longer holds it), the day's reconciliation
// finds it on our side only, and the billing office reverses it in our books (ReverseSettlementLocally). Then
// settlement's saga leaves SETTLED for REVERSED_LOCALLY, fee-detail unsettles exactly the lines it covered, and
// the discharge settlement of the same visit covers them again, its amounts equal to the sandbox's to the fen.

const operator = { username: 'zhangli', role: 'operator' as const };
const WAIT = { timeoutMs: 90_000, intervalMs: 50 };

describe('a settlement the platform does not hold, reversed in our books, then settled again', () => {
  let testbed: SettlementTestbed;

  beforeAll(async () => {
    testbed = await SettlementTestbed.start({
      label: 'reversed',
      services: ['admission', 'fee-detail', 'settlement', 'reconciliation'],
      serviceEnv: {
        settlement: { SETTLEMENT_AUDIT_ENABLED: 'false' },
        reconciliation: { RECONCILIATION_CRON: 'off' },
      },
      alsoReads: [Topics.reconciliation],
    });
  }, 180_000);

  afterAll(async () => {
    await testbed?.stop();
  }, 60_000);

  const ofType = <T extends MessageType>(type: T): MessageOf<T>[] =>
    testbed.results.filter((m): m is MessageOf<T> => m.type === type);

  /** A command on reconciliation's command topic, keyed by the day (as the dashboard sends it). */
  async function reconciliationCommand(type: MessageType, stmt_date: string, data: object): Promise<void> {
    await testbed.publisher.publish(
      testbed.hospital.topic(commandTopic('reconciliation')),
      createEnvelope({ type, schemaVersion: 1, key: stmt_date, data: { stmt_date, ...data } }),
    );
  }

  /** reconciliation's ledger holds the settlement (it read settlement's Settled): its day may be reconciled. */
  const inReconciliationLedger = (setl_id: string) =>
    waitFor(
      `${setl_id} in reconciliation's ledger`,
      async () => {
        const { rows } = await withClient(databaseUrl(), (c) =>
          c.query(
            `SELECT 1 FROM "${testbed.hospital.schemaOf('reconciliation')}".ledger_rows WHERE setl_id = $1`,
            [setl_id],
          ),
        );
        return rows.length === 1 || undefined;
      },
      WAIT,
    );

  it('reverse a mid-way settlement locally: saga REVERSED_LOCALLY, its lines unsettled, the visit settled again to the fen', async () => {
    const visit = testbed.visit('RL');
    await visit.admit();
    await visit.chargeOnPlatform(1, [[BED, '20', '50']]);
    const midWayLines = visit.lines.map((l) => l.feedetl_sn);
    await visit.requestSettlement('1');
    const midWaySaga = `setl-${visit.ipt_no}-1`;
    expect((await testbed.terminal(visit.ipt_no, { saga_id: midWaySaga })).saga_state).toBe('SETTLED');
    const midWay = (await testbed.resultOf('Settled', visit.ipt_no)).data;
    expect(midWay).toMatchObject({ mid_setl_flag: '1', medfee_sumamt: '1000.00' });
    await waitFor(`fee-detail's FeeLinesSettled of ${midWay.setl_id}`, () =>
      testbed.resultsOf('FeeLinesSettled', visit.ipt_no).find((m) => m.data.setl_id === midWay.setl_id),
    );
    // Lines charged since: never settled, they must stay as they are.
    await visit.chargeOnPlatform(5, [
      [BED, '10', '50'],
      [AMOXICILLIN, '2', '18.3'],
    ]);

    // The centre reverses the settlement at its counter: the platform no longer holds it.
    const [registered] = testbed.resultsOf('AdmissionRegistered', visit.ipt_no);
    await reverseAtTheCentre(testbed.hospital, {
      ipt_no: visit.ipt_no,
      psn_no: registered!.data.psn_no,
      medins_setl_id: midWay.medins_setl_id,
      insuplc_admdvs: '420100',
    });
    expect((await testbed.ledger()).settlements.find((s) => s.setl_id === midWay.setl_id)?.status).toBe(
      'reversed',
    );

    // The day's reconciliation finds it on our side only; the billing office reverses it in our books.
    const stmt_date = midWay.setl_time.slice(0, 10);
    await inReconciliationLedger(midWay.setl_id);
    await reconciliationCommand('ReconcileDay', stmt_date, { requested_by: operator });
    const found = await waitFor(
      `the difference of ${midWay.setl_id}`,
      () => ofType('ReconciliationDifferenceFound').find((m) => m.data.setl_id === midWay.setl_id),
      WAIT,
    );
    expect(found.data).toMatchObject({
      kind: 'HOSPITAL_ONLY',
      suggested_action: 'CHECK_AND_RESEND_OR_REVERSE',
    });
    await reconciliationCommand('ReverseSettlementLocally', stmt_date, {
      setl_id: midWay.setl_id,
      reason: '中心窗口已撤销该结算',
      requested_by: operator,
    });

    // settlement: the mid-way saga leaves SETTLED for REVERSED_LOCALLY, with who and why.
    const reversedEntry = await waitFor(
      `${midWaySaga} REVERSED_LOCALLY`,
      () =>
        testbed
          .timeline(visit.ipt_no, midWaySaga)
          .find((e) => e.step === 'LOCAL_REVERSAL' && e.saga_state === 'REVERSED_LOCALLY'),
      WAIT,
    );
    expect(reversedEntry.detail).toContain('zhangli');
    expect(reversedEntry.detail).toContain('中心窗口已撤销该结算');
    const recorded = await testbed.resultOf('SettlementLocalReversalRecorded', visit.ipt_no);
    expect(recorded.data).toMatchObject({
      saga_id: midWaySaga,
      setl_id: midWay.setl_id,
      mid_setl_flag: '1',
      stmt_date,
      reversed_by: operator,
    });
    // fee-detail: exactly the lines that settlement covered are unsettled again.
    const unsettled = await waitFor(
      `fee-detail's FeeLinesUnsettled of ${midWay.setl_id}`,
      () =>
        testbed.resultsOf('FeeLinesUnsettled', visit.ipt_no).find((m) => m.data.setl_id === midWay.setl_id),
      WAIT,
    );
    expect(unsettled.data.feedetl_sns).toEqual(midWayLines);

    // The discharge settlement of the same visit covers every line again (1000.00 + 536.60).
    await visit.discharge();
    await visit.requestSettlement('0', '1536.60');
    const finalSaga = `setl-${visit.ipt_no}-2`;
    expect((await testbed.terminal(visit.ipt_no, { saga_id: finalSaga })).saga_state).toBe('SETTLED');
    const final = (await testbed.resultOf('Settled', visit.ipt_no, (m) => m.data.setl_id !== midWay.setl_id))
      .data;
    expect(final).toMatchObject({ mid_setl_flag: '0', medfee_sumamt: '1536.60' });
    const marked = await waitFor(`fee-detail's FeeLinesSettled of ${final.setl_id}`, () =>
      testbed.resultsOf('FeeLinesSettled', visit.ipt_no).find((m) => m.data.setl_id === final.setl_id),
    );
    expect(marked.data.feedetl_sns).toEqual(visit.lines.map((l) => l.feedetl_sn));

    const { booked, ours, sandbox } = await testbed.asBooked(final);
    expect(ours).toEqual(sandbox);
    // The reversed settlement took no deductible on the platform: the discharge settlement takes it.
    expect(booked.act_pay_dedc).toBe('800.00');
    expect(testbed.resultsOf('SettlementRequestRefused', visit.ipt_no)).toEqual([]);
    expect(ledgerProblems(await testbed.ledger(), testbed, [visit.ipt_no])).toEqual([]);
    process.stdout.write(
      `reversed locally ${midWay.setl_id} (1000.00), then settled ${final.setl_id}: ours/sandbox ` +
        `medfee ${final.medfee_sumamt}/${booked.medfee_sumamt} fund ${final.fund_pay_sumamt}/${booked.fund_pay_sumamt} ` +
        `acct ${final.acct_pay}/${booked.acct_pay} cash ${final.psn_cash_pay}/${booked.psn_cash_pay} dedc ${booked.act_pay_dedc}\n`,
    );
  }, 400_000);
});
