import { z } from 'zod';
import { defineContract } from './contract';
import { code, flag, platformDate } from './field-formats';
import { operatorExample, operatorSchema } from './operator';
import { Topics, commandTopic } from './topics';

// The settlement service's operator commands (from the billing dashboard, on `insurance.commands.settlement`)
// and the saga's own results beyond insurance-inpatient.ts: its timeline, and compensations that failed.

const ipt_no = code(30).describe('住院号');
const mdtrt_id = code(30).describe('就诊ID returned by 2401');
const msgid = z
  .string()
  .regex(/^[A-Z0-9]{12}\d{18}$/, { message: 'must be a platform msgid (fixmedins_code + 18 digits)' })
  .describe('报文ID of the platform call');
const saga_id = code(64).describe('The settlement saga: one per settlement attempt of a visit');

/** The saga's steps, forward and backward, as the timeline names them. */
export const SETTLEMENT_SAGA_STEPS = [
  'FEE_RECONCILIATION',
  'PRE_SETTLEMENT_AUDIT',
  'PRE_SETTLEMENT',
  // The cashier (or the HIS) confirms the pre-settlement's split before anything is applied.
  'CONFIRMATION',
  'DISCHARGE',
  'SETTLEMENT_AUDIT',
  'SETTLEMENT',
  'REVERSAL',
  'DISCHARGE_UNDO',
  'SETTLEMENT_CANCEL',
  // The billing office reversed the settlement in our books (本地冲销, reconciliation's SettlementReversedLocally).
  'LOCAL_REVERSAL',
] as const;

/** Where a saga stands; all but the first four are terminal until a person acts (retry, cancel). */
export const SETTLEMENT_SAGA_STATES = [
  'RUNNING',
  'WAITING_FOR_PERSON',
  // 2303 answered: the split waits for a cashier's (or the HIS's) confirmation before 2402/2304.
  'AWAITING_CONFIRMATION',
  // The platform (or the service asked, waiting out the platform) did not answer the step: it is asked again,
  // with backoff, until it answers — silence is not an answer, so the saga neither fails nor needs a person.
  'WAITING_FOR_PLATFORM',
  'SETTLED',
  'FAILED',
  'COMPENSATION_FAILED',
  'CANCELLED',
  // The platform applied a step (2304/2305) whose answer lacks what we must record: a person completes it.
  'APPLIED_UNREADABLE',
  // The platform does not hold the settlement (cancelled at its counter, or never applied) and the billing office
  // reversed it in our books (本地冲销): it no longer stands, and the visit may be settled again.
  'REVERSED_LOCALLY',
] as const;

export type SettlementSagaState = (typeof SETTLEMENT_SAGA_STATES)[number];

/** The states a saga ends in: nothing more happens until a person acts. */
export const SETTLEMENT_SAGA_TERMINAL_STATES = SETTLEMENT_SAGA_STATES.filter(
  (
    state,
  ): state is Exclude<
    SettlementSagaState,
    'RUNNING' | 'WAITING_FOR_PERSON' | 'AWAITING_CONFIRMATION' | 'WAITING_FOR_PLATFORM'
  > =>
    state !== 'RUNNING' &&
    state !== 'WAITING_FOR_PERSON' &&
    state !== 'AWAITING_CONFIRMATION' &&
    state !== 'WAITING_FOR_PLATFORM',
);

export const RetrySettlementV1 = defineContract({
  type: 'RetrySettlement',
  version: 1,
  topic: commandTopic('settlement'),
  summary:
    'A person asks to run the settlement saga of a visit again after it failed (or to resume it after resolving a ' +
    'failed compensation on the platform); answered by the saga’s timeline.',
  data: z
    .object({
      ipt_no,
      saga_id: saga_id.describe('The failed saga the person looked at; refused if another has started since'),
      comment: code(500).describe('What the person checked or changed'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    saga_id: 'setl-ZY20240501001-1',
    comment: '已撤销出院并补传费用',
    requested_by: operatorExample,
  },
});

export const CancelSettlementV1 = defineContract({
  type: 'CancelSettlement',
  version: 1,
  topic: commandTopic('settlement'),
  summary:
    'A person asks to cancel a settlement (2305 结算撤销), and to undo the discharge after it (2405) when ' +
    'undo_discharge is true.',
  data: z
    .object({
      ipt_no,
      setl_id: code(30).optional().describe('结算ID to cancel; the visit’s latest settlement when absent'),
      undo_discharge: z.boolean().describe('Also run 2405 出院撤销 once 2305 succeeded'),
      reason: code(500).describe('Why the settlement is cancelled'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    undo_discharge: true,
    reason: '患者要求重新结算',
    requested_by: operatorExample,
  },
});

/** A confirmation's decision: settle with the split shown, or stop before anything is applied. */
export const PRE_SETTLEMENT_DECISIONS = ['CONFIRM', 'CANCEL'] as const;

export const ConfirmPreSettlementV1 = defineContract({
  type: 'ConfirmPreSettlement',
  version: 1,
  topic: commandTopic('settlement'),
  summary:
    'A cashier (operator) confirms the pre-settlement (2303) split of a saga in AWAITING_CONFIRMATION, choosing ' +
    'whether the personal account pays (acct_used_flag: another choice than the request’s runs 2303 again and ' +
    'asks again), or cancels before anything is applied on the platform.',
  data: z
    .object({
      ipt_no,
      saga_id: saga_id.describe('The saga whose split the cashier saw; refused if it no longer waits'),
      decision: z.enum(PRE_SETTLEMENT_DECISIONS).describe('CONFIRM: settle; CANCEL: stop, nothing applied'),
      acct_used_flag: z.enum(['0', '1']).optional().describe('个人账户使用标志; the request’s when absent'),
      comment: code(500).optional().describe('Why (required by the dashboard for a cancel)'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    saga_id: 'setl-ZY20240501001-1',
    decision: 'CONFIRM',
    acct_used_flag: '1',
    requested_by: operatorExample,
  },
});

export const SettlementSagaProgressedV1 = defineContract({
  type: 'SettlementSagaProgressed',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'One entry of a settlement saga’s timeline: a step started, answered, timed out, retried, reversed or ' +
    'compensated, and the saga’s state after it.',
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      saga_id,
      seq: z.number().int().min(1).describe('Position of the entry in the saga’s timeline'),
      step: z.enum(SETTLEMENT_SAGA_STEPS),
      status: z
        .enum([
          'STARTED',
          'SUCCEEDED',
          'APPLIED_UNREADABLE',
          'REJECTED',
          'UNKNOWN',
          'TIMED_OUT',
          'RETRYING',
          'WAITING_FOR_PERSON',
          // Unanswered: asked again at a later time (the saga is WAITING_FOR_PLATFORM meanwhile).
          'WAITING_FOR_PLATFORM',
        ])
        .describe('What happened to the step'),
      attempt: z.number().int().min(1).describe('Which try of the step'),
      infno: z
        .string()
        .regex(/^\d{4}[A-Z]?$/, { message: 'must be an interface number such as 2304' })
        .optional()
        .describe('The platform transaction, when the step is one'),
      msgid: msgid.optional(),
      detail: z.string().max(4000).describe('What happened, in the platform’s words when it answered'),
      saga_state: z.enum(SETTLEMENT_SAGA_STATES),
      mid_setl_flag: z.enum(['0', '1']),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    saga_id: 'setl-ZY20240501001-1',
    seq: 7,
    step: 'SETTLEMENT',
    status: 'UNKNOWN',
    attempt: 1,
    infno: '2304',
    msgid: 'H42010200001202405081030000007',
    detail: 'timeout after 30000 ms: 2601 冲正 follows',
    saga_state: 'RUNNING',
    mid_setl_flag: '0',
  },
});

export const SettlementCompensationFailedV1 = defineContract({
  type: 'SettlementCompensationFailed',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'A compensation was itself refused or unanswered (2601, 2405 or 2305): the saga stops in COMPENSATION_FAILED ' +
    'with what a person needs to resolve it on the platform.',
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      saga_id,
      compensation: z.enum(['2601', '2405', '2305']).describe('The undoing transaction that failed'),
      msgid: msgid.optional().describe('报文ID of the failed compensation'),
      omsgid: msgid.optional().describe('原报文ID the compensation was undoing'),
      oinfno: z.string().max(5).optional().describe('原交易编号'),
      setl_id: code(30).optional().describe('结算ID concerned, when known'),
      platform_answer: code(4000).describe('The platform’s err_msg, or why no answer came'),
      platform_state: code(2000).describe('What is known and unknown of the platform’s state'),
      suggested_action: code(2000).describe('What a person should check and do'),
      needs_person: z.literal(true),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    saga_id: 'setl-ZY20240501001-1',
    compensation: '2601',
    msgid: 'H42010200001202405081031000008',
    omsgid: 'H42010200001202405081030000007',
    oinfno: '2304',
    platform_answer: '冲正的结算信息退费结算标志不为未退费，不能办理冲正交易',
    platform_state: '2304 may have been applied and cancelled since; 2601 refused',
    suggested_action: '在医保平台查询该就诊的结算记录 (5203)，确认后在看板上重试结算',
    needs_person: true,
  },
});

export const SettlementRequestRefusedV1 = defineContract({
  type: 'SettlementRequestRefused',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'The settlement service refused a request without starting a saga or calling the platform (a visit already ' +
    'settled, a saga in progress, an unknown settlement to cancel, a retry of another saga than the latest…).',
  data: z
    .object({
      ipt_no,
      request: code(50).describe('The refused message type, e.g. SettlementRequested'),
      saga_id: saga_id.optional().describe('The saga that stands in the way, or the one named by a retry'),
      reason: code(4000).describe('Why, for the HIS and the billing office'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    request: 'SettlementRequested',
    saga_id: 'setl-ZY20240501001-1',
    reason: '该住院已结算 (setl_id 420000S0000098765432): cancel the settlement before settling again',
  },
});

export const PlatformSlipPrintedV1 = defineContract({
  type: 'PlatformSlipPrinted',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    "The platform's own settlement slip (Hubei's YH03 结算单据打印, fetched with 9102 when it answers a file): kept " +
    'beside the hospital-made slip for the billing office to print.',
  data: z
    .object({
      ipt_no,
      mdtrt_id,
      setl_id: code(30).describe('结算ID the slip is for'),
      msgid: msgid.describe('报文ID of the YH03 call'),
      filename: code(200).describe(
        "The platform's file name (or the setl_id when it answered the document inline)",
      ),
      content_type: code(100).describe('Media type read from the document (application/pdf, text/html …)'),
      document_base64: z
        .string()
        .max(1_400_000)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'must be Base64' })
        .describe('The document as the platform made it, Base64'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    setl_id: '420000S0000098765432',
    msgid: 'H42010200001202405081031000009',
    filename: '420000S0000098765432.pdf',
    content_type: 'application/pdf',
    document_base64: 'JVBERi0xLjQK',
  },
});

export const PlatformSlipUnavailableV1 = defineContract({
  type: 'PlatformSlipUnavailable',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    "The platform's slip (YH03) could not be had: the settlement stands (a slip is a print); retried later while " +
    "retrying is true, then for a person (the hospital's own slip prints meanwhile).",
  data: z
    .object({
      ipt_no,
      setl_id: code(30).describe('结算ID the slip is for'),
      reason: code(4000).describe("Why, in the platform's words when it answered"),
      attempts: z.number().int().min(1).describe('Attempts so far'),
      retrying: z.boolean().describe('true: asked again later; false: given up, for a person'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    setl_id: '420000S0000098765432',
    reason: 'YH03 unanswered: timeout after 30000 ms',
    attempts: 1,
    retrying: true,
  },
});

export const SettlementLocalReversalRecordedV1 = defineContract({
  type: 'SettlementLocalReversalRecorded',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    "The settlement saga took reconciliation's SettlementReversedLocally (本地冲销): the settlement no longer " +
    'stands in our books, its saga is REVERSED_LOCALLY, and the visit may be settled again; fee-detail makes the ' +
    'lines it covered unsettled. Nothing was sent to the platform. A reversal the saga cannot take (a settlement ' +
    'it does not hold, or not standing) is answered by SettlementRequestRefused instead.',
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      saga_id: saga_id.describe('The saga whose 2304 made the settlement'),
      setl_id: code(30).describe('结算ID reversed in our books'),
      mid_setl_flag: flag().describe('1: a mid-way settlement (中途结算) was reversed'),
      stmt_date: platformDate().describe('对账日期 of the reconciliation that found it'),
      reason: code(500).describe('Why the platform does not hold it, as the person wrote'),
      reversed_by: operatorSchema,
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    saga_id: 'setl-ZY20240501001-1',
    setl_id: '420000S0000098765432',
    mid_setl_flag: '0',
    stmt_date: '2024-05-15',
    reason: '中心窗口已撤销该结算',
    reversed_by: operatorExample,
  },
});

export const SETTLEMENT_CONTRACTS = [
  RetrySettlementV1,
  CancelSettlementV1,
  ConfirmPreSettlementV1,
  SettlementSagaProgressedV1,
  SettlementCompensationFailedV1,
  SettlementRequestRefusedV1,
  PlatformSlipPrintedV1,
  PlatformSlipUnavailableV1,
  SettlementLocalReversalRecordedV1,
] as const;
