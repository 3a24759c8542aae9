import { MedicalRecordHomepageRecordedV1, PatientAdmittedV1 } from '@yb/contracts';
import { waitFor } from '@yb/testing';
import { AMOXICILLIN, BED, HisEpisode } from './support/his-episode';
import { activeRegistrations, uploadedLines } from './support/sim-ledger-view';
import { WholeEpisode } from './support/whole-episode';

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
  let episode: WholeEpisode;

  beforeAll(async () => {
    // Beijing's patients are paid by item here, everyone else by DRG.
    episode = await WholeEpisode.start('cross-area', ipt_no, { '*': '4', '110000': '1' });
  }, 240_000);

  afterAll(() => episode?.stop(), 60_000);

  it('routes 2401, 2301, 3101/3102, 2303/2402/2304 and 4101A/4401 to the Beijing area, and settles', async () => {
    // Calls before the episode (9001 sign-ins) are not the visit's.
    const { hospital, publisher } = episode;
    const before = new Set((await episode.ledger()).messages.map((m) => m.msgid));
    const his = new HisEpisode(publisher, hospital.topics.hisInpatient, ipt_no, {
      mdtrt_cert_type: '02',
      mdtrt_cert_no: BEIJING_PERSON.certno,
    });
    await his.admit();
    await his.charge(1, [
      [BED, '1', '50'],
      [AMOXICILLIN, '2', '18.3'],
    ]);

    const registered = await episode.awaitResult('AdmissionRegistered', [
      'AdmissionRequestRefused',
      'PlatformRequestRejected',
    ]);
    // Learnt from 1101 (the HIS named no area) and published for every other service.
    expect(registered.schemaVersion).toBe(2);
    expect(registered.data).toMatchObject({ insuplc_admdvs: '110000', insutype: '310', psn_type: '1101' });

    const { mdtrt_id } = registered.data;
    await waitFor(
      'both fee lines on the platform',
      async () => (uploadedLines(await episode.ledger(), mdtrt_id).length === 2 ? true : undefined),
      WAIT,
    );

    await episode.publishHis(hospital.topics.hisInpatient, 'DischargeRequested', {
      ipt_no,
      endtime: '2024-05-08 10:00:00',
      dscg_way: '1',
      dscg_dept_codg: 'A03.01',
      dscg_dept_name: '呼吸内科',
      diagnoses: PatientAdmittedV1.example.diagnoses,
    });
    // The ID card presented again at the cashier.
    await episode.publishHis(hospital.topics.hisInpatient, 'SettlementRequested', {
      ipt_no,
      mid_setl_flag: '0',
      psn_setlway: '01',
      acct_used_flag: '1',
      medfee_sumamt: his.standingTotal().toFixed(2),
      invono: `FP${run}`,
      mdtrt_cert_type: '02',
      mdtrt_cert_no: BEIJING_PERSON.certno,
    });
    const settled = await episode.awaitResult('Settled', [
      'SettlementFailed',
      'SettlementRequestRefused',
      'SettlementCompensationFailed',
      'InsuredAreaMissing',
    ]);
    expect(settled.data.medfee_sumamt).toMatch(/^86\.6/);

    await episode.publishHis(hospital.topics.hisClinical, 'MedicalRecordHomepageRecorded', {
      ...MedicalRecordHomepageRecordedV1.example,
      ipt_no,
      medcasno: `BA${run}`,
      psn_name: BEIJING_PERSON.psn_name,
      medfee_sumamt: his.standingTotal().toFixed(2),
    });
    await episode.uploaded(['4101A', '4401']);

    const current = await episode.ledger();
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
