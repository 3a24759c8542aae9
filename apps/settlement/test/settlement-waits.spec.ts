import { waitFor } from '@yb/testing';
import { ledgerProblems } from './support/ledger-invariants';
import { SettlementTestbed } from './support/settlement-hospital';

// Silence is not an answer (platform-client's reversalVerdict; the saga's WAITING_FOR_PLATFORM): over the real
// stack — admission, fee-detail and settlement as child processes, the platform simulator, Kafka and PostgreSQL —
// the platform stops answering an interface "for a while" (a simulator fault armed without `times`, cleared
// later), and the visit must end registered or settled with no person, judged against the simulator's ledger.

const CLIENT_TIMEOUT_MS = 1500;

describe('waiting out a platform that does not answer', () => {
  let testbed: SettlementTestbed;

  /** The platform does not answer `infno` (5xx without an envelope) until the faults are cleared. */
  const silence = (infno: string) =>
    testbed.hospital.sim.admin('POST', '/sim/faults', { infno, mode: 'http-5xx' });
  const clearFaults = () => testbed.hospital.sim.admin('DELETE', '/sim/faults');
  const armed = async (infno: string) =>
    (await testbed.hospital.sim.admin<{ infno: string }[]>('GET', '/sim/faults')).some(
      (f) => f.infno === infno,
    );

  beforeAll(async () => {
    testbed = await SettlementTestbed.start({
      label: 'wait',
      services: ['admission', 'fee-detail', 'settlement'],
      env: { NHSA_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS) },
      serviceEnv: {
        settlement: {
          SETTLEMENT_AUDIT_ENABLED: 'false',
          SETTLEMENT_STEP_TIMEOUT_MS: '60000',
          SETTLEMENT_SWEEP_INTERVAL_MS: '200',
        },
      },
    });
  }, 240_000);

  afterAll(async () => {
    await clearFaults().catch(() => undefined);
    await testbed?.stop();
  }, 60_000);

  it('registers an admission whose 2401 answer was lost and whose 2601 went unanswered for a while: no person', async () => {
    const visit = testbed.visit('A');
    // Given a 2401 applied whose answer is lost, then every 2601 unanswered
    await testbed.hospital.sim.admin('POST', '/sim/faults', {
      infno: '2401',
      mode: 'timeout-after-apply',
      times: 1,
      latencyMs: 3000,
    });
    await testbed.hospital.sim.admin('POST', '/sim/faults', { infno: '2601', mode: 'http-5xx', times: 3 });
    await visit.admit();
    // When three 2601 in a row went unanswered (the fault used up: admission asked again twice, no person)
    await waitFor('three unanswered 2601', async () => ((await armed('2601')) ? undefined : true), {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect(testbed.resultsOf('AdmissionOutcomeUncertain', visit.ipt_no)).toEqual([]);
    // Then the next 2601 is answered (reversed), the 2401 sent again: registered once, nothing for a person
    const [registered] = await waitFor(
      'the registration',
      () => {
        const found = testbed.resultsOf('AdmissionRegistered', visit.ipt_no);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 100 },
    );
    expect(testbed.resultsOf('AdmissionOutcomeUncertain', visit.ipt_no)).toEqual([]);
    const standing = (await testbed.ledger()).registrations.filter(
      (r) => r.ipt_no === visit.ipt_no && r.status !== 'reversed' && r.status !== 'cancelled',
    );
    expect(standing.map((r) => r.mdtrt_id)).toEqual([registered!.data.mdtrt_id]);
  }, 180_000);

  it('keeps a settlement waiting in its step while 2303 is unanswered, shows it, and settles once the platform is back', async () => {
    const visit = testbed.visit('S');
    await visit.admitAndCharge();
    await visit.discharge();
    // Given 2303 unanswered for a while
    await silence('2303');
    await visit.requestSettlement('0');
    // Then the saga waits in PRE_SETTLEMENT (WAITING_FOR_PLATFORM), not FAILED, and the gauge shows it
    const waiting = await waitFor(
      'the saga waiting for the platform',
      () =>
        testbed
          .timeline(visit.ipt_no)
          .find((e) => e.status === 'WAITING_FOR_PLATFORM' && e.saga_state === 'WAITING_FOR_PLATFORM'),
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    expect(waiting.step).toBe('PRE_SETTLEMENT');
    const url = testbed.hospital.service('settlement').ready[1];
    await waitFor('the gauge of sagas waiting for the platform', async () => {
      const metrics = await (await fetch(`${url}/metrics`)).text();
      const line = /yb_sagas_by_state\{[^}]*state="WAITING_FOR_PLATFORM"[^}]*\} (\d+)/.exec(metrics);
      return Number(line?.[1]) >= 1 ? true : undefined;
    });
    expect(testbed.timeline(visit.ipt_no).some((e) => e.saga_state === 'FAILED')).toBe(false);
    // When the platform answers again
    await clearFaults();
    // Then the saga resumes from its step and settles, once, as the ledger books it
    expect((await testbed.terminal(visit.ipt_no)).saga_state).toBe('SETTLED');
    expect(ledgerProblems(await testbed.ledger(), testbed, [visit.ipt_no])).toEqual([]);
  }, 240_000);
});
