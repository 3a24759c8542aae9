import { z } from 'zod';
import { PlatformConfigError } from './errors';
import { secretFromEnv } from '@yb/sealing';

const INFNO = /^\d{4}[A-Z]?$/;
const HEX = /^[0-9a-fA-F]+$/;

const callPolicySchema = z.object({
  /** Time allowed for the whole exchange (connect, send, answer). */
  timeoutMs: z.number().int().positive().optional(),
  /**
   * Sends allowed in total. Beyond the first, the client only resends when that is safe: an UNKNOWN
   * reversible call once 2601 reversed it, or an UNKNOWN call declared `resendWhenUnknown`. (A refusal
   * asking for a new sign-in is always resent once, after signing in again.)
   */
  maxAttempts: z.number().int().min(1).max(5).optional(),
  /**
   * Declares the interface free of effect (a query such as 1101 or 2407): an UNKNOWN is then simply resent.
   * Never set it for an interface that changes anything on the platform.
   */
  resendWhenUnknown: z.boolean().optional(),
  /** Allow an interface Hubei's list marks closed (否), e.g. opened for this hospital since. */
  allowClosedInHubei: z.boolean().optional(),
  /** Allow an interface whose open status in Hubei the catalogue does not know. */
  allowUnknown: z.boolean().optional(),
});
export type CallPolicy = z.infer<typeof callPolicySchema>;

const gatewaySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('tif'), paasid: z.string().min(1), token: z.string().min(1) }),
  z.object({
    kind: z.literal('csb'),
    accessKey: z.string().min(1),
    secretKey: z.string().min(1),
    apiVersion: z.string().min(1).default('1.0.0'),
  }),
  z.object({ kind: z.literal('zhejiang'), key: z.string().min(1), secret: z.string().min(1) }),
]);
export type GatewayConfig = z.infer<typeof gatewaySchema>;

const cryptoSchema = z.object({
  /** 16 ASCII characters used as the SM4 key bytes; when set, `input` is sent SM4-ECB/PKCS7 encrypted. */
  sm4Key: z.string().length(16).optional(),
  /** The hospital's SM2 private key (hex); when set, requests carry signtype SM2 and cainfo. */
  sm2PrivateKey: z.string().regex(HEX).optional(),
  /** The platform's SM2 public key (hex, 04…); when set, every answer must carry a valid SM2 signature. */
  platformSm2PublicKey: z.string().regex(HEX).optional(),
  /** SM2 user id for the Z value; sources disagree (spec §1.5), sm-crypto's default is the common one. */
  sm2UserId: z.string().min(1).default('1234567812345678'),
});
export type CryptoConfig = z.infer<typeof cryptoSchema>;

/** A patient kind as a rule names it: `insutype:410` (工伤) or `psn_type:1300` (离休). */
const PATIENT_KIND_RULE = /^(insutype|psn_type):[0-9A-Za-z]{1,10}$/;

export const platformClientConfigSchema = z.object({
  baseUrl: z.string().url(),
  endpointMode: z.enum(['unified', 'per-service']).default('unified'),
  /** Per-service paths that differ from the national map (spec §1.3), by infno. */
  servicePaths: z.record(z.string().regex(INFNO), z.string().startsWith('/')).default({}),
  fixmedins_code: z.string().length(12),
  fixmedins_name: z.string().min(1).max(200),
  mdtrtarea_admvs: z.string().regex(/^\d{6}$/, 'six-digit admin-division code'),
  recer_sys_code: z.string().min(1).max(10).default('YBXT'),
  /**
   * 接收方系统代码 by patient kind for the person-related interfaces (spec §1.1 row 5: LXXT for 离休 persons,
   * GSXT for 工伤), e.g. {"psn_type:1300":"LXXT","insutype:410":"GSXT"}; a patient of no listed kind (and
   * every other interface) gets recer_sys_code. An insutype rule wins over a psn_type rule: the insurance
   * of the visit decides which system pays.
   */
  recerSysCodes: z
    .record(
      z.string().regex(PATIENT_KIND_RULE, 'must be insutype:<code> or psn_type:<code>'),
      z.string().min(1).max(10),
    )
    .default({}),
  infver: z.string().min(1).max(6).default('V1.0'),
  dev_no: z.string().max(100).default(''),
  dev_safe_info: z.string().max(2000).default(''),
  operator: z.object({
    opter_type: z.enum(['1', '2', '3']),
    opter: z.string().min(1).max(30),
    opter_name: z.string().min(1).max(50),
    ip: z.string().min(1).max(20),
    mac: z.string().max(20).default(''),
  }),
  gateway: gatewaySchema.default({ kind: 'none' }),
  crypto: cryptoSchema.default({}),
  timeoutMs: z.number().int().positive().default(30_000),
  callPolicies: z.record(z.string().regex(INFNO), callPolicySchema).default({}),
  /** An answer whose err_msg matches means the sign_no is no longer accepted: sign in again and resend. */
  signInRequiredPattern: z.instanceof(RegExp).default(/签到/),
  /** Schema of the msgid counter; every service of one hospital must share it (msgids are hospital-wide). */
  msgidSchema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default('nhsa_msgid'),
});

export type PlatformClientConfig = z.infer<typeof platformClientConfigSchema>;
export type PlatformClientConfigInput = z.input<typeof platformClientConfigSchema>;

/** Validates a configuration, naming the first wrong field. */
export function parsePlatformClientConfig(raw: PlatformClientConfigInput): PlatformClientConfig {
  const parsed = platformClientConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PlatformConfigError(issue.path.join('.') || '(root)', issue.message);
  }
  return parsed.data;
}

/**
 * Reads the configuration from environment variables (secrets never live in the repository):
 *
 *   NHSA_BASE_URL                 platform (or gateway / local client component) base URL, e.g. https://host:port
 *   NHSA_ENDPOINT_MODE            `unified` (/fsi/api/rsfComIfsService/callService, default) or `per-service`
 *   NHSA_SERVICE_PATHS            JSON {"2601":"/fsi/api/reverseService/revsMethod",…} overriding per-service paths
 *   NHSA_FIXMEDINS_CODE           定点医药机构编号, 12 characters (the msgid prefix)
 *   NHSA_FIXMEDINS_NAME           定点医药机构名称
 *   NHSA_MDTRTAREA_ADMVS          就医地医保区划, 6 digits (Hubei: 42xxxx)
 *   NHSA_RECER_SYS_CODE           接收方系统代码 (default YBXT)
 *   NHSA_RECER_SYS_CODES          JSON 接收方系统代码 by patient kind for person-related interfaces, e.g.
 *                                 {"psn_type:1300":"LXXT","insutype:410":"GSXT"} (insutype rules win)
 *   NHSA_INFVER                   接口版本号 (default V1.0)
 *   NHSA_DEV_NO, NHSA_DEV_SAFE_INFO   设备编号 / 设备安全信息 (optional)
 *   NHSA_OPTER_TYPE               经办人类别 1 经办人 / 2 自助终端 / 3 移动终端
 *   NHSA_OPTER, NHSA_OPTER_NAME   经办人 id and name (also the 9001 opter_no)
 *   NHSA_SIGN_IN_IP, NHSA_SIGN_IN_MAC  9001 签到 ip (required) and mac (optional)
 *   NHSA_GATEWAY                  none (default) | tif | csb | zhejiang
 *   NHSA_TIF_PAASID, NHSA_TIF_TOKEN              TIF gateway credentials
 *   NHSA_CSB_ACCESS_KEY, NHSA_CSB_SECRET_KEY, NHSA_CSB_API_VERSION   Alibaba CSB credentials (version default 1.0.0)
 *   NHSA_ZJ_KEY, NHSA_ZJ_SECRET   Zhejiang x-ca-key (default: the fixmedins_code) and HMAC-SM3 secret
 *   NHSA_SM4_KEY                  16-character SM4 key: encrypt `input`, decrypt `output`
 *   NHSA_SM2_PRIVATE_KEY          hospital SM2 private key (hex): sign requests (signtype SM2, cainfo)
 *   NHSA_PLATFORM_SM2_PUBLIC_KEY  platform SM2 public key (hex): answers must verify, or they count as UNKNOWN
 *   NHSA_SM2_USER_ID              SM2 user id (default 1234567812345678)
 *   …_FILE                        each secret (NHSA_TIF_TOKEN, NHSA_CSB_SECRET_KEY, NHSA_ZJ_SECRET, NHSA_SM4_KEY,
 *                                 NHSA_SM2_PRIVATE_KEY) may come from a file instead, readable by its owner only
 *   NHSA_TIMEOUT_MS               default per-call timeout (default 30000)
 *   NHSA_CALL_POLICIES            JSON per infno: timeoutMs, maxAttempts, resendWhenUnknown, allowClosedInHubei,
 *                                 allowUnknown, e.g. {"2304":{"timeoutMs":60000,"maxAttempts":2}}
 *   NHSA_SIGN_IN_REQUIRED_PATTERN regular expression on err_msg meaning "sign in again" (default 签到)
 *   NHSA_MSGID_SCHEMA             PostgreSQL schema of the shared msgid counter (default nhsa_msgid)
 */
export function platformClientConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PlatformClientConfig {
  const json = (name: string): unknown => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new PlatformConfigError(name, 'is not valid JSON');
    }
  };
  const int = (name: string): number | undefined => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    const value = Number(text);
    if (!Number.isInteger(value)) throw new PlatformConfigError(name, `"${text}" is not an integer`);
    return value;
  };
  const text = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const secret = (name: string): string | undefined => secretFromEnv(env, name, PlatformConfigError);

  const gatewayKind = text('NHSA_GATEWAY') ?? 'none';
  const gateways: Record<string, unknown> = {
    none: { kind: 'none' },
    tif: { kind: 'tif', paasid: text('NHSA_TIF_PAASID'), token: secret('NHSA_TIF_TOKEN') },
    csb: {
      kind: 'csb',
      accessKey: text('NHSA_CSB_ACCESS_KEY'),
      secretKey: secret('NHSA_CSB_SECRET_KEY'),
      apiVersion: text('NHSA_CSB_API_VERSION'),
    },
    zhejiang: {
      kind: 'zhejiang',
      key: text('NHSA_ZJ_KEY') ?? text('NHSA_FIXMEDINS_CODE'),
      secret: secret('NHSA_ZJ_SECRET'),
    },
  };
  if (!(gatewayKind in gateways)) {
    throw new PlatformConfigError('NHSA_GATEWAY', `"${gatewayKind}" is not one of none, tif, csb, zhejiang`);
  }
  const pattern = text('NHSA_SIGN_IN_REQUIRED_PATTERN');
  let signInRequiredPattern: RegExp | undefined;
  try {
    signInRequiredPattern = pattern === undefined ? undefined : new RegExp(pattern);
  } catch {
    throw new PlatformConfigError('NHSA_SIGN_IN_REQUIRED_PATTERN', 'is not a valid regular expression');
  }

  try {
    return parsePlatformClientConfig({
      baseUrl: text('NHSA_BASE_URL') as string,
      endpointMode: text('NHSA_ENDPOINT_MODE') as PlatformClientConfigInput['endpointMode'],
      servicePaths: json('NHSA_SERVICE_PATHS') as Record<string, string> | undefined,
      fixmedins_code: text('NHSA_FIXMEDINS_CODE') as string,
      fixmedins_name: text('NHSA_FIXMEDINS_NAME') as string,
      mdtrtarea_admvs: text('NHSA_MDTRTAREA_ADMVS') as string,
      recer_sys_code: text('NHSA_RECER_SYS_CODE'),
      recerSysCodes: json('NHSA_RECER_SYS_CODES') as Record<string, string> | undefined,
      infver: text('NHSA_INFVER'),
      dev_no: text('NHSA_DEV_NO'),
      dev_safe_info: text('NHSA_DEV_SAFE_INFO'),
      operator: {
        opter_type: text('NHSA_OPTER_TYPE') as '1',
        opter: text('NHSA_OPTER') as string,
        opter_name: text('NHSA_OPTER_NAME') as string,
        ip: text('NHSA_SIGN_IN_IP') as string,
        mac: text('NHSA_SIGN_IN_MAC'),
      },
      gateway: gateways[gatewayKind] as GatewayConfig,
      crypto: {
        sm4Key: secret('NHSA_SM4_KEY'),
        sm2PrivateKey: secret('NHSA_SM2_PRIVATE_KEY'),
        platformSm2PublicKey: text('NHSA_PLATFORM_SM2_PUBLIC_KEY'),
        sm2UserId: text('NHSA_SM2_USER_ID'),
      },
      timeoutMs: int('NHSA_TIMEOUT_MS'),
      callPolicies: json('NHSA_CALL_POLICIES') as Record<string, CallPolicy> | undefined,
      signInRequiredPattern,
      msgidSchema: text('NHSA_MSGID_SCHEMA'),
    });
  } catch (err) {
    // Name the variable to fix rather than the configuration path.
    if (err instanceof PlatformConfigError && err.field in ENV_NAMES) {
      throw new PlatformConfigError(ENV_NAMES[err.field]!, err.detail);
    }
    // An entry of a JSON variable: the variable, then the entry.
    const [head = '', ...entry] = err instanceof PlatformConfigError ? err.field.split('.') : [];
    if (err instanceof PlatformConfigError && head in JSON_ENV_NAMES) {
      throw new PlatformConfigError(JSON_ENV_NAMES[head]!, `${entry.join('.')}: ${err.detail}`);
    }
    throw err;
  }
}

const JSON_ENV_NAMES: Record<string, string> = {
  servicePaths: 'NHSA_SERVICE_PATHS',
  recerSysCodes: 'NHSA_RECER_SYS_CODES',
  callPolicies: 'NHSA_CALL_POLICIES',
};

const ENV_NAMES: Record<string, string> = {
  baseUrl: 'NHSA_BASE_URL',
  endpointMode: 'NHSA_ENDPOINT_MODE',
  fixmedins_code: 'NHSA_FIXMEDINS_CODE',
  fixmedins_name: 'NHSA_FIXMEDINS_NAME',
  mdtrtarea_admvs: 'NHSA_MDTRTAREA_ADMVS',
  recer_sys_code: 'NHSA_RECER_SYS_CODE',
  infver: 'NHSA_INFVER',
  dev_no: 'NHSA_DEV_NO',
  dev_safe_info: 'NHSA_DEV_SAFE_INFO',
  'operator.opter_type': 'NHSA_OPTER_TYPE',
  'operator.opter': 'NHSA_OPTER',
  'operator.opter_name': 'NHSA_OPTER_NAME',
  'operator.ip': 'NHSA_SIGN_IN_IP',
  'operator.mac': 'NHSA_SIGN_IN_MAC',
  'gateway.paasid': 'NHSA_TIF_PAASID',
  'gateway.token': 'NHSA_TIF_TOKEN',
  'gateway.accessKey': 'NHSA_CSB_ACCESS_KEY',
  'gateway.secretKey': 'NHSA_CSB_SECRET_KEY',
  'gateway.key': 'NHSA_ZJ_KEY',
  'gateway.secret': 'NHSA_ZJ_SECRET',
  'crypto.sm4Key': 'NHSA_SM4_KEY',
  'crypto.sm2PrivateKey': 'NHSA_SM2_PRIVATE_KEY',
  'crypto.platformSm2PublicKey': 'NHSA_PLATFORM_SM2_PUBLIC_KEY',
  timeoutMs: 'NHSA_TIMEOUT_MS',
  msgidSchema: 'NHSA_MSGID_SCHEMA',
};
