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
export type {
  Input5205,
  Input5206,
  Input5301,
  Input5302,
  Input5304,
  Output5205,
  Output5206,
  Output5301,
  Output5302,
  Output5304,
} from './person-queries';
export type {
  Input4103,
  Input5201,
  Input5202,
  Input5204,
  Input5303,
  Output4103,
  Output5201,
  Output5202,
  Output5204,
  Output5303,
} from './visit-queries';
