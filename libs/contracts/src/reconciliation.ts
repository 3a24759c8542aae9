import { z } from 'zod';
import { defineContract } from './contract';
import { code, flag, money, platformDate } from './field-formats';
import { operatorExample, operatorSchema } from './operator';
import { Topics, commandTopic } from './topics';

// The reconciliation service (对账): its command (on `insurance.commands.reconciliation`) and its results (on
// `insurance.reconciliation`), keyed by the settlement day (stmt_date, Asia/Shanghai), not by a visit.

const stmt_date = platformDate().describe('对账日期: the settlement day reconciled (Asia/Shanghai)');
const group = {
  insutype: code(6).describe('险种类型'),
  clr_type: code(6).describe('清算类别 (21 住院)'),
  setl_optins: code(6).describe('结算经办机构 (the clr_optins 2304 answered)'),
};
const totals = z
  .object({
    fixmedins_setl_cnt: z.number().int().min(0).describe('结算笔数 (a refund is a row of its own)'),
    medfee_sumamt: money().describe('医疗费总额'),
    fund_pay_sumamt: money().describe('基金支付总额'),
    acct_pay: money().describe('个人账户支出'),
  })
  .strict();
const amounts = z
  .object({ medfee_sumamt: money(), fund_pay_sumamt: money(), acct_pay: money() })
  .strict()
  .describe("One settlement row's amounts");

export const DIFFERENCE_KINDS = ['PLATFORM_ONLY', 'HOSPITAL_ONLY', 'AMOUNTS_DIFFER'] as const;
export const SUGGESTED_ACTIONS = [
  'ADOPT_PLATFORM_RECORD',
  'CHECK_AND_RESEND_OR_REVERSE',
  'CHECK_AMOUNTS',
] as const;
/**
 * What a run asks the platform: 3201 per group and 3202 where unbalanced (a day's run), and Hubei's period checks
 * 5262 (the day's settlements of our own area's insured) / 5267 (异地), compared by setl_id with our ledger.
 */
export const RECONCILIATION_CHECKS = ['3201', '5262', '5267'] as const;
/** Which comparison found a difference: 3202's result file, or the list 5262 / 5267 gave. */
export const DIFFERENCE_FINDERS = ['3202', '5262', '5267'] as const;
/**
 * How a difference was resolved: the platform's row adopted (after 5203, by the service), explained by a person,
 * the platform's amounts adopted for our row by a person (after 5203), or our row reversed in our books by a person.
 */
export const RESOLUTIONS = ['PLATFORM_RECORD_ADOPTED', 'EXPLAINED', 'ADOPTED', 'REVERSED_LOCALLY'] as const;

export const ReconcileDayV1 = defineContract({
  type: 'ReconcileDay',
  version: 1,
  topic: commandTopic('reconciliation'),
  summary:
    'Reconciles one settlement day with the platform now (3201 per group, 3202 where unbalanced) instead of ' +
    "waiting for the schedule; a day reconciled before is reconciled again. `checks` asks Hubei's period " +
    'checks instead (5262 本地 / 5267 异地) or besides; a run under way takes on the checks it lacks.',
  data: z
    .object({
      stmt_date,
      checks: z
        .array(z.enum(RECONCILIATION_CHECKS))
        .min(1)
        .optional()
        .describe('What to ask: 3201 (with 3202 where unbalanced, the default), 5262, 5267'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: { stmt_date: '2024-05-15', requested_by: operatorExample },
  key: 'stmt_date',
});

export const ExplainReconciliationDifferenceV1 = defineContract({
  type: 'ExplainReconciliationDifference',
  version: 1,
  topic: commandTopic('reconciliation'),
  summary:
    'A person marks a difference as explained (e.g. a settlement the platform cancelled on purpose), with why; ' +
    'answered by ReconciliationDifferenceResolved naming who. Nothing is changed on the platform.',
  data: z
    .object({
      stmt_date,
      setl_id: code(30).describe('结算ID of the difference'),
      explanation: code(500).describe('Why the difference is in order'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: {
    stmt_date: '2024-05-15',
    setl_id: '420100202405150000012345',
    explanation: '中心已撤销该结算，医院已退费',
    requested_by: operatorExample,
  },
  key: 'stmt_date',
});

export const AdoptPlatformAmountsV1 = defineContract({
  type: 'AdoptPlatformAmounts',
  version: 1,
  topic: commandTopic('reconciliation'),
  summary:
    "A person adopts the platform's record of a settlement whose amounts differ (AMOUNTS_DIFFER): 5203 looks the " +
    "platform's amounts up and our ledger records them as the settlement's, with both sides' amounts and who; " +
    'answered by ReconciliationDifferenceResolved (ADOPTED). Nothing is changed on the platform.',
  data: z
    .object({
      stmt_date,
      setl_id: code(30).describe('结算ID of the difference'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: { stmt_date: '2024-05-15', setl_id: '420100202405150000012345', requested_by: operatorExample },
  key: 'stmt_date',
});

export const ReverseSettlementLocallyV1 = defineContract({
  type: 'ReverseSettlementLocally',
  version: 1,
  topic: commandTopic('reconciliation'),
  summary:
    'A person confirms that a settlement only we hold (HOSPITAL_ONLY) stands cancelled on the platform (cancelled ' +
    'at its counter, or never applied): our ledger records it reversed, with the reason and who; answered by ' +
    'ReconciliationDifferenceResolved (REVERSED_LOCALLY) and SettlementReversedLocally. Nothing is sent to the platform.',
  data: z
    .object({
      stmt_date,
      setl_id: code(30).describe('结算ID of the difference'),
      reason: code(500).describe('Why the platform does not hold it'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: {
    stmt_date: '2024-05-15',
    setl_id: '420100202405150000012345',
    reason: '中心窗口已撤销该结算',
    requested_by: operatorExample,
  },
  key: 'stmt_date',
});

export const ReconciliationGroupCheckedV1 = defineContract({
  type: 'ReconciliationGroupChecked',
  version: 1,
  topic: Topics.reconciliation,
  summary: "3201 对总账 of one group: our totals and the platform's verdict (stmt_rslt 0 平).",
  data: z
    .object({
      stmt_date,
      run: z.number().int().min(1).describe("The day's reconciliation run"),
      ...group,
      ours: totals,
      balanced: z.boolean(),
      stmt_rslt: code(6).describe('对账结果 as the platform answered'),
      stmt_rslt_dscr: code(200).optional().describe('对账结果说明'),
    })
    .strict(),
  example: {
    stmt_date: '2024-05-15',
    run: 1,
    insutype: '310',
    clr_type: '21',
    setl_optins: '420100',
    ours: {
      fixmedins_setl_cnt: 12,
      medfee_sumamt: '48211.07',
      fund_pay_sumamt: '35120.44',
      acct_pay: '2100.00',
    },
    balanced: true,
    stmt_rslt: '0',
  },
  key: 'stmt_date',
});

export const ReconciliationDifferenceFoundV1 = defineContract({
  type: 'ReconciliationDifferenceFound',
  version: 1,
  topic: Topics.reconciliation,
  summary:
    '3202 对明细账 (or a 5262 / 5267 period check) found a settlement row that differs (差账): on the platform only (a lost 2304 answer, a refund ' +
    'we never heard of), on our side only, or with other amounts; with the action suggested.',
  data: z
    .object({
      stmt_date,
      run: z.number().int().min(1),
      setl_id: code(30).describe('结算ID'),
      ...group,
      insutype: group.insutype
        .optional()
        .describe('险种类型; absent for a row only the platform holds (3202 compares across insutypes)'),
      kind: z.enum(DIFFERENCE_KINDS),
      suggested_action: z.enum(SUGGESTED_ACTIONS),
      found_by: z
        .enum(DIFFERENCE_FINDERS)
        .optional()
        .describe("Which comparison found it: 3202's result file (when absent too) or the 5262 / 5267 list"),
      refd_setl_flag: flag().describe('退费结算标志 of the row'),
      mdtrt_id: code(30).optional(),
      msgid: code(30).optional().describe("The platform's msgid of the row (2601's omsgid)"),
      ours: amounts.optional().describe('Absent when we hold no such row'),
      platform: amounts.optional().describe('Absent when the platform holds no such row'),
    })
    .strict(),
  example: {
    stmt_date: '2024-05-15',
    run: 1,
    setl_id: '420100202405150000012345',
    insutype: '310',
    clr_type: '21',
    setl_optins: '420100',
    kind: 'PLATFORM_ONLY',
    suggested_action: 'ADOPT_PLATFORM_RECORD',
    refd_setl_flag: '0',
    mdtrt_id: '420100202405061234567890',
    msgid: 'H42010200123202405150930120001',
    platform: { medfee_sumamt: '300.00', fund_pay_sumamt: '240.00', acct_pay: '0.00' },
  },
  key: 'stmt_date',
});

export const ReconciliationDifferenceResolvedV1 = defineContract({
  type: 'ReconciliationDifferenceResolved',
  version: 1,
  topic: Topics.reconciliation,
  summary:
    "A difference resolved: the platform's record adopted into our ledger after 5203 confirmed it (by the " +
    'service), or explained by a person (ExplainReconciliationDifference).',
  data: z
    .object({
      stmt_date,
      setl_id: code(30),
      resolution: z.enum(RESOLUTIONS),
      resolved_by: code(64).describe("'reconciliation' or the dashboard user"),
      role: operatorSchema.shape.role
        .optional()
        .describe("The role the dashboard checked (a person's action)"),
      explanation: code(500).optional().describe("The person's reason (EXPLAINED, REVERSED_LOCALLY)"),
    })
    .strict(),
  example: {
    stmt_date: '2024-05-15',
    setl_id: '420100202405150000012345',
    resolution: 'PLATFORM_RECORD_ADOPTED',
    resolved_by: 'reconciliation',
  },
  key: 'stmt_date',
});

export const SettlementReversedLocallyV1 = defineContract({
  type: 'SettlementReversedLocally',
  version: 1,
  topic: Topics.reconciliation,
  summary:
    'A settlement (or refund) of ours the platform does not hold is reversed in our books by a person: the visit ' +
    'is no longer settled on the platform side. The fact for the settlement saga; nothing was sent to the platform.',
  data: z
    .object({
      stmt_date,
      setl_id: code(30),
      ipt_no: code(30).describe('住院号 of the visit'),
      mdtrt_id: code(30),
      refd_setl_flag: flag().describe('1: the reversed row is a refund (2305)'),
      reason: code(500),
      reversed_by: operatorSchema,
    })
    .strict(),
  example: {
    stmt_date: '2024-05-15',
    setl_id: '420100202405150000012345',
    ipt_no: 'ZY20240506001',
    mdtrt_id: '420100202405061234567890',
    refd_setl_flag: '0',
    reason: '中心窗口已撤销该结算',
    reversed_by: operatorExample,
  },
  key: 'stmt_date',
});

export const ReconciliationCompletedV1 = defineContract({
  type: 'ReconciliationCompleted',
  version: 1,
  topic: Topics.reconciliation,
  summary: "A day's reconciliation run ended: groups balanced and not, differences found and still open.",
  data: z
    .object({
      stmt_date,
      run: z.number().int().min(1),
      groups: z.number().int().min(0),
      balanced: z.number().int().min(0),
      differences: z.number().int().min(0),
      open_differences: z.number().int().min(0),
    })
    .strict(),
  example: { stmt_date: '2024-05-15', run: 1, groups: 2, balanced: 1, differences: 1, open_differences: 0 },
  key: 'stmt_date',
});

export const RECONCILIATION_CONTRACTS = [
  ReconcileDayV1,
  ExplainReconciliationDifferenceV1,
  AdoptPlatformAmountsV1,
  ReverseSettlementLocallyV1,
  ReconciliationGroupCheckedV1,
  ReconciliationDifferenceFoundV1,
  ReconciliationDifferenceResolvedV1,
  SettlementReversedLocallyV1,
  ReconciliationCompletedV1,
] as const;
