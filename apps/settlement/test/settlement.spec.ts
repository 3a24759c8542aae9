import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { commandTopic, createEnvelope, DeadLetterHeaders, dlqTopic, operatorExample } from '@yb/contracts';
import { deadLetterPayload } from '@yb/messaging';
import { databaseUrl, testKafka, uniqueName, waitFor, withClient } from '@yb/testing';
import { type KafkaMessage } from 'kafkajs';
import Decimal from 'decimal.js';
import { ledgerProblems, printTable } from './support/ledger-invariants';
import {
  AMOXICILLIN,
  BED,
  SettlementTestbed,
  type TerminalState,
  type TestVisit,
} from './support/settlement-hospital';

// The saga over the real stack: admission, fee-detail, quality (when it exists) and settlement as child
// processes, the platform simulator, Kafka and PostgreSQL; results on insurance.inpatient compared with the
// simulator's ledger. One hospital for the whole file.

const QUALITY = existsSync(join(__dirname, '../../quality/src/main.ts'));
const FAULT_MODES = [
  'timeout-after-apply',
  'timeout-before-apply',
  'http-5xx',
  'connection-reset',
  'reject',
] as const;
type FaultMode = (typeof FAULT_MODES)[number];
// The client gives up after 1.5 s; held answers come 3 s late.
const CLIENT_TIMEOUT_MS = 1500;
const HOLD_MS = 3000;

describe('the settlement saga across the services and the platform', () => {
  let testbed: SettlementTestbed;

  const arm = (infno: string, mode: FaultMode) =>
    testbed.hospital.sim.admin('POST', '/sim/faults', {
      infno,
      mode,
      times: 1,
      latencyMs: HOLD_MS,
      ...(mode === 'reject' && { errMsg: `模拟拒绝: ${infno}` }),
    });
  const clearFaults = () => testbed.hospital.sim.admin('DELETE', '/sim/faults');

  /** A visit admitted, charged (lines on the platform) and discharged at the HIS, ready to settle. */
  async function readyVisit(label: string): Promise<TestVisit> {
    const visit = testbed.visit(label);
    await visit.admitAndCharge();
    await visit.discharge();
    return visit;
  }

  /** A visit settled at discharge, its saga SETTLED. */
  async function settledVisit(label: string): Promise<TestVisit> {
    const visit = await readyVisit(label);
    await visit.requestSettlement('0');
    expect((await testbed.terminal(visit.ipt_no)).saga_state).toBe('SETTLED');
    return visit;
  }

  beforeAll(async () => {
    testbed = await SettlementTestbed.start({
      label: 'setl',
      services: ['admission', 'fee-detail', ...(QUALITY ? (['quality'] as const) : []), 'settlement'],
      env: { NHSA_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS) },
      serviceEnv: {
        settlement: {
          SETTLEMENT_AUDIT_ENABLED: String(QUALITY),
          // Longer than a consumer group's rebalance after the kill (session timeout 30 s).
          SETTLEMENT_STEP_TIMEOUT_MS: '60000',
          SETTLEMENT_SWEEP_INTERVAL_MS: '200',
        },
      },
    });
  }, 180_000);

  afterAll(async () => {
    await testbed?.stop();
  }, 60_000);

  it('settles a discharge (2303, 2402, 2304) with the amounts the platform booked, once', async () => {
    const visit = await settledVisit('H');

    const settled = await testbed.resultOf('Settled', visit.ipt_no);
    const ledger = await testbed.ledger();
    const onPlatform = ledger.settlements.filter((s) => s.msgid === settled.data.medins_setl_id);
    expect(onPlatform).toHaveLength(1);
    expect(onPlatform[0]).toMatchObject({
      setl_id: settled.data.setl_id,
      status: 'settled',
      mid_setl_flag: '0',
    });
    expect(settled.data.medfee_sumamt).toBe(visit.total);
    expect(new Decimal(settled.data.fund_pay_sumamt).equals(onPlatform[0]!.fund_pay_sumamt)).toBe(true);
    expect(new Decimal(settled.data.acct_pay).equals(onPlatform[0]!.acct_pay)).toBe(true);
    // setldetail lists the personal account (310200) beside the pooled funds of fund_pay_sumamt.
    const shares = settled.data.fund_shares.reduce((sum, f) => sum.plus(f.fund_payamt), new Decimal(0));
    expect(shares.toFixed(2)).toBe(
      new Decimal(settled.data.fund_pay_sumamt).plus(settled.data.acct_pay).toFixed(2),
    );
    const [preSettled] = testbed.resultsOf('PreSettled', visit.ipt_no);
    expect(preSettled!.data.fund_pay_sumamt).toBe(settled.data.fund_pay_sumamt);
    const audits = QUALITY ? ['PRE_SETTLEMENT_AUDIT'] : [];
    const settlementAudit = QUALITY ? ['SETTLEMENT_AUDIT'] : [];
    expect(testbed.timeline(visit.ipt_no).map((e) => e.step)).toEqual(
      [
        'FEE_RECONCILIATION',
        ...audits,
        'PRE_SETTLEMENT',
        'DISCHARGE',
        ...settlementAudit,
        'SETTLEMENT',
      ].flatMap((step) => [step, step]),
    );
    expect(ledgerProblems(ledger, testbed, [visit.ipt_no])).toEqual([]);

    // The same request again is refused with a reason; the platform sees no second 2304.
    await visit.requestSettlement('0');
    const refusal = await waitFor(
      'the refusal',
      () => testbed.resultsOf('SettlementRequestRefused', visit.ipt_no)[0],
    );
    expect(refusal.data.reason).toMatch(/已出院结算/);
    const after = await testbed.ledger();
    expect(after.messages.filter((m) => m.infno === '2304')).toHaveLength(
      ledger.messages.filter((m) => m.infno === '2304').length,
    );
  }, 120_000);

  it('settles mid-way without a discharge (mid_setl_flag 1)', async () => {
    const visit = testbed.visit('M');
    await visit.admitAndCharge();
    await visit.requestSettlement('1');
    expect((await testbed.terminal(visit.ipt_no)).saga_state).toBe('SETTLED');
    const steps = testbed.timeline(visit.ipt_no).map((e) => e.step);
    expect(steps).not.toContain('DISCHARGE');
    const ledger = await testbed.ledger();
    const settled = await testbed.resultOf('Settled', visit.ipt_no);
    expect(settled.data.mid_setl_flag).toBe('1');
    const registration = ledger.registrations.find((r) => r.mdtrt_id === settled.data.mdtrt_id);
    expect(registration?.status).toBe('admitted');
    expect(ledgerProblems(ledger, testbed, [visit.ipt_no])).toEqual([]);
  }, 120_000);

  it('holds a settlement request that comes before the registration result, then settles it', async () => {
    // admission away (a restart): the HIS admits, charges, discharges and asks to settle meanwhile.
    await testbed.hospital.stopService('admission');
    const visit = testbed.visit('W');
    let held: { cause: { id: string } } | undefined;
    try {
      await visit.admit();
      await visit.charge(1, [
        [BED, '1', '50'],
        [AMOXICILLIN, '2', '18.3'],
      ]);
      await visit.discharge();
      await visit.requestSettlement('0');
      held = await waitFor('the request held by settlement', async () => {
        const rows: { data: { cause: { id: string } } }[] = await withClient(databaseUrl(), (c) =>
          c
            .query(
              `SELECT data FROM "${testbed.hospital.schemaOf('settlement')}".events
               WHERE stream_id = $1 AND type = 'SettlementRequestHeld'`,
              [`settlement-${visit.ipt_no}`],
            )
            .then((r) => r.rows),
        );
        return rows[0]?.data;
      });
    } finally {
      await testbed.hospital.startService('admission');
    }
    expect((await testbed.terminal(visit.ipt_no)).saga_state).toBe('SETTLED');
    expect(testbed.resultsOf('SettlementRequestRefused', visit.ipt_no)).toEqual([]);
    const [registered] = testbed.resultsOf('AdmissionRegistered', visit.ipt_no);
    const [first] = testbed.resultsOf('SettlementSagaProgressed', visit.ipt_no);
    // The saga answers the HIS's request, though the registration's arrival started it.
    expect(first!.causationId).toBe(held!.cause.id);
    expect(first!.causationId).not.toBe(registered!.id);
    const settled = await testbed.resultOf('Settled', visit.ipt_no);
    expect(settled.data.medfee_sumamt).toBe(visit.total);
    expect(ledgerProblems(await testbed.ledger(), testbed, [visit.ipt_no])).toEqual([]);
  }, 180_000);

  it('cancels a settlement on request: 2305, then 2405', async () => {
    const visit = await settledVisit('C');
    await visit.requestCancel();
    const last = await waitFor('the cancel saga to end', () => {
      const entries = testbed.timeline(visit.ipt_no);
      const end = entries[entries.length - 1];
      return end && end.saga_id.endsWith('-2') && end.saga_state !== 'RUNNING' ? end : undefined;
    });
    expect(last.saga_state).toBe('CANCELLED');
    const cancelled = await testbed.resultOf('SettlementCancelled', visit.ipt_no);
    const settled = await testbed.resultOf('Settled', visit.ipt_no);
    expect(cancelled.data.init_setl_id).toBe(settled.data.setl_id);
    expect(new Decimal(cancelled.data.medfee_sumamt).negated().toFixed(2)).toBe(settled.data.medfee_sumamt);
    const ledger = await testbed.ledger();
    expect(ledger.settlements.find((s) => s.setl_id === settled.data.setl_id)?.status).toBe('cancelled');
    expect(ledger.registrations.find((r) => r.mdtrt_id === settled.data.mdtrt_id)?.status).toBe('admitted');
    expect(testbed.resultsOf('DischargeUndone', visit.ipt_no)).toHaveLength(1);
    expect(ledgerProblems(ledger, testbed, [visit.ipt_no])).toEqual([]);
  }, 120_000);

  it('settles on a person’s RetrySettlement after a refused 2304 was compensated (2405)', async () => {
    const visit = await readyVisit('R');
    await clearFaults();
    await arm('2304', 'reject');
    await visit.requestSettlement('0');
    const failed = await testbed.terminal(visit.ipt_no);
    expect(failed.saga_state).toBe('FAILED');
    // Published from the same append as the terminal progress, just after it: waited for, not read at once.
    const compensated = await waitFor('the compensation result', () => {
      const results = testbed.resultsOf('SettlementCompensated', visit.ipt_no);
      return results.length > 0 ? results : undefined;
    });
    expect(compensated.map((m) => m.data.compensation)).toEqual(['2405']);
    const retry = createEnvelope({
      type: 'RetrySettlement',
      schemaVersion: 1,
      key: visit.ipt_no,
      data: {
        ipt_no: visit.ipt_no,
        saga_id: failed.saga_id,
        comment: '已核对基金支付',
        requested_by: operatorExample,
      },
    });
    await testbed.publisher.publish(testbed.hospital.topic(commandTopic('settlement')), retry);
    const retried = await testbed.terminal(visit.ipt_no, { saga_id: `setl-${visit.ipt_no}-2` });
    expect(retried.saga_state).toBe('SETTLED');
    expect(ledgerProblems(await testbed.ledger(), testbed, [visit.ipt_no])).toEqual([]);
  }, 120_000);

  it('keeps a settlement the platform made though its answer lacks setl_id: applied, for a person, never resent', async () => {
    const visit = await readyVisit('U');
    await clearFaults();
    await testbed.hospital.sim.admin('POST', '/sim/faults', {
      infno: '2304',
      mode: 'answer-without',
      times: 1,
      omit: ['setlinfo.setl_id'],
    });
    await visit.requestSettlement('0');
    const stopped = await testbed.terminal(visit.ipt_no);
    expect(stopped.saga_state).toBe('APPLIED_UNREADABLE');
    const [unreadable] = await waitFor('the unreadable-answer result', () => {
      const found = testbed.resultsOf('PlatformAnswerUnreadable', visit.ipt_no);
      return found.length > 0 ? found : undefined;
    });
    expect(unreadable!.data).toMatchObject({ infno: '2304', needs_person: true });
    expect(unreadable!.data.missing.join(' ')).toMatch(/setlinfo\.setl_id/);
    // The platform holds exactly one settlement under that msgid; nothing was reversed or sent again.
    const ledger = await testbed.ledger();
    expect(ledger.settlements.filter((s) => s.msgid === unreadable!.data.msgid)).toMatchObject([
      { status: 'settled' },
    ]);
    const steps = testbed
      .timeline(visit.ipt_no)
      .filter((e) => e.status === 'STARTED')
      .map((e) => e.step);
    expect(steps.filter((step) => step === 'SETTLEMENT')).toHaveLength(1);
    expect(steps).not.toContain('REVERSAL');
    expect(testbed.resultsOf('Settled', visit.ipt_no)).toEqual([]);
  }, 120_000);

  it('dead-letters a malformed settlement request with the reason, and counts sagas by state', async () => {
    const kafka = testKafka();
    const dlqReader = kafka.consumer({ groupId: uniqueName('setl-dlq'), maxWaitTimeInMs: 100 });
    const deadLetters: KafkaMessage[] = [];
    await dlqReader.connect();
    try {
      await dlqReader.subscribe({
        topic: dlqTopic(testbed.hospital.topics.hisInpatient),
        fromBeginning: true,
      });
      await dlqReader.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
      // Past the publisher's own validation: what a faulty HIS would put on the topic.
      const envelope = createEnvelope({
        type: 'SettlementRequested',
        schemaVersion: 1,
        key: 'ZYBAD',
        data: {
          ipt_no: 'ZYBAD',
          mid_setl_flag: '0',
          psn_setlway: '01',
          acct_used_flag: '1',
          medfee_sumamt: '1.234',
        },
      });
      await testbed.publisher.publishRecords(testbed.hospital.topics.hisInpatient, [
        { key: 'ZYBAD', value: JSON.stringify(envelope) },
      ]);
      const dead = await waitFor('the dead letter', () =>
        deadLetters.find((m) => deadLetterPayload(m)?.toString().includes(envelope.id)),
      );
      expect(dead.headers?.[DeadLetterHeaders.reason]?.toString()).toMatch(/medfee_sumamt/);
    } finally {
      await dlqReader.disconnect();
    }
    // The gauge counts the open sagas by state, the latest of each visit as the timelines published show them:
    // those a person acts on stay counted; settled ones are not held (the index would grow with every visit).
    const latest = new Map(
      testbed.results
        .filter((m) => m.type === 'SettlementSagaProgressed')
        .map((m) => [m.key, testbed.timeline(m.key).at(-1)?.saga_state]),
    );
    const forAPerson = ['FAILED', 'COMPENSATION_FAILED', 'APPLIED_UNREADABLE'] as const;
    const expected = Object.fromEntries(
      forAPerson.map((state) => [state, [...latest.values()].filter((s) => s === state).length]),
    );
    expect([...latest.values()]).toContain('SETTLED');
    const url = testbed.hospital.service('settlement').ready[1];
    await waitFor('the gauge of sagas a person acts on', async () => {
      const metrics = await (await fetch(`${url}/metrics`)).text();
      const gauge = (state: string) =>
        new RegExp(`yb_sagas_by_state\\{[^}]*state="${state}"[^}]*\\} (\\d+)`).exec(metrics)?.[1];
      const counted = Object.fromEntries(forAPerson.map((state) => [state, Number(gauge(state))]));
      if (JSON.stringify(counted) === JSON.stringify(expected) && gauge('SETTLED') === undefined) return true;
      throw new Error(
        `gauge ${JSON.stringify(counted)}, SETTLED ${gauge('SETTLED')}; timelines ${JSON.stringify(expected)}`,
      );
    });
  }, 60_000);

  describe('faults on every platform step', () => {
    interface FaultCase {
      infno: string;
      mode: FaultMode;
      expected: TerminalState;
    }
    const expectedFor = (infno: string, mode: FaultMode): TerminalState => {
      if (infno === '2305') return mode === 'reject' ? 'FAILED' : 'CANCELLED';
      // 2303 is sent again, 2304 reversed (2601) then sent again, 2402 sent again by admission (a duplicate is
      // refused as already discharged), 3102 retried by quality: only a refusal fails the saga.
      return mode === 'reject' ? 'FAILED' : 'SETTLED';
    };
    const cases: FaultCase[] = [...(QUALITY ? ['3102'] : []), '2303', '2402', '2304', '2305'].flatMap(
      (infno) => FAULT_MODES.map((mode) => ({ infno, mode, expected: expectedFor(infno, mode) })),
    );
    const rows: string[][] = [];

    afterAll(() => {
      printTable(['step', 'fault', 'expected', 'terminal', 'ledger', 'timeline'], rows);
    });

    it(`reaches a terminal state in each of ${cases.length} cases, and the ledger agrees`, async () => {
      // Every visit prepared up front (concurrently); the faults are armed one case at a time.
      const visits = await Promise.all(
        cases.map((c, i) => (c.infno === '2305' ? settledVisit(`F${i}`) : readyVisit(`F${i}`))),
      );
      const failures: string[] = [];
      for (const [i, c] of cases.entries()) {
        const visit = visits[i]!;
        await clearFaults();
        await arm(c.infno, c.mode);
        if (c.infno === '2305') await visit.requestCancel();
        else await visit.requestSettlement('0');
        const sagaNo = c.infno === '2305' ? 2 : 1;
        const last = await testbed.terminal(visit.ipt_no, { saga_id: `setl-${visit.ipt_no}-${sagaNo}` });
        // The saga's last results are published from the same append as its terminal progress, just after it: a
        // problem that goes away within 5 s was read too early; one that stays is the case's.
        const problemsNow = async () => ledgerProblems(await testbed.ledger(), testbed, [visit.ipt_no]);
        let problems = await problemsNow();
        for (const until = Date.now() + 5_000; problems.length > 0 && Date.now() < until;) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          problems = await problemsNow();
        }
        const timeline = testbed
          .timeline(visit.ipt_no, last.saga_id)
          .filter((e) => e.status !== 'STARTED')
          .map((e) => `${e.infno ?? e.step} ${e.status}`)
          .join(' → ');
        rows.push([c.infno, c.mode, c.expected, last.saga_state, problems.join('; ') || 'ok', timeline]);
        if (last.saga_state !== c.expected || problems.length > 0) {
          failures.push(
            `${c.infno} ${c.mode}: ${last.saga_state} (expected ${c.expected}) ${problems.join('; ')}`,
          );
        }
      }
      await clearFaults();
      expect(failures).toEqual([]);
    }, 600_000);
  });

  it('every saga reaches a terminal state when settlement is killed at random moments and restarted', async () => {
    const visits = await Promise.all(Array.from({ length: 8 }, (_, i) => readyVisit(`K${i}`)));
    // Slow 2304s (answered after 0.8 s, within the client's timeout), so that a kill can land while one is in flight.
    await testbed.hospital.sim.admin('POST', '/sim/faults', {
      infno: '2304',
      mode: 'latency',
      latencyMs: 800,
      times: 100,
    });
    const settlementCalls = async () => {
      const faults = await testbed.hospital.sim.admin<{ infno: string; remaining?: number }[]>(
        'GET',
        '/sim/faults',
      );
      return 100 - (faults.find((f) => f.infno === '2304')?.remaining ?? 0);
    };
    await Promise.all(visits.map((v) => v.requestSettlement('0')));
    // First kill: at a random moment of the sagas.
    const killAfterMs = 300 + Math.floor(Math.random() * 2500);
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    await testbed.hospital.crashAndRestart('settlement');
    // Second kill: right after a 2304 reached the platform, before its answer (a random one of the next few).
    const before = await settlementCalls();
    const nth = 1 + Math.floor(Math.random() * 3);
    const inFlight = await waitFor(
      'a 2304 in flight, or every saga ended',
      async () => {
        if ((await settlementCalls()) >= before + nth) return true;
        const ended = visits.every((v) => testbed.timeline(v.ipt_no).some((e) => e.saga_state !== 'RUNNING'));
        return ended ? false : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 20 },
    );
    if (inFlight) await testbed.hospital.crashAndRestart('settlement');
    const ends = await Promise.all(visits.map((v) => testbed.terminal(v.ipt_no, { timeoutMs: 120_000 })));
    await clearFaults();
    const ledger = await testbed.ledger();
    const rows = visits.map((v, i) => [
      v.ipt_no,
      ends[i]!.saga_state,
      testbed
        .timeline(v.ipt_no, ends[i]!.saga_id)
        .filter((e) => e.status !== 'STARTED')
        .map((e) => `${e.infno ?? e.step} ${e.status}`)
        .join(' → '),
      ledgerProblems(ledger, testbed, [v.ipt_no]).join('; ') || 'ok',
    ]);
    const second = inFlight ? `, then with 2304 #${before + nth} in flight` : '';
    printTable([`visit (killed after ${killAfterMs} ms${second})`, 'terminal', 'timeline', 'ledger'], rows);
    expect(ends.every((e) => e.saga_state === 'SETTLED')).toBe(true);
    expect(
      ledgerProblems(
        ledger,
        testbed,
        visits.map((v) => v.ipt_no),
      ),
    ).toEqual([]);
  }, 400_000);
});
