import {
  createEnvelope,
  currentVersion,
  MedicalRecordHomepageRecordedV1,
  parseMessage,
  PatientAdmittedV1,
  type MessageOf,
  type MessageType,
} from '@yb/contracts';
import { KafkaPublisher } from '@yb/messaging';
import { HospitalServices, testKafka, uniqueName, waitFor } from '@yb/testing';
import { type Consumer } from 'kafkajs';
import { AMOXICILLIN, BED, HisEpisode } from './support/his-episode';
import { activeRegistrations, uploadedLines, type SimLedgerView } from './support/sim-ledger-view';

// A cross-province (异地) patient end to end: insured in Beijing (参保地 110000), in hospital in Hubei (就医地
// 420100). The HIS knows only the ID card, so admission learns the area from 1101 and publishes it in
// AdmissionRegistered v2; fee-detail, quality, settlement and reporting must route every call of the visit to
// Beijing, never to the hospital's own area. The simulator's message log shows where each call went.

const WAIT = { timeoutMs: 120_000 };
/** The seeded person of the simulator insured in Beijing (apps/platform-sim insured-persons.ts). */
const BEIJING_PERSON = { certno: '110101198203040066', psn_name: '孙八', insuplc_admdvs: '110000' };
/** The interfaces whose envelope must name the person's area (the platform routes them by it). */
const ROUTED_BY_AREA = ['2401', '2301', '2302', '3101', '3102', '2303', '2402', '2304', '4101A', '4401'];

describe('a cross-province patient from admission to the settlement list', () => {
  const run = String(Date.now()).slice(-10);
  const ipt_no = `ZY${run}X`;
  const results: MessageOf<MessageType>[] = [];
  let hospital: HospitalServices;
  let publisher: KafkaPublisher;
  let resultReader: Consumer;

  const ledger = () => hospital.sim.admin<SimLedgerView>('GET', '/sim/ledger');
  const resultsOf = <T extends MessageType>(type: T) =>
    results.filter((m): m is MessageOf<T> => m.type === type && m.key === ipt_no);
  /** The first result of `type` for the visit; fails at once on a result that means the episode stopped. */
  const awaitResult = <T extends MessageType>(type: T, stoppers: MessageType[] = []) =>
    waitFor(
      `${type} of ${ipt_no}`,
      () => {
        const [stopped] = stoppers.flatMap((s) => resultsOf(s));
        if (stopped) throw new Error(`${stopped.type}: ${JSON.stringify(stopped.data)}`);
        return resultsOf(type)[0];
      },
      WAIT,
    );
  const publishHis = (topic: string, type: MessageType, data: unknown) =>
    publisher.publish(
      topic,
      createEnvelope({ type, schemaVersion: currentVersion(type), key: ipt_no, data }),
    );

  beforeAll(async () => {
    hospital = await HospitalServices.start({
      label: 'cross-area',
      services: ['admission', 'fee-detail', 'quality', 'settlement', 'reporting'],
      serviceEnv: {
        reporting: {
          REPORTING_CRON: '*/2 * * * * *',
          REPORTING_SCHEDULE_CHECK_MS: '250',
          REPORTING_RETRY_BACKOFF_MS: '500',
          REPORTING_BILL_CODE: '42010024',
          REPORTING_HSORG: '武汉市医疗保障局',
          REPORTING_HSORG_OPTER: '王经办',
          REPORTING_FILL_DEPT: '病案室',
          REPORTING_FILL_PSN: '赵填报',
        },
      },
    });
    const kafka = testKafka();
    publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    resultReader = kafka.consumer({ groupId: uniqueName('cross-area-results'), maxWaitTimeInMs: 200 });
    await resultReader.connect();
    await resultReader.subscribe({ topic: hospital.topics.insuranceInpatient, fromBeginning: true });
    await resultReader.run({
      eachMessage: async ({ message }) => {
        results.push(parseMessage(JSON.parse(message.value!.toString())));
      },
    });
  }, 240_000);

  afterAll(async () => {
    await resultReader?.disconnect();
    await publisher?.disconnect();
    await hospital?.stop();
  }, 60_000);

  it('routes 2401, 2301, 3101/3102, 2303/2402/2304 and 4101A/4401 to the Beijing area, and settles', async () => {
    // Calls before the episode (9001 sign-ins) are not the visit's.
    const before = new Set((await ledger()).messages.map((m) => m.msgid));
    const his = new HisEpisode(publisher, hospital.topics.hisInpatient, ipt_no, {
      mdtrt_cert_type: '02',
      mdtrt_cert_no: BEIJING_PERSON.certno,
    });
    await his.admit();
    await his.charge(1, [
      [BED, '1', '50'],
      [AMOXICILLIN, '2', '18.3'],
    ]);

    const registered = await awaitResult('AdmissionRegistered', [
      'AdmissionRequestRefused',
      'PlatformRequestRejected',
    ]);
    // Learnt from 1101 (the HIS named no area) and published for every other service.
    expect(registered.schemaVersion).toBe(2);
    expect(registered.data).toMatchObject({ insuplc_admdvs: '110000', insutype: '310', psn_type: '1101' });

    const { mdtrt_id } = registered.data;
    await waitFor(
      'both fee lines on the platform',
      async () => (uploadedLines(await ledger(), mdtrt_id).length === 2 ? true : undefined),
      WAIT,
    );

    await publishHis(hospital.topics.hisInpatient, 'DischargeRequested', {
      ipt_no,
      endtime: '2024-05-08 10:00:00',
      dscg_way: '1',
      dscg_dept_codg: 'A03.01',
      dscg_dept_name: '呼吸内科',
      diagnoses: PatientAdmittedV1.example.diagnoses,
    });
    // The ID card presented again at the cashier.
    await publishHis(hospital.topics.hisInpatient, 'SettlementRequested', {
      ipt_no,
      mid_setl_flag: '0',
      psn_setlway: '01',
      acct_used_flag: '1',
      medfee_sumamt: his.standingTotal().toFixed(2),
      invono: `FP${run}`,
      mdtrt_cert_type: '02',
      mdtrt_cert_no: BEIJING_PERSON.certno,
    });
    const settled = await awaitResult('Settled', [
      'SettlementFailed',
      'SettlementRequestRefused',
      'SettlementCompensationFailed',
      'InsuredAreaMissing',
    ]);
    expect(settled.data.medfee_sumamt).toMatch(/^86\.6/);

    await publishHis(hospital.topics.hisClinical, 'MedicalRecordHomepageRecorded', {
      ...MedicalRecordHomepageRecordedV1.example,
      ipt_no,
      medcasno: `BA${run}`,
      psn_name: BEIJING_PERSON.psn_name,
      medfee_sumamt: his.standingTotal().toFixed(2),
    });
    await waitFor(
      'the settlement list (4101A) and the homepage (4401) uploaded',
      () => {
        const [rejected] = resultsOf('ReportRejected');
        if (rejected) throw new Error(`ReportRejected: ${JSON.stringify(rejected.data)}`);
        const uploaded = resultsOf('ReportUploaded').map((r) => r.data.infno);
        return uploaded.includes('4101A') && uploaded.includes('4401') ? uploaded : undefined;
      },
      WAIT,
    );

    const current = await ledger();
    const [registration] = activeRegistrations(current, ipt_no);
    expect(registration).toMatchObject({ mdtrt_id, status: 'settled' });

    const visitCalls = current.messages.filter(
      (m) => !before.has(m.msgid) && ROUTED_BY_AREA.includes(m.infno),
    );
    // Every call of the visit the platform routes by area went to Beijing, none to the hospital's 420100.
    expect(visitCalls.filter((m) => m.insuplc_admdvs !== BEIJING_PERSON.insuplc_admdvs)).toEqual([]);
    const applied = new Set(visitCalls.filter((m) => m.infcode === 0).map((m) => m.infno));
    for (const infno of ['2401', '2301', '3101', '3102', '2303', '2402', '2304', '4101A', '4401']) {
      expect([infno, applied.has(infno)]).toEqual([infno, true]);
    }
  }, 300_000);
});
