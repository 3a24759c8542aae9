export { ConfigError, secretFromEnv, type ConfigErrorClass } from './secrets';
export {
  DATA_KEYS_VARIABLE,
  Keyring,
  SealedValueError,
  isSealed,
  isSealedBytes,
  type SealedJson,
} from './keyring';
export {
  IDENTIFIER_FIELDS,
  identifierValuesOf,
  openFields,
  resealFields,
  sealFields,
} from './identifier-fields';
export { sealedIn } from './sealed-in';
