import { parseMessage, type MessageOf, type MessageType } from '@yb/contracts';
import { KafkaPublisher, openEnvelope } from '@yb/messaging';
import { HospitalServices, testKafka, uniqueName, waitFor } from '@yb/testing';
import Decimal from 'decimal.js';
import { type Consumer } from 'kafkajs';
import { AMOXICILLIN, BED, CEFTRIAXONE, HisEpisode, type PatientIdentity } from './support/his-episode';
import {
  activeRegistrations,
  uploadedLines,
  type SimLedgerView,
  type SimRegistration,
} from './support/sim-ledger-view';

// An inpatient episode end to end, across the running services: the HIS (this test) publishes on
// his.inpatient; admission (1101/2401/2403) and fee-detail (2301/2302) run as child processes against the
// platform simulator; the results on insurance.inpatient are compared with the simulator's ledger.

const WAIT = { timeoutMs: 90_000 };

describe('an inpatient episode across admission, fee-detail and the platform', () => {
  // Visit ids and person numbers unique to this run (the simulator is fresh, Kafka and PostgreSQL are not).
  const run = String(Date.now()).slice(-12);
  const psnNo = (visit: number) => `420000${run}${visit}0`;
  const results: MessageOf<MessageType>[] = [];
  let hospital: HospitalServices;
  let publisher: KafkaPublisher;
  let resultReader: Consumer;

  const ledger = () => hospital.sim.admin<SimLedgerView>('GET', '/sim/ledger');
  const resultsOf = <T extends MessageType>(type: T, ipt_no: string) =>
    results.filter((m): m is MessageOf<T> => m.type === type && m.key === ipt_no);
  const episode = (visit: string, patient: PatientIdentity) =>
    new HisEpisode(publisher, hospital.topics.hisInpatient, `ZY${run}${visit}`, patient);

  /** The visit's one standing registration once admission published it, with the mdtrt_id the result carries. */
  const registered = (his: HisEpisode) =>
    waitFor(
      `the registration of ${his.ipt_no}`,
      async () => {
        const [refusal] = [
          ...resultsOf('PlatformRequestRejected', his.ipt_no),
          ...resultsOf('AdmissionRequestRefused', his.ipt_no),
        ];
        if (refusal) throw new Error(`admission refused: ${JSON.stringify(refusal.data)}`);
        const [result] = resultsOf('AdmissionRegistered', his.ipt_no);
        if (!result) return undefined;
        const active = activeRegistrations(await ledger(), his.ipt_no);
        return active.length === 1 && active[0]!.mdtrt_id === result.data.mdtrt_id ? active[0] : undefined;
      },
      WAIT,
    );

  /** Waits until exactly the HIS's standing lines are uploaded on the platform, and returns the ledger. */
  const linesOnPlatform = (his: HisEpisode, registration: SimRegistration) =>
    waitFor(
      `the standing fee lines of ${his.ipt_no} on the platform`,
      async () => {
        const current = await ledger();
        const sns = uploadedLines(current, registration.mdtrt_id).map((l) => l.feedetl_sn);
        const expected = his.standingLines().map((l) => l.feedetl_sn);
        return sns.sort().join() === expected.sort().join() ? current : undefined;
      },
      WAIT,
    );

  /** Every standing HIS line on the platform exactly once with the HIS's amounts; totals equal in decimal. */
  function expectLinesAsCharged(current: SimLedgerView, his: HisEpisode, mdtrt_id: string): void {
    const onPlatform = uploadedLines(current, mdtrt_id);
    for (const line of his.standingLines()) {
      const copies = onPlatform.filter((l) => l.feedetl_sn === line.feedetl_sn);
      expect(copies).toHaveLength(1);
      const [copy] = copies;
      expect(new Decimal(copy!.det_item_fee_sumamt).equals(line.det_item_fee_sumamt)).toBe(true);
      expect(new Decimal(copy!.cnt).equals(line.cnt)).toBe(true);
      expect(new Decimal(copy!.pric).equals(line.pric)).toBe(true);
      expect(copy!.init_feedetl_sn).toBe(line.init_feedetl_sn);
    }
    const platformTotal = onPlatform.reduce((sum, l) => sum.plus(l.det_item_fee_sumamt), new Decimal(0));
    expect(platformTotal.toFixed(2)).toBe(his.standingTotal().toFixed(2));
  }

  beforeAll(async () => {
    hospital = await HospitalServices.start({
      label: 'e2e',
      // Shorter than the simulator's held answers in the fault scenarios, so those calls end UNKNOWN.
      env: { NHSA_TIMEOUT_MS: '3000' },
    });
    const kafka = testKafka();
    publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    resultReader = kafka.consumer({ groupId: uniqueName('e2e-results'), maxWaitTimeInMs: 200 });
    await resultReader.connect();
    await resultReader.subscribe({ topic: hospital.topics.insuranceInpatient, fromBeginning: true });
    await resultReader.run({
      eachMessage: async ({ message }) => {
        results.push(parseMessage(openEnvelope(JSON.parse(message.value!.toString()))));
      },
    });
  }, 180_000);

  afterAll(async () => {
    await resultReader?.disconnect();
    await publisher?.disconnect();
    await hospital?.stop();
  }, 60_000);

  // Visit A: a patient the HIS knows only by ID card (1101 enrols and finds the person, then 2401).
  let visitA: HisEpisode;
  let registrationA: SimRegistration;

  it('registers the admission, applies the change and carries every fee line once, refund and void included', async () => {
    visitA = episode('A', { mdtrt_cert_type: '02', mdtrt_cert_no: '420111198808080883' });
    // Day 1 is charged before the admission is registered: the lines must wait for the mdtrt_id.
    await visitA.charge(1, [
      [BED, '1', '50'],
      [AMOXICILLIN, '2', '18.3'],
    ]);
    await visitA.admit();
    const [, amoxicillin] = [...visitA.charged.keys()];
    await visitA.charge(2, [
      [CEFTRIAXONE, '1', '45'],
      [AMOXICILLIN, '-1', '18.3', amoxicillin],
    ]);
    await visitA.change({ adm_bed: '15床', dscg_maindiag_code: 'J18.000', dscg_maindiag_name: '支气管肺炎' });
    const [, mistaken] = await visitA.charge(3, [
      [BED, '1', '50'],
      [CEFTRIAXONE, '3', '45'],
    ]);

    registrationA = await registered(visitA);
    await linesOnPlatform(visitA, registrationA);
    // The nurse voids a line the platform already holds: fee-detail revokes it with 2302.
    await visitA.void([mistaken!]);
    const current = await linesOnPlatform(visitA, registrationA);

    const changed = await waitFor('the change on the platform', async () => {
      const [registration] = activeRegistrations(await ledger(), visitA.ipt_no);
      return registration?.history.some((h) => h.infno === '2403') ? registration : undefined;
    });
    expect(changed.dscg_maindiag_code).toBe('J18.000');
    expect(resultsOf('AdmissionChangeRegistered', visitA.ipt_no)).toHaveLength(1);
    expect(resultsOf('AdmissionRegistered', visitA.ipt_no)).toHaveLength(1);
    expect(current.registrations.filter((r) => r.ipt_no === visitA.ipt_no)).toHaveLength(1);

    expectLinesAsCharged(current, visitA, registrationA.mdtrt_id);
    const revoked = current.feeLines.filter((l) => l.feedetl_sn === mistaken);
    expect(revoked.map((l) => l.status)).toEqual(['revoked']);
    // 50 + 36.60 + 45 − 18.30 + 50 (the voided 135.00 left out)
    expect(visitA.standingTotal().toFixed(2)).toBe('163.30');
    // What fee-detail published agrees: uploaded lines less the revoked one add up to the HIS total.
    await waitFor('the void published', () =>
      resultsOf('FeeLinesRevoked', visitA.ipt_no).length > 0 ? true : undefined,
    );
    const [revocation, ...more] = resultsOf('FeeLinesRevoked', visitA.ipt_no);
    expect(more).toEqual([]);
    expect(revocation!.data).toMatchObject({ cause: 'VOID', feedetl_sns: [mistaken] });
    const publishedTotal = resultsOf('FeeLinesUploaded', visitA.ipt_no)
      .flatMap((m) => m.data.lines)
      .filter((l) => l.feedetl_sn !== mistaken)
      .reduce((sum, l) => sum.plus(l.det_item_fee_sumamt), new Decimal(0));
    expect(publishedTotal.toFixed(2)).toBe('163.30');
  }, 150_000);

  it('changes nothing when the HIS publishes the same events again', async () => {
    const before = await ledger();
    const resultCount = results.filter((m) => m.key === visitA.ipt_no).length;
    await visitA.replay();
    // A new charge behind the replayed events (same key, same partition, so handled after them by both
    // services' consumers): once it is on the platform, the replays have been handled.
    const [marker] = await visitA.charge(4, [[BED, '1', '50']]);
    await visitA.change({ adm_bed: '16床', dscg_maindiag_code: 'J18.000', dscg_maindiag_name: '支气管肺炎' });
    const after = await linesOnPlatform(visitA, registrationA);
    await waitFor('the second change registered', () =>
      resultsOf('AdmissionChangeRegistered', visitA.ipt_no).length === 2 ? true : undefined,
    );
    // The ledger shows the marker before fee-detail's relay has published its result: wait for that too.
    await waitFor('the marker line published', () =>
      resultsOf('FeeLinesUploaded', visitA.ipt_no).some((m) =>
        m.data.lines.some((l) => l.feedetl_sn === marker),
      )
        ? true
        : undefined,
    );
    const afterAll = await ledger();

    expect(afterAll.registrations.filter((r) => r.ipt_no === visitA.ipt_no)).toHaveLength(1);
    const linesOf = (view: SimLedgerView) =>
      view.feeLines.filter((l) => l.mdtrt_id === registrationA.mdtrt_id && l.feedetl_sn !== marker);
    expect(linesOf(after)).toEqual(linesOf(before));
    const platformCalls = (view: SimLedgerView, infno: string) =>
      view.messages.filter((m) => m.infno === infno);
    for (const infno of ['1101', '2401', '2302']) {
      expect(platformCalls(afterAll, infno)).toEqual(platformCalls(before, infno));
    }
    // The marker's results only: one FeeLinesUploaded and one AdmissionChangeRegistered.
    expect(results.filter((m) => m.key === visitA.ipt_no)).toHaveLength(resultCount + 2);
    expectLinesAsCharged(after, visitA, registrationA.mdtrt_id);
  }, 150_000);

  let visitB: HisEpisode;

  it('a 2401 answered too late is reversed and registered again: one standing registration', async () => {
    await hospital.sim.admin('POST', '/sim/faults', {
      infno: '2401',
      mode: 'timeout-after-apply',
      times: 1,
      latencyMs: 6000,
    });
    visitB = episode('B', {
      mdtrt_cert_type: '02',
      mdtrt_cert_no: '42010219700315045X',
      psn_no: psnNo(2),
      insuplc_admdvs: '420100',
    });
    await visitB.admit();
    await visitB.charge(1, [
      [BED, '1', '50'],
      [AMOXICILLIN, '4', '18.3'],
    ]);
    const registration = await registered(visitB);
    const current = await linesOnPlatform(visitB, registration);

    const all = current.registrations.filter((r) => r.ipt_no === visitB.ipt_no);
    expect(all.map((r) => r.status).sort()).toEqual(['admitted', 'reversed']);
    const reversed = all.find((r) => r.status === 'reversed')!;
    expect(current.reversals).toContainEqual(
      expect.objectContaining({ omsgid: reversed.msgid, oinfno: '2401' }),
    );
    expect(resultsOf('AdmissionRegistered', visitB.ipt_no)).toHaveLength(1);
    expectLinesAsCharged(current, visitB, registration.mdtrt_id);
  }, 150_000);

  it('a 2301 answered too late is undone and uploaded again: no line held twice', async () => {
    const visitC = episode('C', {
      mdtrt_cert_type: '02',
      mdtrt_cert_no: '420506196511200364',
      psn_no: psnNo(3),
      insuplc_admdvs: '420500',
    });
    await visitC.admit();
    const registration = await registered(visitC);
    await hospital.sim.admin('POST', '/sim/faults', {
      infno: '2301',
      mode: 'timeout-after-apply',
      times: 1,
      latencyMs: 6000,
    });
    await visitC.charge(1, [
      [BED, '1', '50'],
      [CEFTRIAXONE, '2', '45'],
    ]);
    const current = await waitFor(
      'the undone batch uploaded again',
      async () => {
        const view = await linesOnPlatform(visitC, registration);
        // The late batch's lines were revoked (2302) before they went up again.
        return view.feeLines.some((l) => l.mdtrt_id === registration.mdtrt_id && l.status === 'revoked')
          ? view
          : undefined;
      },
      WAIT,
    );
    expectLinesAsCharged(current, visitC, registration.mdtrt_id);

    // Across the whole file: one standing registration per visit, no visit holding a line twice.
    for (const { ipt_no } of [visitA, visitB, visitC]) {
      expect(activeRegistrations(current, ipt_no)).toHaveLength(1);
    }
    const held = current.feeLines
      .filter((l) => l.status === 'uploaded')
      .map((l) => `${l.mdtrt_id}/${l.feedetl_sn}`);
    expect(new Set(held).size).toBe(held.length);
  }, 150_000);
});
