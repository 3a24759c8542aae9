import { NEWBORN_FIELDS, type MessageType } from '@yb/contracts';
import { type ConsumedMessage, type KafkaConsumerHost } from '@yb/messaging';
import { reportStreamId } from '../report/report.decider';
import { type ReportIdentity, type ReportInfno } from '../report/report.events';
import { type ReportWorkflow } from '../report/report-workflow';
import { type ReportUploads } from '../platform/report-uploads';
import { type VisitEvent } from '../visit/reporting-visit';

/** What one consumed message tells: facts about the visit, and the report sources it records or withdraws. */
interface Effects {
  readonly facts?: VisitEvent[];
  readonly sources?: { infno: ReportInfno; report_ref: string; source: unknown }[];
  readonly withdrawals?: { infno: ReportInfno; report_ref: string; reason: string }[];
}

/** The message's data without the visit key (the streams are keyed by it already). */
const withoutVisit = <T extends { ipt_no: string }>(data: T): Omit<T, 'ipt_no'> => {
  const { ipt_no: _ipt_no, ...rest } = data;
  return rest;
};

const EFFECTS: { [T in MessageType]?: (message: ConsumedMessage<T>) => Effects } = {
  // his.inpatient: the stay's dates and departments (a changed department is a transfer)
  PatientAdmitted: ({ envelope: { data } }) => ({ facts: [admissionFact(data)] }),
  AdmissionChanged: ({ envelope: { data } }) => ({ facts: [admissionFact(data)] }),
  DischargeRequested: ({ envelope: { data } }) => ({
    facts: [
      {
        type: 'DischargeNoted',
        data: { endtime: data.endtime, dscg_way: data.dscg_way, dscg_dept_codg: data.dscg_dept_codg },
      },
    ],
  }),
  SettlementRequested: ({ envelope: { data } }) => ({
    facts: [{ type: 'SettlementRequestNoted', data: { ...(data.invono && { invono: data.invono }) } }],
  }),
  // insurance.inpatient: the platform's registration and settlement
  AdmissionRegistered: ({ envelope: { data } }) => ({
    facts: [
      {
        type: 'RegistrationNoted',
        data: {
          mdtrt_id: data.mdtrt_id,
          psn_no: data.psn_no,
          ...(data.insuplc_admdvs && { insuplc_admdvs: data.insuplc_admdvs }),
          ...(data.insutype && { insutype: data.insutype }),
        },
      },
    ],
  }),
  Settled: ({ envelope: { data } }) => ({
    facts: [{ type: 'SettlementNoted', data: withoutVisit(data) }],
    sources: [{ infno: '4101A', report_ref: data.setl_id, source: { setl_id: data.setl_id } }],
  }),
  SettlementCancelled: ({ envelope: { data } }) => ({
    facts: [{ type: 'SettlementCancellationNoted', data: { init_setl_id: data.init_setl_id } }],
    withdrawals: [{ infno: '4101A', report_ref: data.init_setl_id, reason: `结算已撤销 (${data.setl_id})` }],
  }),
  // his.clinical: one report per record the platform keys
  MedicalRecordHomepageRecorded: ({ envelope: { data } }) => ({
    facts: [{ type: 'HomepageNoted', data: withoutVisit(data) }],
    sources: [{ infno: '4401', report_ref: data.medcasno, source: withoutVisit(data) }],
  }),
  MedicalOrdersRecorded: ({ envelope: { data } }) => ({
    sources: data.orders
      .filter((o) => o.vali_flag === '1')
      .map((o) => ({ infno: '4402' as const, report_ref: o.medcas_drord_detl_id, source: o })),
    withdrawals: data.orders
      .filter((o) => o.vali_flag === '0')
      .map((o) => ({ infno: '4402' as const, report_ref: o.medcas_drord_detl_id, reason: '医嘱已作废' })),
  }),
  ExamReportIssued: ({ envelope: { data } }) => clinical('4501', data.rpotc_no, data),
  LabReportIssued: ({ envelope: { data } }) => clinical('4502', data.rpotc_no, data),
  BacterialCultureReported: ({ envelope: { data } }) => clinical('4503', data.rpotc_no, data),
  DrugSensitivityReported: ({ envelope: { data } }) => clinical('4504', data.rpotc_no, data),
  PathologyReportIssued: ({ envelope: { data } }) => clinical('4505', data.palg_no, data),
  UnstructuredReportIssued: ({ envelope: { data } }) => clinical('4506', data.file_name, data),
};

/** The visit facts a settlement list (4101A) is built from. */
const LIST_FACTS: ReadonlySet<VisitEvent['type']> = new Set([
  'AdmissionNoted',
  'RegistrationNoted',
  'SettlementRequestNoted',
  'HomepageNoted',
]);

function admissionFact(data: ConsumedMessage<'PatientAdmitted'>['envelope']['data']): VisitEvent {
  const mainDiagnosis = data.diagnoses.find((d) => d.maindiag_flag === '1') ?? data.diagnoses[0];
  const newborn = Object.fromEntries(
    NEWBORN_FIELDS.filter((field) => data[field] !== undefined).map((field) => [field, data[field]]),
  );
  return {
    type: 'AdmissionNoted',
    data: {
      adm_diag_dscr: data.adm_diag_dscr,
      ...(mainDiagnosis && { adm_diag_code: mainDiagnosis.diag_code }),
      ...(Object.keys(newborn).length > 0 && { newborn }),
      begntime: data.begntime,
      adm_dept_codg: data.adm_dept_codg,
      insutype: data.insutype,
      med_type: data.med_type,
      chfpdr_name: data.chfpdr_name,
      atddr_no: data.atddr_no,
      ...(data.insuplc_admdvs && { insuplc_admdvs: data.insuplc_admdvs }),
    },
  };
}

function clinical(infno: ReportInfno, report_ref: string, data: { ipt_no: string }): Effects {
  return { sources: [{ infno, report_ref, source: withoutVisit(data) }] };
}

/**
 * Registers the handlers. Facts and sources are recorded with the message id in each stream's inbox (a
 * redelivery changes nothing); uploads happen on runs, not here. RunReportUploads runs now; RerunReportUpload
 * records the person's request and uploads that report at once. A command naming an unknown report fails,
 * and the consumer dead-letters it with the reason.
 */
export function registerReportingHandlers(
  host: KafkaConsumerHost,
  reports: ReportWorkflow,
  uploads: ReportUploads,
): void {
  for (const [type, effectsOf] of Object.entries(EFFECTS) as [
    MessageType,
    (m: ConsumedMessage) => Effects,
  ][]) {
    host.handle(type, async (message) => {
      const { envelope } = message;
      const ipt_no = envelope.key;
      const effects = effectsOf(message);
      const source = (consumer: string) => ({ message: envelope, consumer: `reporting.${consumer}` });
      for (const fact of effects.facts ?? []) {
        await reports.noteVisitFact(ipt_no, fact, source(`visit.${fact.type}`));
      }
      // A settlement list is built from the visit's facts, not from a source of its own: an uploaded one is
      // looked at again when they change (a corrected homepage: withdrawn and uploaded again if it differs).
      const listFacts = (effects.facts ?? []).filter((f) => LIST_FACTS.has(f.type));
      if (listFacts.length > 0) {
        const reason = `${listFacts.map((f) => f.type).join(', ')} (${envelope.type})`;
        for (const setl_id of Object.keys((await reports.readVisit(ipt_no)).settlements)) {
          const streamId = reportStreamId('4101A', setl_id);
          await reports.execute(streamId, { type: 'Recheck', reason }, source(`recheck.${streamId}`));
        }
      }
      for (const { infno, report_ref, source: content } of effects.sources ?? []) {
        const identity: ReportIdentity = { ipt_no, infno, report_ref };
        const streamId = reportStreamId(infno, report_ref);
        await reports.execute(
          streamId,
          { type: 'RecordSource', identity, source: content },
          source(streamId),
        );
      }
      for (const { infno, report_ref, reason } of effects.withdrawals ?? []) {
        const streamId = reportStreamId(infno, report_ref);
        if (!(await reports.read(streamId)).identity) continue;
        await reports.execute(streamId, { type: 'WithdrawReport', reason }, source(streamId));
      }
    });
  }
  host.handle('RunReportUploads', async ({ envelope }) => {
    await uploads.run({ run_date: envelope.data.run_date, trigger: 'on-demand' }, { cause: envelope });
  });
  host.handle('RerunReportUpload', async ({ envelope }) => {
    const { infno, report_ref, comment, requested_by } = envelope.data;
    const streamId = reportStreamId(infno, report_ref);
    await reports.execute(
      streamId,
      {
        type: 'RequestRerun',
        comment,
        requested_by,
        cause: { id: envelope.id, correlationId: envelope.correlationId },
      },
      { message: envelope, consumer: 'reporting.rerun' },
    );
    await uploads.uploadNow(streamId, envelope);
  });
}
