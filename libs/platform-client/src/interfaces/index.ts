export { dictionaryCodes, extendDictionary, type DictionaryName } from './dictionaries';
export { amount, date, datetime, dict, outDecimal, price, quantity, ratio, str } from './fields';
export { REVOKE_ALL_FEE_DETAILS } from './fee-detail';
export * from './interface-schemas';
export * from './validation';
