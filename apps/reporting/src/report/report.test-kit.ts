import {
  BacterialCultureReportedV1,
  DrugSensitivityReportedV1,
  ExamReportIssuedV1,
  LabReportIssuedV1,
  MedicalOrdersRecordedV1,
  MedicalRecordHomepageRecordedV1,
  PathologyReportIssuedV1,
  PatientAdmittedV1,
  UnstructuredReportIssuedV1,
  type MessageOf,
} from '@yb/contracts';

// The clinical records of one visit, from the contracts' examples, with report ids unique to the visit:
// shared by the builders' unit tests and the service's integration tests.

export function clinicalRecords(ipt_no: string) {
  const tag = ipt_no.slice(-6);
  const homepage: MessageOf<'MedicalRecordHomepageRecorded'>['data'] = {
    ...MedicalRecordHomepageRecordedV1.example,
    ipt_no,
    medcasno: `BA${tag}`,
    psn_name: '测试患者',
    icu_stays: [
      {
        icu_codeid: '1',
        inpool_icu_time: '2024-05-02 10:00:00',
        out_icu_time: '2024-05-03 23:24:00',
      },
    ],
  };
  const orders: MessageOf<'MedicalOrdersRecorded'>['data'] = {
    ipt_no,
    orders: MedicalOrdersRecordedV1.example.orders.map((o) => ({ ...o, medcas_drord_detl_id: `YZ${tag}01` })),
  };
  return {
    admission: { ...PatientAdmittedV1.example, ipt_no } as MessageOf<'PatientAdmitted'>['data'],
    homepage,
    orders,
    exam: {
      ...ExamReportIssuedV1.example,
      ipt_no,
      rpotc_no: `JC${tag}`,
    } as MessageOf<'ExamReportIssued'>['data'],
    lab: {
      ...LabReportIssuedV1.example,
      ipt_no,
      rpotc_no: `JY${tag}`,
    } as MessageOf<'LabReportIssued'>['data'],
    culture: {
      ...BacterialCultureReportedV1.example,
      ipt_no,
      rpotc_no: `PY${tag}`,
    } as MessageOf<'BacterialCultureReported'>['data'],
    sensitivity: {
      ...DrugSensitivityReportedV1.example,
      ipt_no,
      rpotc_no: `YM${tag}`,
    } as MessageOf<'DrugSensitivityReported'>['data'],
    pathology: {
      ...PathologyReportIssuedV1.example,
      ipt_no,
      palg_no: `BL${tag}`,
      frozen_no: `BD${tag}`,
      sabc: 'CK(+)',
    } as MessageOf<'PathologyReportIssued'>['data'],
    unstructured: {
      ...UnstructuredReportIssuedV1.example,
      ipt_no,
      file_name: `JC${tag}.pdf`,
    } as MessageOf<'UnstructuredReportIssued'>['data'],
  };
}
