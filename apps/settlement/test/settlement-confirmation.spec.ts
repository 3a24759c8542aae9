import { commandTopic, createEnvelope, operatorExample } from '@yb/contracts';
import { waitFor } from '@yb/testing';
import { SettlementTestbed, type TestVisit } from './support/settlement-hospital';

// The cashier's confirmation of 2303's split over the real stack (admission, fee-detail, settlement as child
// processes, the platform simulator, Kafka, PostgreSQL): the saga waits in AWAITING_CONFIRMATION; the HIS
// (PreSettlementConfirmed on his.inpatient) or an operator (ConfirmPreSettlement) confirms or cancels; a
// deadline nobody met is a failure a person sees, and the platform never sees a 2304 nobody confirmed.

describe('pre-settlement confirmation across the services and the platform', () => {
  let testbed: SettlementTestbed;

  beforeAll(async () => {
    testbed = await SettlementTestbed.start({
      label: 'confirm',
      services: ['admission', 'fee-detail', 'settlement'],
      serviceEnv: {
        settlement: {
          SETTLEMENT_AUDIT_ENABLED: 'false',
          SETTLEMENT_CONFIRMATION: 'true',
          SETTLEMENT_CONFIRMATION_TIMEOUT_MS: '4000',
          SETTLEMENT_STEP_TIMEOUT_MS: '30000',
          SETTLEMENT_SWEEP_INTERVAL_MS: '200',
        },
      },
    });
  }, 180_000);

  afterAll(async () => {
    await testbed?.stop();
  }, 60_000);

  /** A discharged visit whose settlement request waits for the cashier; the waiting entry. */
  async function awaitingConfirmation(label: string): Promise<{ visit: TestVisit; saga_id: string }> {
    const visit = testbed.visit(label);
    await visit.admitAndCharge();
    await visit.discharge();
    await visit.requestSettlement('0');
    const waiting = await waitFor(`${visit.ipt_no} awaiting confirmation`, () =>
      testbed.timeline(visit.ipt_no).find((e) => e.saga_state === 'AWAITING_CONFIRMATION'),
    );
    expect(waiting).toMatchObject({ step: 'CONFIRMATION', status: 'WAITING_FOR_PERSON' });
    // The split the cashier confirms was published with it (PreSettled), and nothing was applied yet.
    const [preSettled] = testbed.resultsOf('PreSettled', visit.ipt_no);
    expect(waiting.detail).toContain(`基金 ${preSettled!.data.fund_pay_sumamt}`);
    const ledger = await testbed.ledger();
    const mdtrt_id = preSettled!.data.mdtrt_id;
    expect(ledger.settlements.filter((s) => s.mdtrt_id === mdtrt_id)).toEqual([]);
    expect(ledger.registrations.find((r) => r.mdtrt_id === mdtrt_id)?.status).toBe('admitted');
    return { visit, saga_id: waiting.saga_id };
  }

  const hisDecision = (visit: TestVisit, data: Record<string, unknown>) =>
    testbed.publisher.publish(
      testbed.hospital.topics.hisInpatient,
      createEnvelope({
        type: 'PreSettlementConfirmed',
        schemaVersion: 1,
        key: visit.ipt_no,
        data: { ipt_no: visit.ipt_no, ...data },
      }),
    );

  it('the HIS confirms (PreSettlementConfirmed): 2402 and 2304 follow, settled as pre-settled', async () => {
    const { visit } = await awaitingConfirmation('H');
    await hisDecision(visit, { decision: 'CONFIRM', cashier: 'SF001' });
    expect((await testbed.terminal(visit.ipt_no)).saga_state).toBe('SETTLED');
    const confirmed = testbed
      .timeline(visit.ipt_no)
      .find((e) => e.step === 'CONFIRMATION' && e.status === 'SUCCEEDED');
    expect(confirmed?.detail).toContain('收费员 SF001 确认预结算 (使用个人账户)');
    const settled = await testbed.resultOf('Settled', visit.ipt_no);
    const [preSettled] = testbed.resultsOf('PreSettled', visit.ipt_no);
    expect(settled.data.fund_pay_sumamt).toBe(preSettled!.data.fund_pay_sumamt);
    expect(settled!.data.acct_pay).toBe(preSettled!.data.acct_pay);
  }, 180_000);

  it('an operator confirms without the personal account: 2303 again, confirmed again, settled all in cash', async () => {
    const { visit, saga_id } = await awaitingConfirmation('O');
    const confirm = () =>
      testbed.publisher.publish(
        testbed.hospital.topic(commandTopic('settlement')),
        createEnvelope({
          type: 'ConfirmPreSettlement',
          schemaVersion: 1,
          key: visit.ipt_no,
          data: {
            ipt_no: visit.ipt_no,
            saga_id,
            decision: 'CONFIRM',
            acct_used_flag: '0',
            requested_by: operatorExample,
          },
        }),
      );
    await confirm();
    await waitFor('the second 2303', () =>
      testbed.resultsOf('PreSettled', visit.ipt_no).length === 2 ? true : undefined,
    );
    await waitFor('asked again', () =>
      testbed.timeline(visit.ipt_no).filter((e) => e.saga_state === 'AWAITING_CONFIRMATION').length === 2
        ? true
        : undefined,
    );
    expect(testbed.resultsOf('PreSettled', visit.ipt_no)[1]!.data.acct_pay).toBe('0.00');
    await confirm();
    expect((await testbed.terminal(visit.ipt_no)).saga_state).toBe('SETTLED');
    const settled = await testbed.resultOf('Settled', visit.ipt_no);
    expect(settled.data.acct_pay).toBe('0.00');
    const ledger = await testbed.ledger();
    expect(ledger.settlements.find((s) => s.setl_id === settled!.data.setl_id)?.acct_pay).toBe('0.00');
  }, 180_000);

  it('the HIS cancels: the saga ends CANCELLED, the platform saw no 2402 and no 2304', async () => {
    const { visit } = await awaitingConfirmation('C');
    await hisDecision(visit, { decision: 'CANCEL', cashier: 'SF002', reason: '患者对费用有异议' });
    const end = await testbed.terminal(visit.ipt_no);
    expect(end.saga_state).toBe('CANCELLED');
    const [preSettled] = testbed.resultsOf('PreSettled', visit.ipt_no);
    const ledger = await testbed.ledger();
    expect(ledger.settlements.filter((s) => s.mdtrt_id === preSettled!.data.mdtrt_id)).toEqual([]);
    expect(ledger.registrations.find((r) => r.mdtrt_id === preSettled!.data.mdtrt_id)?.status).toBe(
      'admitted',
    );
  }, 180_000);

  it('nobody confirms in time: SettlementFailed for a person, never a silent 2304', async () => {
    const { visit } = await awaitingConfirmation('T');
    const end = await testbed.terminal(visit.ipt_no, { timeoutMs: 60_000 });
    expect(end).toMatchObject({ saga_state: 'FAILED', step: 'CONFIRMATION', status: 'TIMED_OUT' });
    const [failed] = await waitFor('SettlementFailed', () => {
      const found = testbed.resultsOf('SettlementFailed', visit.ipt_no);
      return found.length > 0 ? found : undefined;
    });
    expect(failed!.data).toMatchObject({ step: 'CONFIRMATION', needs_person: true });
    expect(failed!.data.reason).toContain('无人确认');
    const [preSettled] = testbed.resultsOf('PreSettled', visit.ipt_no);
    const ledger = await testbed.ledger();
    expect(ledger.settlements.filter((s) => s.mdtrt_id === preSettled!.data.mdtrt_id)).toEqual([]);
  }, 180_000);
});
