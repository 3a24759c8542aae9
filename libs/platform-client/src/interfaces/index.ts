export {
  dictionaryCodes,
  dictionaryProblems,
  extendDictionary,
  isDictionaryName,
  type DictionaryName,
} from './dictionaries';
export { amount, date, datetime, dict, outDecimal, price, quantity, ratio, str } from './fields';
// The "every line" feedetl_sn is the contracts' (a decider uses it): re-exported for 2302's callers.
export { REVOKE_ALL_FEE_DETAILS } from '@yb/contracts';
export * from './interface-schemas';
export * from './validation';
export { slipContentType, slipDocumentOf, type SlipDocument } from './settlement-slip';
