import { z } from 'zod';
import { defineContract } from './contract';
import { code, platformDate } from './field-formats';
import { operatorExample, operatorSchema } from './operator';
import { Topics, commandTopic } from './topics';

// The reporting service's commands (from the billing dashboard, on `insurance.commands.reporting`) and the
// report results beyond ReportUploaded/ReportPending (insurance-inpatient.ts).

const ipt_no = code(30).describe('住院号');
const msgid = z
  .string()
  .regex(/^[A-Z0-9]{12}\d{18}$/, { message: 'must be a platform msgid (fixmedins_code + 18 digits)' })
  .describe('报文ID of the platform call');
export const REPORT_INFNOS = [
  '4101A',
  '4401',
  '4402',
  '4501',
  '4502',
  '4503',
  '4504',
  '4505',
  '4506',
] as const;
const reportInfno = z.enum(REPORT_INFNOS);

export const RerunReportUploadV1 = defineContract({
  type: 'RerunReportUpload',
  version: 1,
  topic: commandTopic('reporting'),
  summary:
    'A person asks to upload one report again now (after a rejection, or after correcting it); answered by ' +
    'ReportUploaded, ReportRejected or ReportPending.',
  data: z
    .object({
      ipt_no,
      infno: reportInfno,
      report_ref: code(50).describe('The HIS id of the report'),
      comment: code(500).describe('What was corrected'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    infno: '4101A',
    report_ref: '420000S0000098765432',
    comment: '补录出院诊断后重传',
    requested_by: operatorExample,
  },
});

export const RunReportUploadsV1 = defineContract({
  type: 'RunReportUploads',
  version: 1,
  topic: commandTopic('reporting'),
  summary: 'Runs the daily upload now instead of waiting for the schedule (every report due, at most once).',
  data: z
    .object({
      run_date: platformDate().describe('The business day the run is for (Asia/Shanghai)'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: { run_date: '2024-05-09', requested_by: operatorExample },
  key: 'run_date',
});

export const ReportRejectedV1 = defineContract({
  type: 'ReportRejected',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'The platform refused an upload (infcode ≠ 0), or it failed; will_retry says whether it is tried again.',
  data: z
    .object({
      ipt_no,
      infno: reportInfno,
      report_ref: code(50),
      msgid: msgid.optional().describe('Absent when the call never reached the platform'),
      infcode: z.number().int().optional(),
      err_msg: code(4000).describe('The platform’s words, or the transport error'),
      will_retry: z.boolean().describe('false when only a correction or a person can help'),
      attempt: z.number().int().min(1),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    infno: '4101A',
    report_ref: '420000S0000098765432',
    msgid: 'H42010200001202405090200000009',
    infcode: -1,
    err_msg: '主要诊断编码不在医保疾病诊断目录内',
    will_retry: false,
    attempt: 1,
  },
});

export const ReportBacklogSummarizedV1 = defineContract({
  type: 'ReportBacklogSummarized',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'The reporting backlog after a run, per interface: how many reports wait, how many are overdue relative to ' +
    'their settlement date, and why. Keyed by the run date, not a visit.',
  data: z
    .object({
      as_of: z.string().datetime({ offset: true }).describe('When the figures were taken'),
      run_date: platformDate(),
      by_infno: z.array(
        z
          .object({
            infno: reportInfno,
            waiting: z.number().int().min(0),
            overdue: z.number().int().min(0),
            rejected: z.number().int().min(0),
            uploaded_today: z.number().int().min(0),
            reasons: z
              .array(z.object({ reason: code(500), count: z.number().int().min(1) }).strict())
              .describe('Why reports wait, most frequent first'),
          })
          .strict(),
      ),
    })
    .strict(),
  example: {
    as_of: '2024-05-09T02:00:05+08:00',
    run_date: '2024-05-09',
    by_infno: [
      {
        infno: '4101A',
        waiting: 3,
        overdue: 1,
        rejected: 0,
        uploaded_today: 42,
        reasons: [{ reason: '病案首页未完成', count: 3 }],
      },
    ],
  },
  key: 'run_date',
});

export const REPORTING_CONTRACTS = [
  RerunReportUploadV1,
  RunReportUploadsV1,
  ReportRejectedV1,
  ReportBacklogSummarizedV1,
] as const;
