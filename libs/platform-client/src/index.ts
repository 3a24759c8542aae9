// @yb/platform-client: the hospital's side of the national medical insurance platform.
//
//   const config = platformClientConfigFromEnv();               // every NHSA_* variable is listed in config.ts
//   // the service's DataSource: entities [...PlatformCallRecord], migrations [...PLATFORM_CLIENT_MIGRATIONS]
//   const client = new PlatformClient({ config, dataSource });  // transport: HttpTransport unless given
//   await client.start();                                       // msgid counter + 9001 sign-in
//   await client.recover(resolver);                             // settle calls a crash left PENDING/UNKNOWN
//   const r = await client.call('2401', input, { visitKey: ipt_no, insuplc_admdvs });
//   // r.status: SUCCEEDED (output) | APPLIED_UNREADABLE (raw output, problems: a person resolves)
//   //           | REJECTED (infcode, err_msg) | UNKNOWN (reason) → client.reverse(r.msgid)
//   await client.stop();                                        // 9002 sign-out
//
// The simulator side uses the same helpers: gateway signers' `verify`, sealEnvelope/unsealEnvelope (SM4 + SM2),
// envelopeSignText, the per-service path map, and the envelope types.

export * from './catalogue';
export * from './interfaces';

export {
  PlatformClient,
  type PlatformClientOptions,
  type CallOptions,
  type PlatformCallResult,
  type FileDownloadResult,
  type TypedCallResult,
  type ReversalResult,
  type CallResolver,
  type RecoveryEntry,
  type SettledCall,
} from './platform-client';
export {
  platformClientConfigFromEnv,
  parsePlatformClientConfig,
  platformClientConfigSchema,
  type PlatformClientConfig,
  type PlatformClientConfigInput,
  type CallPolicy,
  type GatewayConfig,
  type CryptoConfig,
} from './config';
export { PlatformConfigError, PlatformReversalError, PlatformSignInError } from './errors';
export {
  buildRequestEnvelope,
  containsPsnNo,
  findPsnNo,
  type RequestEnvelope,
  type ResponseEnvelope,
  type PlatformOperator,
  type EnvelopeParts,
  type PatientKind,
} from './envelope';
export { classifyAnswer, classifyFailure, type CallOutcome, type CallStatus } from './call-outcome';
export { MsgidSequence } from './msgid-sequence';
export { SignInSessions, type SigningOperator } from './sign-in-sessions';
// The platform's Beijing-time formats live with the field formats in @yb/contracts (a decider may use them).
export { shanghaiDate, shanghaiDateTime, shanghaiSecondStamp } from '@yb/contracts';
export {
  TransportFailure,
  type PlatformTransport,
  type TransportRequest,
  type TransportResponse,
} from './transport/platform-transport';
export { HttpTransport, type HttpTransportOptions } from './transport/http-transport';
export { endpointPath, PER_SERVICE_PATHS, UNIFIED_PATH, type EndpointMode } from './transport/endpoints';
export {
  NoGatewaySigner,
  TifGatewaySigner,
  CsbGatewaySigner,
  ZhejiangGatewaySigner,
  gatewaySignerFor,
  type GatewaySigner,
  type GatewayRequest,
} from './transport/gateway-signers';
export {
  sealEnvelope,
  unsealEnvelope,
  envelopeSignText,
  EnvelopeSealError,
  type PayloadField,
  type SealKeys,
  type UnsealKeys,
} from './crypto/envelope-seal';
export { sm4EncryptBase64, sm4DecryptBase64 } from './crypto/sm4';
export { sm2SignBase64, sm2VerifyBase64, generateSm2KeyPair, DEFAULT_SM2_USER_ID } from './crypto/sm2';
export { PlatformCallJournal, type PendingCall } from './journal/platform-call-journal';
export {
  PlatformCallRecord,
  type JournalStatus,
  type CallResolution,
} from './journal/platform-call-record.entity';
export {
  PLATFORM_CLIENT_MIGRATIONS,
  CreatePlatformCallJournal1767000000000,
  AddPlatformCallRequestKey1768000000000,
} from './journal/platform-client-migrations';
export {
  reversalRefusalMeaning,
  reversalVerdict,
  type ReversalRefusalMeaning,
  type ReversalVerdict,
} from './reversal-refusal';
