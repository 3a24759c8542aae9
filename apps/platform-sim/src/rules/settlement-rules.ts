import { INSUTYPE, MDTRT_CERT_TYPE, PSN_SETLWAY, YES_NO } from './dictionaries';
import { anything, num, requiredNode, str, Y, type FieldRule, type InterfaceRules } from './rule-engine';

/** 2303 住院预结算 / 2304 住院结算 (spec §3.8) and 2305 住院结算撤销 (§3.9). */

const SETTLEMENT_REQUEST: Readonly<Record<string, FieldRule>> = {
  psn_no: Y(str(30)),
  mdtrt_cert_type: Y(str(3, MDTRT_CERT_TYPE)),
  mdtrt_cert_no: Y(str(50)),
  medfee_sumamt: Y(num(16, 2)),
  psn_setlway: Y(str(6, PSN_SETLWAY)),
  mdtrt_id: Y(str(30)),
  insutype: Y(str(6, INSUTYPE)),
  invono: str(20),
  mid_setl_flag: Y(str(3, YES_NO)),
  // Required by one vendor's 2303 only (OH); the platform settles without them, so they are checked as numbers.
  fulamt_ownpay_amt: num(16, 2),
  overlmt_selfpay: num(16, 2),
  preselfpay_amt: num(16, 2),
  inscp_scp_amt: num(16, 2),
  exp_content: anything(),
};

export const SETTLEMENT_RULES: Readonly<Record<string, InterfaceRules>> = {
  // acct_used_flag is "(Y)" for 2303: a trial without it is settled as if the account is not used.
  '2303': { data: requiredNode({ ...SETTLEMENT_REQUEST, acct_used_flag: str(1, YES_NO) }) },
  '2304': { data: requiredNode({ ...SETTLEMENT_REQUEST, acct_used_flag: Y(str(1, YES_NO)) }) },
  '2305': {
    data: requiredNode({
      mdtrt_id: Y(str(30)),
      setl_id: Y(str(30)),
      psn_no: Y(str(30)),
      exp_content: anything(),
    }),
  },
};
