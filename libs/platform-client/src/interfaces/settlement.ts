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

/** Amounts every settlement answer (pre-settlement and settlement) carries. */
const settlementAmounts = {
  medfee_sumamt: outDecimal(),
  fulamt_ownpay_amt: outDecimal(),
  overlmt_selfpay: outDecimal(),
  preselfpay_amt: outDecimal(),
  inscp_scp_amt: outDecimal(),
  act_pay_dedc: outDecimal().nullish(),
  hifp_pay: outDecimal(),
  pool_prop_selfpay: outDecimal(),
  cvlserv_pay: outDecimal(),
  hifes_pay: outDecimal(),
  hifmi_pay: outDecimal(),
  hifob_pay: outDecimal(),
  maf_pay: outDecimal(),
  hosp_part_amt: outDecimal().nullish(),
  oth_pay: outDecimal(),
  fund_pay_sumamt: outDecimal(),
  psn_part_amt: outDecimal().nullish(),
  acct_pay: outDecimal(),
  psn_cash_pay: outDecimal(),
  balc: outDecimal(),
  acct_mulaid_pay: outDecimal(),
};

const settlementPerson = {
  mdtrt_id: outStr(),
  psn_no: outStr(),
  psn_name: outStr(),
  psn_cert_type: outStr(),
  certno: outStr(),
  gend: outStr().nullish(),
  naty: outStr().nullish(),
  brdy: outStr().nullish(),
  age: outDecimal().nullish(),
  insutype: outStr().nullish(),
  psn_type: outStr(),
  cvlserv_flag: outStr(),
  setl_time: outStr().nullish(),
  mdtrt_cert_type: outStr().nullish(),
  med_type: outStr(),
  // Equals the request's msgid: how a late answer is matched to its journal row.
  medins_setl_id: outStr(),
};

const fundPayment = z
  .object({
    fund_pay_type: outStr(),
    inscp_scp_amt: outDecimal(),
    crt_payb_lmt_amt: outDecimal(),
    fund_payamt: outDecimal(),
    fund_pay_type_name: outStr().nullish(),
    setl_proc_info: outStr().nullish(),
  })
  .passthrough();

export const output2303 = z
  .object({
    setlinfo: z.object({ ...settlementPerson, ...settlementAmounts }).passthrough(),
    setldetail: z.array(fundPayment).nullish(),
  })
  .passthrough();

export const output2304 = z
  .object({
    setlinfo: z
      .object({
        ...settlementPerson,
        ...settlementAmounts,
        setl_id: outStr(),
        clr_optins: outStr().nullish(),
        clr_way: outStr().nullish(),
        clr_type: outStr(),
      })
      .passthrough(),
    setldetail: z.array(fundPayment).nullish(),
  })
  .passthrough();

export const input2305 = z
  .object({
    data: z
      .object({ mdtrt_id: str(30), setl_id: str(30), psn_no: str(30), exp_content: expContent().optional() })
      .strict(),
  })
  .strict();

// The reversal's answer carries the settlement's amounts negated; the spec lists a subset of §3.8,
// so only the identifiers are required.
export const output2305 = z
  .object({
    setlinfo: z
      .object({
        mdtrt_id: outStr(),
        setl_id: outStr(),
        clr_optins: outStr().nullish(),
        setl_time: outStr().nullish(),
        medins_setl_id: outStr().nullish(),
        medfee_sumamt: outDecimal().nullish(),
        fulamt_ownpay_amt: outDecimal().nullish(),
        overlmt_selfpay: outDecimal().nullish(),
        preselfpay_amt: outDecimal().nullish(),
        inscp_scp_amt: outDecimal().nullish(),
        act_pay_dedc: outDecimal().nullish(),
        hifp_pay: outDecimal().nullish(),
        pool_prop_selfpay: outDecimal().nullish(),
        cvlserv_pay: outDecimal().nullish(),
        hifes_pay: outDecimal().nullish(),
        hifmi_pay: outDecimal().nullish(),
        hifob_pay: outDecimal().nullish(),
        hifdm_pay: outDecimal().nullish(),
        maf_pay: outDecimal().nullish(),
        hosp_part_amt: outDecimal().nullish(),
        oth_pay: outDecimal().nullish(),
        fund_pay_sumamt: outDecimal().nullish(),
        psn_part_amt: outDecimal().nullish(),
        acct_pay: outDecimal().nullish(),
        psn_cash_pay: outDecimal().nullish(),
        balc: outDecimal().nullish(),
        acct_mulaid_pay: outDecimal().nullish(),
      })
      .passthrough(),
    setldetail: z.array(fundPayment).nullish(),
  })
  .passthrough();
