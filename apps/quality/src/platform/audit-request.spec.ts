import { TEST_HOSPITAL, testFeeLine } from '@yb/testing';
import { validateInput } from '@yb/platform-client';
import { type AuditCaseEvent } from '../audit-case/audit-case.events';
import { evolveAuditCase, initialAuditCaseState, nextAuditInFlight } from '../audit-case/audit-case.state';
import {
  AT,
  cause,
  MDTRT_ID,
  PSN_NO,
  registeredVisit,
  requested3102,
} from '../audit-case/audit-case.test-kit';
import { AREA_MISSING, auditInput, VisitIncompleteError } from './audit-request';
import { visitAdmission } from '../audit-case/audit-case.decider';
import { PatientAdmittedV1, PatientAdmittedV2 } from '@yb/contracts';

const stateOf = (events: readonly AuditCaseEvent[]) => events.reduce(evolveAuditCase, initialAuditCaseState);

describe('the 3101/3102 request built from the audit case', () => {
  const refund = testFeeLine('FY0003', 3, 'XJ01DDA068B002010101445', '-1', '43.2', 'FY0001');
  const voided = testFeeLine('FY0004', 3, 'XJ01CAA040A001010101445', '0.3333', '18.3');
  const events: AuditCaseEvent[] = [
    ...registeredVisit,
    {
      type: 'FeeLinesChargedNoted',
      data: { lines: [refund, voided, testFeeLine('FY0005', 3, 'X1', '1', '5')] },
    },
    { type: 'FeeLinesUploadedNoted', data: { mdtrt_id: MDTRT_ID, feedetl_sns: ['FY0003', 'FY0004'] } },
    { type: 'FeeLinesVoidedNoted', data: { feedetl_sns: ['FY0004'] } },
    {
      type: 'AuditRequested',
      data: {
        audit_id: '3101-4-up',
        infno: '3101',
        trig_scen: '4',
        requested_at: AT,
        deadline: AT,
        focus: { feedetl_sns: ['FY0003'] },
        cause: cause('up'),
      },
    },
  ];

  it('sends the visit, its diagnoses and its lines on the platform, valid by the interface schema', () => {
    const state = stateOf(events);
    const input = auditInput(state, nextAuditInFlight(state)!, TEST_HOSPITAL);
    expect(() => validateInput('3101', input)).not.toThrow();
    const [patient] = input.data.patient_dtos;
    expect(patient).toMatchObject({ patn_id: PSN_NO, curr_mdtrt_id: MDTRT_ID });
    const [encounter] = patient!.fsi_encounter_dtos;
    expect(encounter).toMatchObject({
      mdtrt_id: MDTRT_ID,
      medins_id: TEST_HOSPITAL.fixmedins_code,
      med_type: '21',
      insutype: '310',
      adm_date: '2024-05-01 09:00:00',
      dscg_main_dise_codg: 'J18.900',
      // 43.20 + 43.20 − 43.20: uploaded lines only; the voided and the never uploaded lines left out.
      medfee_sumamt: '43.20',
    });
    expect(encounter!.fsi_diagnose_dtos).toEqual([
      expect.objectContaining({ maindise_flag: '1', dise_codg: 'J18.900', inout_dise_type: '1' }),
    ]);
    expect(
      encounter!.fsi_order_dtos!.map((o) => [o.rx_id, o.hilist_code, o.cnt, o.sumamt, o.curr_drord_flag]),
    ).toEqual([
      ['FY0001', 'XJ01DDA068B002010101445', '1', '43.20', '0'],
      ['FY0002', 'XJ01DDA068B002010101445', '1', '43.20', '0'],
      ['FY0003', 'XJ01DDA068B002010101445', '-1', '-43.20', '1'],
    ]);
    expect(input.data.trig_scen).toBe('4');
  });

  it('rounds a quantity to the 6,2 that 3101 takes (the amount stays exact)', () => {
    const state = stateOf([
      ...registeredVisit,
      { type: 'FeeLinesChargedNoted', data: { lines: [voided] } },
      { type: 'FeeLinesUploadedNoted', data: { mdtrt_id: MDTRT_ID, feedetl_sns: ['FY0004'] } },
      { type: 'AuditRequested', data: requested3102() },
    ]);
    const input = auditInput(state, nextAuditInFlight(state)!, TEST_HOSPITAL);
    const line = input.data.patient_dtos[0]!.fsi_encounter_dtos[0]!.fsi_order_dtos!.find(
      (o) => o.rx_id === 'FY0004',
    );
    expect(line).toMatchObject({ cnt: '0.33', sumamt: voided.det_item_fee_sumamt });
    expect(() => validateInput('3102', input)).not.toThrow();
  });

  it('waits for the registration and for the HIS admission', () => {
    const request: AuditCaseEvent = { type: 'AuditRequested', data: requested3102() };
    const noRegistration = stateOf([registeredVisit[0]!, request]);
    expect(() => auditInput(noRegistration, nextAuditInFlight(noRegistration)!, TEST_HOSPITAL)).toThrow(
      VisitIncompleteError,
    );
    const noAdmission = stateOf([registeredVisit[1]!, request]);
    expect(() => auditInput(noAdmission, nextAuditInFlight(noAdmission)!, TEST_HOSPITAL)).toThrow(
      /PatientAdmitted/,
    );
  });

  it('names the insured area admission registered as poolarea (a cross-area patient), over the HIS one', () => {
    const request: AuditCaseEvent = { type: 'AuditRequested', data: requested3102() };
    const hisArea: AuditCaseEvent = {
      type: 'AdmissionNoted',
      data: { admission: { ...visitAdmission(PatientAdmittedV1.example), insuplc_admdvs: '420500' } },
    };
    const crossArea: AuditCaseEvent = {
      type: 'RegistrationNoted',
      data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO, insuplc_admdvs: '110000' },
    };
    const state = stateOf([hisArea, crossArea, request]);
    expect(auditInput(state, nextAuditInFlight(state)!, TEST_HOSPITAL).data.patient_dtos[0]).toMatchObject({
      poolarea: '110000',
    });
    const v1Registration: AuditCaseEvent = {
      type: 'RegistrationNoted',
      data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO },
    };
    const fromHis = stateOf([hisArea, v1Registration, request]);
    expect(
      auditInput(fromHis, nextAuditInFlight(fromHis)!, TEST_HOSPITAL).data.patient_dtos[0],
    ).toMatchObject({
      poolarea: '420500',
    });
  });

  it('waits, with the reason, when neither admission nor the HIS named the insured area', () => {
    const request: AuditCaseEvent = { type: 'AuditRequested', data: requested3102() };
    const unknownArea = stateOf([
      registeredVisit[0]!,
      { type: 'RegistrationNoted', data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO } },
      request,
    ]);
    expect(() => auditInput(unknownArea, nextAuditInFlight(unknownArea)!, TEST_HOSPITAL)).toThrow(
      new VisitIncompleteError(AREA_MISSING),
    );
  });

  it('names the patient (patn_name, gend, brdy) when the HIS admission gives them, and leaves them out otherwise', () => {
    const request: AuditCaseEvent = { type: 'AuditRequested', data: requested3102() };
    const registered: AuditCaseEvent = {
      type: 'RegistrationNoted',
      data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO, insuplc_admdvs: '420100' },
    };
    const admitted = (admission: typeof PatientAdmittedV2.example): AuditCaseEvent => ({
      type: 'AdmissionNoted',
      data: { admission: visitAdmission(admission) },
    });
    const named = stateOf([
      admitted({ ...PatientAdmittedV2.example, psn_name: '李秀英' }),
      registered,
      request,
    ]);
    const input = auditInput(named, nextAuditInFlight(named)!, TEST_HOSPITAL);
    expect(input.data.patient_dtos[0]).toMatchObject({
      patn_id: PSN_NO,
      patn_name: '李秀英',
      gend: '2',
      brdy: '1992-03-15',
      poolarea: '420100',
    });
    expect(() => validateInput('3102', input)).not.toThrow();
    const unnamed = stateOf([admitted(PatientAdmittedV1.example), registered, request]);
    const patient = auditInput(unnamed, nextAuditInFlight(unnamed)!, TEST_HOSPITAL).data.patient_dtos[0];
    for (const field of ['patn_name', 'gend', 'brdy']) expect(patient).not.toHaveProperty(field);
  });
});
