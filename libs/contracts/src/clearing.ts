import { z } from 'zod';
import { defineContract } from './contract';
import { code, money, platformDate } from './field-formats';
import { operatorExample, operatorSchema } from './operator';
import { Topics } from './topics';

// The month's clearing application (清算申请) per clr_type × setl_optins, on `insurance.clearing`, keyed by the
// month (setlym) so that one month's messages stay in order. Every message names the application it is about
// and the application's status after it, so a reader that keeps the latest message per application
// (setlym, clr_type, setl_optins, scope) has its state.

const setlym = z
  .string()
  .regex(/^\d{4}(0[1-9]|1[0-2])$/, { message: 'is not a month in yyyyMM' })
  .describe('清算年月 (yyyyMM, Asia/Shanghai)');

/** LOCAL: our own area's insured (Hubei 3202a / 3204a); CROSS_AREA: 异地 insured (Hubei 1608 / 1618). */
export const CLEARING_SCOPES = ['LOCAL', 'CROSS_AREA'] as const;
/**
 * The application's status after the message: NOT_APPLIED (refused by us or the platform; may be asked
 * again), APPLIED (the platform holds it under clr_appy_evt_id), WITHDRAWN (withdrawn; may be asked again).
 */
export const CLEARING_STATUSES = ['NOT_APPLIED', 'APPLIED', 'WITHDRAWN'] as const;
/**
 * Who refused: SERVICE — we did not ask the platform (a day of the month not reconciled balanced, a difference
 * still open, nothing to withdraw); PLATFORM — the platform answered infcode ≠ 0 (its err_msg is the reason).
 */
export const CLEARING_REFUSERS = ['SERVICE', 'PLATFORM'] as const;

const application = {
  setlym,
  clr_type: code(6).describe('清算类别 (11 门诊, 21 住院, 41 药店购药, 99 其他)'),
  setl_optins: code(6).describe('结算经办机构 (the clr_optins the application is made to)'),
  scope: z.enum(CLEARING_SCOPES),
};

const declared = z
  .object({
    psntime: z.number().int().min(0).describe('清算人次 (settlement rows, a refund a row of its own)'),
    medfee_sumamt: money().describe('医疗费总额'),
    med_sumfee: money().describe('医保认可费用总额'),
    fund_appy_sum: money().describe('基金申报总额'),
    cash_payamt: money().describe('现金支付金额'),
    acct_pay: money().describe('个人账户支出'),
  })
  .strict()
  .describe("The month's totals declared in the application, from our reconciled ledger");

const applicationExample = {
  setlym: '202405',
  clr_type: '21',
  setl_optins: '420100',
  scope: 'LOCAL' as const,
};

export const ClearingAppliedV1 = defineContract({
  type: 'ClearingApplied',
  version: 1,
  topic: Topics.clearing,
  summary:
    "The platform accepted the month's clearing application (Hubei 3202a, or 1608 for 异地) and gave its " +
    'clr_appy_evt_id, the key of a withdrawal.',
  data: z
    .object({
      ...application,
      status: z.literal('APPLIED'),
      infno: code(6).describe('The interface the application was made with'),
      clr_appy_evt_id: code(30).describe('机构清算申请事件ID'),
      begndate: platformDate(),
      enddate: platformDate(),
      declared,
      applied_by: operatorSchema,
      recovered_by: z
        .object({
          infno: code(6).describe('The query that found the application standing (3205A)'),
          clr_stas: code(6).optional().describe('清算状态 as the platform gave it'),
          opt_time: z.string().max(19).optional().describe('When the platform recorded it'),
          refusal: z.string().max(1000).describe('The re-sent application’s refusal, which this explains'),
        })
        .strict()
        .optional()
        .describe(
          'Set when the answer to the application was lost (timeout) or unreadable: the re-sent one was refused ' +
            'and the platform’s own record of the standing application (declared as ours) was recorded instead',
        ),
    })
    .strict(),
  example: {
    ...applicationExample,
    status: 'APPLIED',
    infno: '3202a',
    clr_appy_evt_id: '420100202406010000000001',
    begndate: '2024-05-01',
    enddate: '2024-05-31',
    declared: {
      psntime: 12,
      medfee_sumamt: '48211.07',
      med_sumfee: '48211.07',
      fund_appy_sum: '35120.44',
      cash_payamt: '10990.63',
      acct_pay: '2100.00',
    },
    applied_by: operatorExample,
  },
  key: 'setlym',
});

export const ClearingApplicationRefusedV1 = defineContract({
  type: 'ClearingApplicationRefused',
  version: 1,
  topic: Topics.clearing,
  summary:
    'A clearing application not made: refused by us before asking (a day of the month not reconciled balanced, ' +
    'a difference still open) or by the platform (with its reason).',
  data: z
    .object({
      ...application,
      status: z.enum(['NOT_APPLIED', 'WITHDRAWN']).describe('Unchanged by the refusal'),
      refused_by: z.enum(CLEARING_REFUSERS),
      reason: code(500).describe('Why, in words (the platform’s err_msg when it refused)'),
      unreconciled_days: z
        .array(platformDate())
        .describe('Days of the month not reconciled balanced (empty when refused for another reason)'),
      open_differences: z.number().int().min(0).describe('Differences of the month still open'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: {
    ...applicationExample,
    status: 'NOT_APPLIED',
    refused_by: 'SERVICE',
    reason: '2024-05-15 未对账平衡；尚有 1 笔差账未处理',
    unreconciled_days: ['2024-05-15'],
    open_differences: 1,
    requested_by: operatorExample,
  },
  key: 'setlym',
});

export const ClearingApplicationWithdrawnV1 = defineContract({
  type: 'ClearingApplicationWithdrawn',
  version: 1,
  topic: Topics.clearing,
  summary:
    'The platform withdrew the application (Hubei 3204a, or 1618 for 异地); the month may be applied for again.',
  data: z
    .object({
      ...application,
      status: z.literal('WITHDRAWN'),
      infno: code(6),
      clr_appy_evt_id: code(30),
      withdrawn_by: operatorSchema,
      confirmed_by: z
        .object({
          infno: code(6).describe('The query that no longer lists the application (3205A)'),
          refusal: z.string().max(1000).describe('The re-sent withdrawal’s refusal, which this explains'),
        })
        .strict()
        .optional()
        .describe(
          'Set when the answer to the withdrawal was lost (timeout): the re-sent one was refused and the ' +
            'platform no longer lists the application among the month’s standing ones',
        ),
    })
    .strict(),
  example: {
    ...applicationExample,
    status: 'WITHDRAWN',
    infno: '3204a',
    clr_appy_evt_id: '420100202406010000000001',
    withdrawn_by: operatorExample,
  },
  key: 'setlym',
});

export const ClearingWithdrawalRefusedV1 = defineContract({
  type: 'ClearingWithdrawalRefused',
  version: 1,
  topic: Topics.clearing,
  summary:
    'A withdrawal not made: nothing to withdraw (refused by us) or the platform refused it (e.g. the agency ' +
    'has accepted the application); the application stands as it was.',
  data: z
    .object({
      ...application,
      status: z.enum(CLEARING_STATUSES).describe('Unchanged by the refusal'),
      refused_by: z.enum(CLEARING_REFUSERS),
      clr_appy_evt_id: code(30).optional(),
      reason: code(500),
      requested_by: operatorSchema,
    })
    .strict(),
  example: {
    ...applicationExample,
    status: 'APPLIED',
    refused_by: 'PLATFORM',
    clr_appy_evt_id: '420100202406010000000001',
    reason: '清算申请事件ID[420100202406010000000001]经办机构已受理，不能撤销',
    requested_by: operatorExample,
  },
  key: 'setlym',
});

export const CLEARING_CONTRACTS = [
  ClearingAppliedV1,
  ClearingApplicationRefusedV1,
  ClearingApplicationWithdrawnV1,
  ClearingWithdrawalRefusedV1,
] as const;
