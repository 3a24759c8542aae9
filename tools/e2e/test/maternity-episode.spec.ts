import { MedicalRecordHomepageRecordedV2, PatientAdmittedV2 } from '@yb/contracts';
import { testFeeLine } from '@yb/testing';
import Decimal from 'decimal.js';
import { AMOXICILLIN, BED } from './support/his-episode';
import { activeRegistrations } from './support/sim-ledger-view';
import { WholeEpisode } from './support/whole-episode';

// A 生育住院 (med_type 52) end to end: the HIS admits a woman in labour (v2: sex, birth date, the pregnancy),
// records the birth with the admission changed (matn_type, its date), discharges and settles; admission sends
// the maternity fields on 2401, 2403 and 2402 (the platform refuses a 生育住院's discharge without 生育类别),
// quality audits her with her sex and birth date, settlement settles and reporting uploads the settlement list.

/** A woman born 1992-03-15 (an ID number of the hospital's area): the simulator enrols her on 1101. */
const MOTHER = { mdtrt_cert_type: '02', mdtrt_cert_no: '420102199203154526', brdy: '1992-03-15' };

describe('a 生育住院 (maternity stay) from admission to the settlement list', () => {
  const run = String(Date.now()).slice(-10);
  const ipt_no = `ZY${run}M`;
  let episode: WholeEpisode;

  beforeAll(async () => {
    // The hospital is paid by DRG; residents' stays by single disease.
    episode = await WholeEpisode.start('maternity', ipt_no, { '*': '4', '*:390': '2' });
  }, 240_000);

  afterAll(() => episode?.stop(), 60_000);

  it('sends the maternity fields on 2401, 2403 and 2402, settles, and uploads the list', async () => {
    const { hisInpatient, hisClinical } = episode.hospital.topics;
    const { psn_no: _example, ...admitted } = PatientAdmittedV2.example;
    const admission = { ...admitted, ...MOTHER, ipt_no, begntime: '2024-05-01 09:00:00' };
    await episode.publishHis(hisInpatient, 'PatientAdmitted', admission);
    const registered = await episode.awaitResult('AdmissionRegistered', [
      'AdmissionRequestRefused',
      'PlatformRequestRejected',
    ]);
    const { mdtrt_id } = registered.data;
    expect(registered.data.med_type).toBe('52');

    const lines = [
      testFeeLine(`${ipt_no}-F1`, 1, BED, '1', '50'),
      testFeeLine(`${ipt_no}-F2`, 2, AMOXICILLIN, '2', '18.3'),
    ];
    await episode.publishHis(hisInpatient, 'FeeLinesCharged', { ipt_no, lines });
    // The child is born on day 2: the HIS records the delivery with the admission changed.
    await episode.publishHis(hisInpatient, 'AdmissionChanged', {
      ...admission,
      matn_type: '1',
      birctrl_matn_date: '2024-05-02',
      pret_flag: '0',
      latechb_flag: '1',
    });
    await episode.awaitResult('AdmissionChangeRegistered', [
      'AdmissionRequestRefused',
      'AdmissionOutcomeUncertain',
      'PlatformRequestRejected',
    ]);

    await episode.publishHis(hisInpatient, 'DischargeRequested', {
      ipt_no,
      endtime: '2024-05-04 10:00:00',
      dscg_way: '1',
      dscg_dept_codg: 'A05.01',
      dscg_dept_name: '产科',
      diagnoses: admission.diagnoses,
    });
    const total = lines.reduce((sum, l) => sum.plus(l.det_item_fee_sumamt), new Decimal(0)).toFixed(2);
    await episode.publishHis(hisInpatient, 'SettlementRequested', {
      ipt_no,
      mid_setl_flag: '0',
      psn_setlway: '01',
      acct_used_flag: '0',
      medfee_sumamt: total,
      invono: `FP${run}`,
      mdtrt_cert_type: '02',
      mdtrt_cert_no: MOTHER.mdtrt_cert_no,
    });
    const settled = await episode.awaitResult('Settled', [
      'SettlementFailed',
      'SettlementRequestRefused',
      'SettlementCompensationFailed',
    ]);
    expect(settled.data.medfee_sumamt).toBe(total);

    // The platform holds the stay's maternity fields as 2401 (the pregnancy), 2403 and 2402 (the birth) gave them.
    const current = await episode.ledger();
    const [registration] = activeRegistrations(current, ipt_no);
    expect(registration).toMatchObject({ mdtrt_id, status: 'settled' });
    expect(registration!.maternity).toEqual({
      geso_val: '39',
      fetts: '2',
      fetus_cnt: '1',
      matn_type: '1',
      birctrl_matn_date: '2024-05-02',
      pret_flag: '0',
      latechb_flag: '1',
    });
    expect(registration!.history.map((h) => h.infno)).toEqual(['2403', '2402']);
    const discharge = current.messages.find((m) => m.msgid === registration!.history[1]!.msgid);
    expect(discharge).toMatchObject({ infno: '2402', infcode: 0 });
    // Audited with 3101 on admission and 3102 before settlement, with her sex and birth date.
    expect(
      episode.resultsOf('SettlementSagaProgressed').some((p) => p.data.step === 'SETTLEMENT_AUDIT'),
    ).toBe(true);

    await episode.publishHis(hisClinical, 'MedicalRecordHomepageRecorded', {
      ...MedicalRecordHomepageRecordedV2.example,
      ipt_no,
      medcasno: `BA${run}`,
      psn_name: '李秀英',
      adm_date: admission.begntime,
      dscg_date: '2024-05-04 10:00:00',
      adm_caty: 'A05.01',
      dscg_caty: 'A05.01',
      ipt_days: 3,
      medfee_sumamt: total,
      diagnoses: [
        { ipt_patn_disediag_type_code: '1', maindiag_flag: '1', diag_code: 'O80.000', diag_name: '单胎顺产' },
      ],
    });
    const uploads = await episode.uploaded(['4101A', '4401']);
    const list = uploads.find((u) => u.data.infno === '4101A')!;
    expect(list.data.report_ref).toBe(settled.data.setl_id);
    expect((await episode.ledger()).messages.find((m) => m.msgid === list.data.msgid)).toMatchObject({
      infno: '4101A',
      infcode: 0,
    });
  }, 300_000);
});
