import { z } from 'zod';
import { defineContract } from './contract';
import { code, money, unitPrice } from './field-formats';
import { operatorExample, operatorSchema } from './operator';
import { Topics, commandTopic } from './topics';

// The fee-detail service's command (from the settlement saga, on `insurance.commands.fee-detail`) and the
// fee results that insurance-inpatient.ts does not carry: the command's answer, lines refused with a reason
// per line, and lines revoked on the platform (2302).

const ipt_no = code(30).describe('住院号');
const mdtrt_id = code(30).describe('就诊ID returned by 2401');
const msgid = z
  .string()
  .regex(/^[A-Z0-9]{12}\d{18}$/, { message: 'must be a platform msgid (fixmedins_code + 18 digits)' })
  .describe('报文ID of the platform call');

/** `feedetl_sn` "0000": every unsettled fee line of the visit (2302 revokes them all; FeeLinesRevoked says so). */
export const REVOKE_ALL_FEE_DETAILS = '0000';

export const ReconcileFeeTotalsV1 = defineContract({
  type: 'ReconcileFeeTotals',
  version: 1,
  topic: commandTopic('fee-detail'),
  summary:
    'Are the HIS and platform fee totals in agreement? Drift is re-synchronised (2302 "0000", full 2301 re-upload) ' +
    'before the answer, FeeTotalsReconciled (causationId = this command).',
  data: z
    .object({
      ipt_no,
      his_sumamt: money().describe("医疗费总额 by the HIS's books"),
      platform_sumamt: money()
        .optional()
        .describe(
          'The total the platform itself reported (e.g. a refused 2303); differing from ours is drift',
        ),
      request_id: z
        .string()
        .uuid()
        .optional()
        .describe(
          'The SettlementRequested (envelope id) being settled: only lines the HIS charged before it count, ' +
            'and lines charged after it wait until it is settled. Absent: every unsettled line counts',
        ),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    his_sumamt: '18.30',
    request_id: '8f14e45f-ceea-467f-a8f6-0c1d2b3a4e5f',
  },
});

export const FeeTotalsReconciledV1 = defineContract({
  type: 'FeeTotalsReconciled',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'The answer to ReconcileFeeTotals: the totals after any re-synchronisation, and whether they agree.',
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional().describe('Absent while the platform has not registered the visit'),
      his_sumamt: money().describe('The HIS total the command named'),
      platform_sumamt: money().describe('Total of the lines the platform accepted'),
      line_count: z.number().int().min(0).describe('Lines the platform holds for the visit'),
      agreed: z.boolean().describe('true when both totals are equal'),
      resynchronised: z.boolean().describe('true when the lines were revoked and uploaded again first'),
      reason: z.string().max(4000).optional().describe('Why the totals do not agree, for a person'),
      // 2303's policy-range amounts: the sums of the covered lines' 2301 answers (absent if one is unknown).
      fulamt_ownpay_amt: money().optional().describe("全自费金额: sum of the lines' 2301 answers"),
      overlmt_selfpay: money().optional().describe("超限价自费费用: sum of the lines' overlmt_amt"),
      preselfpay_amt: money().optional().describe("先行自付金额: sum of the lines' 2301 answers"),
      inscp_scp_amt: money().optional().describe("符合政策范围金额: sum of the lines' 2301 answers"),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    his_sumamt: '18.30',
    platform_sumamt: '18.30',
    line_count: 2,
    agreed: true,
    resynchronised: true,
    fulamt_ownpay_amt: '0.00',
    overlmt_selfpay: '0.00',
    preselfpay_amt: '1.83',
    inscp_scp_amt: '16.47',
  },
});

export const FeeLinesRejectedV1 = defineContract({
  type: 'FeeLinesRejected',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'Fee lines (or voids) were not accepted: by the platform (infno, msgid, its err_msg) or before sending ' +
    '(e.g. a feedetl_sn reused with other content); one reason per line.',
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      infno: z
        .enum(['2301', '2302'])
        .optional()
        .describe('The refusing transaction; absent when refused here'),
      msgid: msgid.optional(),
      lines: z
        .array(
          z
            .object({
              feedetl_sn: code(30).describe('费用明细流水号'),
              reason: code(4000).describe("Why, in the platform's words when it refused"),
            })
            .strict(),
        )
        .min(1),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    infno: '2301',
    msgid: 'H42010200001202405011000000005',
    lines: [
      { feedetl_sn: 'FY0003', reason: '费用明细[FY0003]明细项目费用总额[10.00]不等于数量[1]乘以单价[9.00]' },
    ],
  },
});

export const FeeLinesRevokedV1 = defineContract({
  type: 'FeeLinesRevoked',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'The platform revoked uploaded fee lines (2302 succeeded): a HIS void, or a re-synchronisation.',
  data: z
    .object({
      ipt_no,
      mdtrt_id,
      msgid,
      cause: z
        .enum(['VOID', 'RESYNC'])
        .describe('VOID: the HIS voided the lines; RESYNC: revoked to be uploaded again'),
      feedetl_sns: z
        .array(code(30))
        .min(1)
        .describe('费用明细流水号 revoked; ["0000"] when every unsettled line was revoked'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    msgid: 'H42010200001202405011200000009',
    cause: 'VOID',
    feedetl_sns: ['FY0001'],
  },
});

export const FeeLinesSettledV1 = defineContract({
  type: 'FeeLinesSettled',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    "fee-detail marked the lines a settlement (2304) covered: they leave the next settlement's totals until a " +
    '2305 cancels that settlement. needs_person when their sum is not the settled total.',
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      setl_id: code(30).describe('结算ID that covered the lines'),
      mid_setl_flag: z.enum(['0', '1']).describe('中途结算标志'),
      feedetl_sns: z.array(code(30)).describe('费用明细流水号 covered'),
      medfee_sumamt: money().describe('医疗费总额 the platform settled'),
      lines_sumamt: money().describe('Sum of the lines fee-detail holds as covered'),
      needs_person: z.boolean().describe('true when lines_sumamt differs from medfee_sumamt'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    setl_id: '420000S0000098765432',
    mid_setl_flag: '1',
    feedetl_sns: ['FY0001', 'FY0002'],
    medfee_sumamt: '18.30',
    lines_sumamt: '18.30',
    needs_person: false,
  },
});

export const FeeLinesUnsettledV1 = defineContract({
  type: 'FeeLinesUnsettled',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'A settlement was cancelled (2305): the lines it covered count toward the next settlement again.',
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      setl_id: code(30).describe('结算ID that was cancelled'),
      feedetl_sns: z.array(code(30)).describe('费用明细流水号 no longer settled'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    setl_id: '420000S0000098765432',
    feedetl_sns: ['FY0001', 'FY0002'],
  },
});

const priceLimitFinding = z
  .object({
    kind: z.literal('OVER_PRICE_LIMIT'),
    med_list_codg: code(50).describe('医疗目录编码 the line would go up with'),
    pric: unitPrice().describe('单价 the HIS charged'),
    pric_uplmt_amt: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .describe('定价上限金额 (1318), as the catalogue published it'),
  })
  .strict();

const heldLineDecision = z
  .enum(['UPLOAD_ANYWAY', 'VOID'])
  .describe(
    'UPLOAD_ANYWAY: the hospital accepts that the platform may refuse the line (the excess is self-pay), it goes ' +
      "up as charged; VOID: it does not go up (FeeLinesRejected tells the HIS). A line held for its item's " +
      'mapping can only be voided',
  );

export const DecideHeldFeeLinesV1 = defineContract({
  type: 'DecideHeldFeeLines',
  version: 1,
  topic: commandTopic('fee-detail'),
  summary:
    "A person's decision (billing dashboard) on fee lines held before upload: answered by HeldFeeLinesDecided, " +
    'then FeeLinesReleased or FeeLinesRejected. Lines no longer held are ignored.',
  data: z
    .object({
      ipt_no,
      feedetl_sns: z.array(code(30)).min(1).describe('费用明细流水号 of held lines'),
      decision: heldLineDecision,
      comment: z.string().min(1).max(500).describe('Why, for the record'),
      requested_by: operatorSchema,
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    feedetl_sns: ['FY0004'],
    decision: 'UPLOAD_ANYWAY',
    comment: '患者知情同意，超限价部分自费',
    requested_by: operatorExample,
  },
});

export const HeldFeeLinesDecidedV1 = defineContract({
  type: 'HeldFeeLinesDecided',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'fee-detail recorded a decision on held lines (who, why): FeeLinesReleased (UPLOAD_ANYWAY) or ' +
    'FeeLinesRejected (VOID) follows for the lines it covered.',
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      feedetl_sns: z.array(code(30)).min(1).describe('The held lines the decision covered'),
      decision: heldLineDecision,
      comment: z.string().min(1).max(500),
      decided_by: operatorSchema,
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    feedetl_sns: ['FY0004'],
    decision: 'VOID',
    comment: '重复计费',
    decided_by: operatorExample,
  },
});

export const FeeLinesHeldV1 = defineContract({
  type: 'FeeLinesHeld',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'Fee lines whose hospital item has no confirmed mapping to the national catalogue (or whose mapping was ' +
    "withdrawn), or whose price is above 1318's limit (with the finding: a person decides, DecideHeldFeeLines), " +
    'are held, not refused: kept in the ledger with the reason, not uploaded, and released (then ' +
    'uploaded with 2301) as soon as the mapping is published on insurance.catalogue.mappings. While any line ' +
    'is held the settlement totals are answered "not in agreement" with the held lines named.',
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      lines: z
        .array(
          z
            .object({
              feedetl_sn: code(30).describe('费用明细流水号'),
              medins_list_codg: code(150).describe(
                '医药机构目录编码: the hospital item waiting for its mapping',
              ),
              reason: code(4000).describe('Why it is held, for the billing office'),
              finding: priceLimitFinding
                .optional()
                .describe(
                  "Held for a person to decide: the price is above 1318's limit (absent: held for the mapping)",
                ),
            })
            .strict(),
        )
        .min(1),
      needs_person: z.literal(true).describe('A person confirms the mapping in the catalogue'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    lines: [
      {
        feedetl_sn: 'FY0004',
        medins_list_codg: 'YP000123',
        reason: '院内项目[YP000123]未对照医保目录：明细暂挂，目录对照确认后自动上传',
      },
    ],
    needs_person: true,
  },
});

export const FeeLinesReleasedV1 = defineContract({
  type: 'FeeLinesReleased',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'Held fee lines whose item mapping arrived: each now carries its national code and goes up with the next ' +
    "2301 (FeeLinesUploaded follows); a released line the mapping's terms refuse is in FeeLinesRejected instead.",
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      lines: z
        .array(
          z
            .object({
              feedetl_sn: code(30).describe('费用明细流水号'),
              medins_list_codg: code(150).describe('医药机构目录编码'),
              med_list_codg: code(50).describe('医疗目录编码 the mapping gave it'),
            })
            .strict(),
        )
        .min(1),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    lines: [{ feedetl_sn: 'FY0004', medins_list_codg: 'YP000123', med_list_codg: 'XJ01CAA040A001010101445' }],
  },
});

export const FEE_DETAIL_CONTRACTS = [
  ReconcileFeeTotalsV1,
  FeeTotalsReconciledV1,
  FeeLinesRejectedV1,
  FeeLinesRevokedV1,
  FeeLinesSettledV1,
  FeeLinesUnsettledV1,
  FeeLinesHeldV1,
  FeeLinesReleasedV1,
  DecideHeldFeeLinesV1,
  HeldFeeLinesDecidedV1,
] as const;
