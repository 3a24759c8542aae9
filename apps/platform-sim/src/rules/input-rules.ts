import type { JsonObject } from '../ledger/input-fields';
import { ADMISSION_RULES } from './admission-rules';
import { AUDIT_RULES } from './audit-rules';
import { CATALOGUE_RULES } from './catalogue-rules';
import { CLINICAL_RULES } from './clinical-rules';
import { FEE_DETAIL_RULES } from './fee-detail-rules';
import { MEDICAL_RECORD_RULES } from './medical-record-rules';
import { PERSON_RULES } from './person-rules';
import { QUERY_RULES } from './query-rules';
import { RECONCILIATION_RULES } from './reconciliation-rules';
import { REVERSAL_RULES } from './reversal-rules';
import { inputRefusal, type InterfaceRules } from './rule-engine';
import { SETTLEMENT_LIST_RULES } from './settlement-list-rules';
import { SETTLEMENT_RULES } from './settlement-rules';
import { SIGN_IN_RULES } from './sign-in-rules';

/** Every interface the sandbox checks the input of, by infno. */
export const INPUT_RULES: Readonly<Record<string, InterfaceRules>> = {
  ...SIGN_IN_RULES,
  ...PERSON_RULES,
  ...ADMISSION_RULES,
  ...FEE_DETAIL_RULES,
  ...SETTLEMENT_RULES,
  ...REVERSAL_RULES,
  ...AUDIT_RULES,
  ...SETTLEMENT_LIST_RULES,
  ...MEDICAL_RECORD_RULES,
  ...CLINICAL_RULES,
  ...RECONCILIATION_RULES,
  ...CATALOGUE_RULES,
  ...QUERY_RULES,
};

/**
 * The platform's refusal of an interface's input, prefixed as the platform prefixes input checks; undefined
 * when it passes (or when the sandbox has no table for the interface: the ledger then decides).
 */
export function refusalOfInput(infno: string, input: JsonObject): string | undefined {
  const rules = INPUT_RULES[infno];
  const problem = rules && inputRefusal(rules, input);
  return problem && `入参校验失败：${problem}`;
}
