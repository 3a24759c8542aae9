import { z } from 'zod';
import { defineContract } from './contract';
import { code, flag, money, platformDateTime, quantity, ratio, unitPrice } from './field-formats';
import { Topics } from './topics';

// Outcomes our services publish on `insurance.inpatient` for the HIS and the billing dashboard.
// Platform amounts are copied as the platform returned them (decimal strings, 16,2).

const ipt_no = code(30).describe('住院号');
const mdtrt_id = code(30).describe('就诊ID returned by 2401');
const msgid = z
  .string()
  .regex(/^[A-Z0-9]{12}\d{18}$/, { message: 'must be a platform msgid (fixmedins_code + 18 digits)' })
  .describe('报文ID of the platform call: fixmedins_code(12) + yyyyMMddHHmmss + 4-digit sequence');

const visit = { ipt_no, mdtrt_id };

export const AdmissionRegisteredV1 = defineContract({
  type: 'AdmissionRegistered',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'The platform registered the admission (2401 succeeded) and returned mdtrt_id.',
  data: z.object({ ...visit, psn_no: code(30).describe('人员编号'), msgid }).strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    psn_no: '42000000000000000001234',
    msgid: 'H42010200001202405010900000001',
  },
});

const admdvs = z
  .string()
  .regex(/^\d{6}$/, { message: 'must be a six-digit admin-division code' })
  .describe("参保地医保区划: the insured person's area, where the platform routes every call of the visit");

const admissionRegisteredV2Data = z
  .object({
    ...visit,
    psn_no: code(30).describe('人员编号'),
    msgid,
    insuplc_admdvs: admdvs
      .optional()
      .describe(
        "参保地医保区划 the 2401 was sent with (the HIS's or 1101's). Absent only in a v1 record upcast: the area is unknown, and the visit's platform work waits for a person; never the hospital's area.",
      ),
    insutype: code(6).optional().describe('险种类型 the 2401 was sent with (dict insutype)'),
    med_type: code(6).optional().describe('医疗类别 the 2401 was sent with (dict med_type)'),
    psn_type: code(6)
      .optional()
      .describe('人员类别 from 1101 (dict psn_type, e.g. 1300 离休); absent when 1101 was not asked'),
  })
  .strict();

export const AdmissionRegisteredV2 = defineContract({
  type: 'AdmissionRegistered',
  version: 2,
  topic: Topics.insuranceInpatient,
  summary:
    'The platform registered the admission (2401 succeeded): mdtrt_id, and who the person is for every later call of the visit (参保地, 险种, 人员类别).',
  data: admissionRegisteredV2Data,
  // v1 carried no area: it stays unknown (absent), never assumed to be the hospital's.
  upcast: (previous) => previous as z.input<typeof admissionRegisteredV2Data>,
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    psn_no: '42000000000000000001234',
    msgid: 'H42010200001202405010900000001',
    insuplc_admdvs: '110000',
    insutype: '310',
    med_type: '21',
    psn_type: '1101',
  },
});

export const InsuredAreaMissingV1 = defineContract({
  type: 'InsuredAreaMissing',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    "fee-detail holds the visit's fee lines: the insured person's area (参保地医保区划) is unknown (an AdmissionRegistered v1 and no area from the HIS), and the platform routes every call by it. A person resolves it: the HIS sends AdmissionChanged naming insuplc_admdvs; the held lines then go up. (settlement, quality and reporting give the same reason in their own results: SettlementRequestRefused, the audit's retries, ReportPending.)",
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      service: z.literal('fee-detail').describe('The service holding the work'),
      held: z
        .array(z.string().regex(/^\d{4}[A-Z]?$/, { message: 'must be an interface number such as 2301' }))
        .min(1)
        .describe('The interfaces waiting for the area'),
      reason: code(500).describe('Why the work waits, in words a person acts on'),
      needs_person: z.literal(true).describe('Always true: a person supplies the area'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    service: 'fee-detail',
    held: ['2301'],
    reason:
      '参保地医保区划未知 (AdmissionRegistered v1, and the HIS named none): send AdmissionChanged with insuplc_admdvs',
    needs_person: true,
  },
});

export const AdmissionChangeRegisteredV1 = defineContract({
  type: 'AdmissionChangeRegistered',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'The platform accepted the change of admission (2403 succeeded).',
  data: z.object({ ...visit, msgid }).strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    msgid: 'H42010200001202405011000000002',
  },
});

export const AdmissionCancellationRegisteredV1 = defineContract({
  type: 'AdmissionCancellationRegistered',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'The platform cancelled the admission (2404 succeeded).',
  data: z.object({ ...visit, msgid }).strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    msgid: 'H42010200001202405011100000003',
  },
});

export const DischargeRegisteredV1 = defineContract({
  type: 'DischargeRegistered',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'The platform registered the discharge (2402 succeeded).',
  data: z.object({ ...visit, endtime: platformDateTime().describe('出院时间'), msgid }).strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    endtime: '2024-05-08 10:00:00',
    msgid: 'H42010200001202405081000000004',
  },
});

export const PlatformRequestRejectedV1 = defineContract({
  type: 'PlatformRequestRejected',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: "The platform refused a request (infcode ≠ 0); err_msg is the platform's own words.",
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      infno: z
        .string()
        .regex(/^\d{4}[A-Z]?$/, { message: 'must be an interface number such as 2401' })
        .describe('交易编号'),
      infcode: z.number().int().describe('交易状态码 returned by the platform'),
      err_msg: code(4000).describe('错误信息 returned by the platform'),
      msgid,
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    infno: '2401',
    infcode: -1,
    err_msg: '该人员存在未结算的住院登记信息',
    msgid: 'H42010200001202405010900000001',
  },
});

export const PlatformAnswerUnreadableV1 = defineContract({
  type: 'PlatformAnswerUnreadable',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'The platform applied a request (infcode 0) but its answer lacks a field the business needs: the call is recorded as applied, never retried; a person completes it from the platform (the raw answer is in the journal under msgid).',
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      infno: z
        .string()
        .regex(/^\d{4}[A-Z]?$/, { message: 'must be an interface number such as 2304' })
        .describe('交易编号'),
      msgid,
      missing: z
        .array(code(200))
        .min(1)
        .describe('What could not be read, one entry per field: "setlinfo.setl_id is required"'),
      needs_person: z.literal(true).describe('Always true: a person completes what the answer lacked'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    infno: '2304',
    msgid: 'H42010200001202405081000000005',
    missing: ['setlinfo.setl_id is required'],
    needs_person: true,
  },
});

const uploadedLineSchema = z
  .object({
    feedetl_sn: code(30).describe('费用明细流水号'),
    det_item_fee_sumamt: money().describe('明细项目费用总额'),
    cnt: quantity().describe('数量'),
    pric: unitPrice().describe('单价'),
    pric_uplmt_amt: unitPrice().optional().describe('定价上限金额'),
    selfpay_prop: ratio().describe('自付比例'),
    fulamt_ownpay_amt: money().describe('全自费金额'),
    overlmt_amt: money().describe('超限价金额'),
    preselfpay_amt: money().describe('先行自付金额'),
    inscp_scp_amt: money().describe('符合政策范围金额'),
    chrgitm_lv: code(3).describe('收费项目等级'),
    med_chrgitm_type: code(6).describe('医疗收费项目类别'),
    memo: z.string().max(500).optional().describe('明细分割错误信息'),
    catalogue_selfpay_prop: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .optional()
      .describe(
        "先自付比例 that 1319 gives the line's code (the item's mapping), when above 0: informational, beside the " +
          "platform's own selfpay_prop",
      ),
  })
  .strict();

export const FeeLinesUploadedV1 = defineContract({
  type: 'FeeLinesUploaded',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'Fee lines were uploaded (2301 succeeded), with the amounts the platform computed per line.',
  data: z.object({ ...visit, msgid, lines: z.array(uploadedLineSchema).min(1) }).strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    msgid: 'H42010200001202405011000000005',
    lines: [
      {
        feedetl_sn: 'FY0001',
        det_item_fee_sumamt: '36.60',
        cnt: '2',
        pric: '18.30',
        selfpay_prop: '0.1',
        fulamt_ownpay_amt: '0.00',
        overlmt_amt: '0.00',
        preselfpay_amt: '3.66',
        inscp_scp_amt: '32.94',
        chrgitm_lv: '02',
        med_chrgitm_type: '09',
      },
    ],
  },
});

const fundShareSchema = z
  .object({
    fund_pay_type: code(6).describe('基金支付类型 (dict fund_pay_type, e.g. 310100)'),
    fund_pay_type_name: z.string().max(100).optional().describe('基金支付类型名称'),
    inscp_scp_amt: money().describe('符合政策范围金额'),
    fund_payamt: money().describe('基金支付金额'),
  })
  .strict();

/** The amounts of 2303/2304 `setlinfo` that the cashier and the dashboard show. */
const settlementAmounts = {
  medfee_sumamt: money().describe('医疗费总额'),
  fulamt_ownpay_amt: money().describe('全自费金额'),
  overlmt_selfpay: money().describe('超限价自费费用'),
  preselfpay_amt: money().describe('先行自付金额'),
  inscp_scp_amt: money().describe('符合政策范围金额'),
  hifp_pay: money().describe('统筹基金支出'),
  fund_pay_sumamt: money().describe('基金支付总额'),
  acct_pay: money().describe('个人账户支出'),
  psn_cash_pay: money().describe('个人现金支出'),
  hosp_part_amt: money().optional().describe('医院负担金额'),
  fund_shares: z.array(fundShareSchema).describe('setldetail: the share of each fund'),
};

const amountsExample = {
  medfee_sumamt: '18.30',
  fulamt_ownpay_amt: '0.00',
  overlmt_selfpay: '0.00',
  preselfpay_amt: '1.83',
  inscp_scp_amt: '16.47',
  hifp_pay: '13.18',
  fund_pay_sumamt: '13.18',
  acct_pay: '5.12',
  psn_cash_pay: '0.00',
  fund_shares: [{ fund_pay_type: '310100', inscp_scp_amt: '16.47', fund_payamt: '13.18' }],
};

export const PreSettledV1 = defineContract({
  type: 'PreSettled',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'The platform pre-settled the stay (2303 succeeded): what the funds would pay.',
  data: z.object({ ...visit, mid_setl_flag: flag(), msgid, ...settlementAmounts }).strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    mid_setl_flag: '0',
    msgid: 'H42010200001202405081000000006',
    ...amountsExample,
  },
});

/** Who clears a settlement, as 2304 answered it: reconciliation (3201) groups settlements by these. */
const settlementGroup = {
  psn_no: code(30).optional().describe('人员编号'),
  insutype: code(6).optional().describe('险种类型'),
  clr_type: code(6).optional().describe('清算类别 2304 answered (21 住院)'),
  clr_way: code(6).optional().describe('清算方式 2304 answered'),
  clr_optins: code(6).optional().describe('清算经办机构 2304 answered (3201 setl_optins)'),
};

export const SettledV1 = defineContract({
  type: 'Settled',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'The platform settled the stay (2304 succeeded): the amounts each fund and the patient pay.',
  data: z
    .object({
      ...visit,
      setl_id: code(30).describe('结算ID'),
      setl_time: platformDateTime().describe('结算时间'),
      medins_setl_id: code(30).describe('医药机构结算ID (= the msgid of the 2304 call)'),
      mid_setl_flag: flag(),
      ...settlementAmounts,
      ...settlementGroup,
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    setl_id: '420000S0000098765432',
    setl_time: '2024-05-08 10:30:00',
    medins_setl_id: 'H42010200001202405081030000007',
    mid_setl_flag: '0',
    ...amountsExample,
  },
});

export const SettlementFailedV1 = defineContract({
  type: 'SettlementFailed',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'The settlement saga stopped without settling; reason says why, for a person to act on.',
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      step: z
        .enum([
          'FEE_RECONCILIATION',
          'PRE_SETTLEMENT_AUDIT',
          'PRE_SETTLEMENT',
          'CONFIRMATION',
          'DISCHARGE',
          'SETTLEMENT_AUDIT',
          'SETTLEMENT',
          'SETTLEMENT_CANCEL',
        ])
        .describe('The saga step that failed (CONFIRMATION: nobody confirmed the split in time)'),
      reason: code(4000).describe("Why, in the platform's or the auditor's words"),
      needs_person: z
        .boolean()
        .describe('true when a person must decide (e.g. blocking audit finding, failed compensation)'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    step: 'SETTLEMENT',
    reason: '基金支付金额计算失败',
    needs_person: false,
  },
});

export const SettlementCompensatedV1 = defineContract({
  type: 'SettlementCompensated',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'A settlement step was undone: 2601 冲正 of an unknown outcome, or 2405 出院撤销 after a refusal.',
  data: z
    .object({
      ...visit,
      compensation: z.enum(['2601', '2405']).describe('The undoing transaction'),
      omsgid: msgid.optional().describe('原报文ID reversed by 2601'),
      oinfno: z.string().max(5).optional().describe('原交易编号 reversed by 2601'),
      reason: code(4000).describe('Why the step was undone'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    compensation: '2601',
    omsgid: 'H42010200001202405081030000007',
    oinfno: '2304',
    reason: '2304 结算超时，结果未知',
  },
});

export const SettlementCancelledV1 = defineContract({
  type: 'SettlementCancelled',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'The platform cancelled the settlement (2305 succeeded); amounts are the negative reversal.',
  data: z
    .object({
      ...visit,
      setl_id: code(30).describe('结算ID of the cancelling settlement'),
      init_setl_id: code(30).describe('结算ID that was cancelled'),
      medfee_sumamt: money().describe('医疗费总额 (negative)'),
      fund_pay_sumamt: money().describe('基金支付总额 (negative)'),
      acct_pay: money().describe('个人账户支出 (negative)'),
      psn_cash_pay: money().describe('个人现金支出 (negative)'),
      setl_time: platformDateTime().optional().describe('结算时间 of the refund (2305 answered)'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    setl_id: '420000S0000098765440',
    init_setl_id: '420000S0000098765432',
    medfee_sumamt: '-18.30',
    fund_pay_sumamt: '-13.18',
    acct_pay: '-5.12',
    psn_cash_pay: '0.00',
  },
});

export const AuditFindingsRaisedV1 = defineContract({
  type: 'AuditFindingsRaised',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'The 3101/3102 audit found rule violations; blocking ones stop the settlement for a person.',
  data: z
    .object({
      ...visit,
      infno: z.enum(['3101', '3102']).describe('事前 3101 / 事中 3102'),
      trig_scen: z
        .string()
        .regex(/^\d{1,2}$/, { message: 'must be a trig_scen code' })
        .describe('触发场景'),
      findings: z
        .array(
          z
            .object({
              jr_id: code(50).describe('违规标识'),
              rule_id: code(50).describe('规则ID'),
              rule_name: code(200).describe('规则名称'),
              vola_cont: code(500).describe('违规内容'),
              vola_amt: money().describe('违规金额'),
              sev_deg: code(3).describe('严重程度'),
              vola_evid: z
                .string()
                .max(2000)
                .optional()
                .describe('违规依据: the evidence the platform cites'),
              vola_bhvr_type: z.string().max(6).optional().describe('违规行为分类'),
              feedetl_sns: z
                .array(code(30))
                .optional()
                .describe('The fee lines involved (judge_result_detail_dtos mapped back to 费用明细流水号)'),
              blocking: z.boolean().describe('true when settlement must wait for a person'),
            })
            .strict(),
        )
        .min(1),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    infno: '3102',
    trig_scen: '9',
    findings: [
      {
        jr_id: 'JR0001',
        rule_id: 'R-LMT-001',
        rule_name: '限定支付范围',
        vola_cont: '头孢呋辛钠限二线用药',
        vola_amt: '36.60',
        sev_deg: '1',
        vola_evid: '《湖北省基本医疗保险药品目录》限二线用药',
        feedetl_sns: ['FY0001'],
        blocking: true,
      },
    ],
  },
});

const reportInfno = z.enum(['4101A', '4401', '4402', '4501', '4502', '4503', '4504', '4505', '4506']);

export const ReportUploadedV1 = defineContract({
  type: 'ReportUploaded',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'A settlement list or clinical record was uploaded to the platform.',
  data: z
    .object({
      ipt_no,
      infno: reportInfno.describe('交易编号 of the upload'),
      report_ref: code(50).describe('The HIS id of what was uploaded (rpotc_no, medcasno, setl_id…)'),
      msgid,
      setl_list_id: z.string().max(30).optional().describe('清单ID returned by 4101A'),
      replaces_msgid: msgid.optional().describe('The earlier upload this one replaces (a corrected report)'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    infno: '4401',
    report_ref: 'BA0001',
    msgid: 'H42010200001202405090200000008',
  },
});

export const ReportWithdrawnFromPlatformV1 = defineContract({
  type: 'ReportWithdrawnFromPlatform',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'A record uploaded earlier was taken off the platform because it no longer stands: a settlement list withdrawn with 4102 (its settlement was cancelled), a clinical record voided with vali_flag 0 (the HIS made it invalid).',
  data: z
    .object({
      ipt_no,
      infno: reportInfno.describe('交易编号 of the record taken off (4101A for a list withdrawn by 4102)'),
      report_ref: code(50).describe('The HIS id of the record (setl_id, medcas_drord_detl_id…)'),
      msgid: msgid.describe('报文ID of the call that took it off (4102, or the upload with vali_flag 0)'),
      withdrawn_msgid: msgid.optional().describe('The upload that is no longer on the platform'),
      reason: code(500).describe('Why it no longer stands'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    infno: '4101A',
    report_ref: '420000S0000098765432',
    msgid: 'H42010200001202405100200000012',
    withdrawn_msgid: 'H42010200001202405090200000008',
    reason: '结算已撤销 (420000S0000098765433)',
  },
});

export const ReportPendingV1 = defineContract({
  type: 'ReportPending',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'An upload is still owed to the platform (daily backlog), with why it is waiting.',
  data: z
    .object({
      ipt_no,
      infno: reportInfno.describe('交易编号 of the owed upload'),
      report_ref: code(50).describe('The HIS id of what is owed'),
      reason: code(4000).describe('Why it is not uploaded yet'),
      waiting_for: z
        .array(code(100))
        .optional()
        .describe('What is missing, one entry per field or record (e.g. "diseinfo: 出院诊断")'),
      due_date: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date yyyy-MM-dd' })
        .describe('Deadline'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    infno: '4101A',
    report_ref: '420000S0000098765432',
    reason: '病案首页未完成',
    due_date: '2024-05-15',
  },
});

export const INSURANCE_INPATIENT_CONTRACTS = [
  AdmissionRegisteredV2,
  InsuredAreaMissingV1,
  AdmissionChangeRegisteredV1,
  AdmissionCancellationRegisteredV1,
  DischargeRegisteredV1,
  PlatformRequestRejectedV1,
  PlatformAnswerUnreadableV1,
  FeeLinesUploadedV1,
  PreSettledV1,
  SettledV1,
  SettlementFailedV1,
  SettlementCompensatedV1,
  SettlementCancelledV1,
  AuditFindingsRaisedV1,
  ReportUploadedV1,
  ReportWithdrawnFromPlatformV1,
  ReportPendingV1,
] as const;
