import {
  AdmissionChangedV2,
  DischargeRequestedV1,
  PatientAdmittedV1,
  PatientAdmittedV2,
} from '@yb/contracts';
import { type PlatformClient, validateInput } from '@yb/platform-client';
import { type AdmissionData, type DischargeData } from '../visit/visit.commands';
import { type PendingRequest } from '../visit/visit.events';
import { initialVisitState, type VisitState } from '../visit/visit.state';
import { inputOf, sendPendingRequest, visitRefusalMeaning } from './visit-platform-requests';

const FIXMEDINS_CODE = 'H42010200123';
const bySocialSecurityCard: AdmissionData = {
  ...(PatientAdmittedV1.example as AdmissionData),
  psn_no: undefined,
  mdtrt_cert_type: '03',
  mdtrt_cert_no: 'H42010200001',
  card_sn: '420100D15600000500A1B2C3',
  psn_name: '张三',
  dise_codg: 'C34.900',
};
const identified: VisitState = {
  ...initialVisitState,
  status: 'registering',
  admission: bySocialSecurityCard,
  psn_no: 'P1',
  insutype: '310',
  insuplc_admdvs: '420100',
};
const input = (state: VisitState, pending: Exclude<PendingRequest, { kind: 'reverse-registration' }>) =>
  inputOf('ZY001', state, pending, FIXMEDINS_CODE) as Record<string, Record<string, unknown>>;

describe('the wire input of the identify and entitlement steps', () => {
  it('1101 with a social security card sends its card_sn, and the name the HIS gave', () => {
    const sent = input({ ...identified, psn_no: null }, { kind: 'identify', infno: '1101' });
    expect(sent).toEqual({
      data: {
        mdtrt_cert_type: '03',
        mdtrt_cert_no: 'H42010200001',
        card_sn: '420100D15600000500A1B2C3',
        psn_name: '张三',
      },
    });
    expect(() => validateInput('1101', sent)).not.toThrow();
  });

  it('1101 with an ID card sends the certificate alone when the HIS gave nothing more', () => {
    const { card_sn: _sn, psn_name: _name, ...idCard } = bySocialSecurityCard;
    const state = { ...identified, admission: { ...idCard, mdtrt_cert_type: '02' as const } };
    const sent = input(state, { kind: 'identify', infno: '1101' });
    expect(sent).toEqual({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: 'H42010200001' } });
  });

  it('2001 asks for the person, insutype, hospital, med_type, admission time and the disease given', () => {
    const sent = input(identified, { kind: 'check-entitlement', infno: '2001' });
    expect(sent).toEqual({
      data: {
        psn_no: 'P1',
        insutype: '310',
        fixmedins_code: FIXMEDINS_CODE,
        med_type: '21',
        begntime: bySocialSecurityCard.begntime,
        dise_codg: 'C34.900',
      },
    });
    expect(() => validateInput('2001', sent)).not.toThrow();
  });

  it('2401 and 2403 carry neither card_sn nor psn_name (1101 alone takes them)', () => {
    const registration = input(identified, { kind: 'register', infno: '2401' });
    expect(registration.mdtrtinfo).not.toHaveProperty('card_sn');
    expect(registration.mdtrtinfo).not.toHaveProperty('psn_name');
    expect(() => validateInput('2401', registration)).not.toThrow();
    const change = input(
      { ...identified, status: 'registered', mdtrt_id: 'M1' },
      { kind: 'change', infno: '2403', admission: bySocialSecurityCard },
    );
    expect(change.adminfo).not.toHaveProperty('card_sn');
    expect(() => validateInput('2403', change)).not.toThrow();
  });
});

it("2401 asks the client to mask the patient's name and card in the platform's words, which its input does not carry", async () => {
  const options: unknown[] = [];
  // Records the call's options (a recording stand-in: what the real client masks is its own tested rule).
  const recording = {
    call: async (_infno: string, _input: unknown, callOptions: unknown) => {
      options.push(callOptions);
      return { status: 'UNKNOWN', msgid: 'M1', reason: 'not sent', attempts: 1 };
    },
  } as unknown as PlatformClient;
  await sendPendingRequest(
    recording,
    'ZY001',
    identified,
    { kind: 'register', infno: '2401' },
    FIXMEDINS_CODE,
  );
  expect(options).toEqual([
    expect.objectContaining({ patientIdentifiers: ['张三', '420100D15600000500A1B2C3'] }),
  ]);
});

describe('the wire input of a 生育住院 (med_type 52) and a newborn', () => {
  const maternity = PatientAdmittedV2.example as AdmissionData;
  const delivered = AdmissionChangedV2.example as AdmissionData;
  const newborn: AdmissionData = {
    ...(PatientAdmittedV1.example as AdmissionData),
    gend: '1',
    brdy: '2024-05-01',
    nwb_adm_type: '2',
    nwb_bir_wt: '2450',
    nwb_adm_wt: '2400',
  };
  const registered = (admission: AdmissionData): VisitState => ({
    ...identified,
    status: 'registered',
    admission,
    mdtrt_id: 'M1',
  });

  it('2401 carries the maternity fields, never the sex, birth date or newborn fields (no admission interface takes them)', () => {
    const registration = input({ ...identified, admission: maternity }, { kind: 'register', infno: '2401' });
    expect(registration.mdtrtinfo).toMatchObject({ med_type: '52', geso_val: 39, fetts: 2, fetus_cnt: 1 });
    for (const field of ['gend', 'brdy']) expect(registration.mdtrtinfo).not.toHaveProperty(field);
    expect(() => validateInput('2401', registration)).not.toThrow();
    const baby = input({ ...identified, admission: newborn }, { kind: 'register', infno: '2401' });
    for (const field of ['gend', 'brdy', 'nwb_adm_type', 'nwb_bir_wt', 'nwb_adm_wt']) {
      expect(baby.mdtrtinfo).not.toHaveProperty(field);
    }
    expect(() => validateInput('2401', baby)).not.toThrow();
  });

  it('2403 after the delivery carries matn_type and the delivery date', () => {
    const change = input(registered(maternity), { kind: 'change', infno: '2403', admission: delivered });
    expect(change.adminfo).toMatchObject({ matn_type: '1', birctrl_matn_date: '2024-05-02', pret_flag: '0' });
    expect(change.adminfo).not.toHaveProperty('gend');
    expect(() => validateInput('2403', change)).not.toThrow();
  });

  it('2402 repeats the maternity fields of the admission as it stands; a stay without them sends none', () => {
    const discharge = DischargeRequestedV1.example as DischargeData;
    const sent = input(registered(delivered), { kind: 'discharge', infno: '2402', discharge });
    expect(sent.dscginfo).toMatchObject({
      matn_type: '1',
      birctrl_matn_date: '2024-05-02',
      geso_val: 39,
      fetts: 2,
      fetus_cnt: 1,
      latechb_flag: '0',
      pret_flag: '0',
    });
    expect(() => validateInput('2402', sent)).not.toThrow();
    const ordinary = input(registered(newborn), { kind: 'discharge', infno: '2402', discharge });
    const maternityFields = Object.keys(ordinary.dscginfo!).filter((k) =>
      /matn|birctrl|geso|fett|fetus|chb|pret|fpsc/.test(k),
    );
    expect(maternityFields).toEqual([]);
  });
});

describe("a refusal's meaning, read from the platform's words here so the decider never reads them", () => {
  it('reads a 2402 refused because the platform holds the discharge as already-discharged', () => {
    expect(visitRefusalMeaning('2402', '就诊ID[M1]已办理出院，不能重复办理出院')).toBe('already-discharged');
  });

  it('gives no meaning to another 2402 refusal, nor to the same words on another interface', () => {
    expect(visitRefusalMeaning('2402', '出院时间不能早于入院时间')).toBeUndefined();
    expect(visitRefusalMeaning('2404', '就诊ID[M1]已办理出院，请先撤销出院后再撤销入院登记')).toBeUndefined();
  });
});
