import { z } from 'zod';
import { amount, dict, expContent, outDecimal, outStr, str } from './fields';

// 2303 住院预结算 / 2304 住院结算 / 2305 住院结算撤销 (spec §3.8, §3.9).

const settlementRequestFields = {
  psn_no: str(30),
  mdtrt_cert_type: dict('mdtrt_cert_type'),
  mdtrt_cert_no: str(50),
  // Must equal the sum of the uploaded fee details.
  medfee_sumamt: amount(),
  psn_setlway: dict('psn_setlway'),
  mdtrt_id: str(30),
  // Marked "(Y)" for 2303 and Y for 2304: required for both.
  acct_used_flag: dict('flag'),
  insutype: dict('insutype'),
  invono: str(20).optional(),
  mid_setl_flag: dict('mid_setl_flag'),
  exp_content: expContent().optional(),
  // Chongqing's camelCase `dscgTime` is a local field, not national: refused as unknown.
};

/** OH requires the four policy-range amounts on 2303; for 2304 they are optional. */
const policyRangeAmounts = {
  fulamt_ownpay_amt: amount(),
  overlmt_selfpay: amount(),
  preselfpay_amt: amount(),
  inscp_scp_amt: amount(),
};

export const input2303 = z
  .object({ data: z.object({ ...settlementRequestFields, ...policyRangeAmounts }).strict() })
  .strict();

export const input2304 = z
  .object({
    data: z
      .object({
        ...settlementRequestFields,
        fulamt_ownpay_amt: amount().optional(),
        overlmt_selfpay: amount().optional(),
        preselfpay_amt: amount().optional(),
        inscp_scp_amt: amount().optional(),
      })
      .strict(),
  })
  .strict();

// What the business needs of a settlement answer: the amounts the settlement saga records and publishes
// (total, policy ranges, pool, funds, account, cash) and the fund rows (type, policy-range amount, amount
// paid); 2304 adds its setl_id. The person's details, the other fund columns, balances and clearing codes
// are read when given: the platform holds them, and none decides anything on our side.

/** Amounts every settlement answer (pre-settlement and settlement) carries. */
const settlementAmounts = {
  medfee_sumamt: outDecimal(),
  fulamt_ownpay_amt: outDecimal(),
  overlmt_selfpay: outDecimal(),
  preselfpay_amt: outDecimal(),
  inscp_scp_amt: outDecimal(),
  act_pay_dedc: outDecimal().optional(),
  hifp_pay: outDecimal(),
  pool_prop_selfpay: outDecimal().optional(),
  cvlserv_pay: outDecimal().optional(),
  hifes_pay: outDecimal().optional(),
  hifmi_pay: outDecimal().optional(),
  hifob_pay: outDecimal().optional(),
  maf_pay: outDecimal().optional(),
  hosp_part_amt: outDecimal().optional(),
  oth_pay: outDecimal().optional(),
  fund_pay_sumamt: outDecimal(),
  psn_part_amt: outDecimal().optional(),
  acct_pay: outDecimal(),
  psn_cash_pay: outDecimal(),
  balc: outDecimal().optional(),
  acct_mulaid_pay: outDecimal().optional(),
};

/** Echoes of the request and the person: kept when given, never needed. */
const settlementPerson = {
  mdtrt_id: outStr().optional(),
  psn_no: outStr().optional(),
  psn_name: outStr().optional(),
  psn_cert_type: outStr().optional(),
  certno: outStr().optional(),
  gend: outStr().optional(),
  naty: outStr().optional(),
  brdy: outStr().optional(),
  age: outDecimal().optional(),
  insutype: outStr().optional(),
  psn_type: outStr().optional(),
  cvlserv_flag: outStr().optional(),
  setl_time: outStr().optional(),
  mdtrt_cert_type: outStr().optional(),
  med_type: outStr().optional(),
  // Equals the request's msgid: how a late answer is matched to its journal row (the journal knows it too).
  medins_setl_id: outStr().optional(),
};

const fundPayment = z
  .object({
    fund_pay_type: outStr(),
    inscp_scp_amt: outDecimal(),
    crt_payb_lmt_amt: outDecimal().optional(),
    fund_payamt: outDecimal(),
    fund_pay_type_name: outStr().optional(),
    setl_proc_info: outStr().optional(),
  })
  .passthrough();

// A settlement without fund payments may leave setldetail out.
export const output2303 = z
  .object({
    setlinfo: z.object({ ...settlementPerson, ...settlementAmounts }).passthrough(),
    setldetail: z.array(fundPayment).optional(),
  })
  .passthrough();

export const output2304 = z
  .object({
    setlinfo: z
      .object({
        ...settlementPerson,
        ...settlementAmounts,
        setl_id: outStr(),
        clr_optins: outStr().optional(),
        clr_way: outStr().optional(),
        clr_type: outStr().optional(),
      })
      .passthrough(),
    setldetail: z.array(fundPayment).optional(),
  })
  .passthrough();

export const input2305 = z
  .object({
    data: z
      .object({ mdtrt_id: str(30), setl_id: str(30), psn_no: str(30), exp_content: expContent().optional() })
      .strict(),
  })
  .strict();

// The reversal's answer carries the settlement's amounts negated (a subset of §3.8). The business needs the
// reversal's setl_id and the amounts the cancellation records (total, funds, account, cash).
export const output2305 = z
  .object({
    setlinfo: z
      .object({ ...settlementAmounts, hifdm_pay: outDecimal() })
      .partial()
      .extend({
        mdtrt_id: outStr().optional(),
        setl_id: outStr(),
        clr_optins: outStr().optional(),
        setl_time: outStr().optional(),
        medins_setl_id: outStr().optional(),
        medfee_sumamt: outDecimal(),
        fund_pay_sumamt: outDecimal(),
        acct_pay: outDecimal(),
        psn_cash_pay: outDecimal(),
      })
      .passthrough(),
    setldetail: z.array(fundPayment).optional(),
  })
  .passthrough();
