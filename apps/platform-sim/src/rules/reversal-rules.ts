import { requiredNode, str, Y, type InterfaceRules } from './rule-engine';

/** 2601 冲正交易 (spec §3.10): oinfno is 4 characters, 5 for the "A" interfaces (2207A, 4101A). */
export const REVERSAL_RULES: Readonly<Record<string, InterfaceRules>> = {
  '2601': {
    data: requiredNode({ psn_no: Y(str(30)), omsgid: Y(str(30)), oinfno: Y(str(5)) }),
  },
};
