import type { GatewayConfig } from '@yb/platform-client';
import { z } from 'zod';
import { booksOptionsFromEnv, type SimBooksOptions } from './books/books-config';
import { DEFAULT_CATALOGUE_OPTIONS, type GeneratedCatalogueOptions } from './catalogue/generated-catalogue';
import { type FileCatalogueOptions } from './catalogue/catalogue-files';
import { faultSpecSchema, type FaultSpec } from './faults/fault-plan';

/** How the simulated platform is set up: where it listens, which gateway and SM2/SM4 checks it enforces. */
export interface PlatformSimOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** 接收方 admin division: the first six characters of every inf_refmsgid. */
  readonly admdvs: string;
  /** The gateway header scheme requests must carry (spec §1.4); `none` accepts any. */
  readonly gateway: GatewayConfig;
  readonly crypto: {
    /** 16-character SM4 key: a string `input` is decrypted with it and every `output` is encrypted. */
    readonly sm4Key?: string;
    /** The platform's SM2 private key (hex): answers are signed (signtype SM2, cainfo). */
    readonly platformSm2PrivateKey?: string;
    /** The hospital's SM2 public key (hex): when set, requests must carry a valid SM2 signature. */
    readonly hospitalSm2PublicKey?: string;
    readonly sm2UserId?: string;
  };
  /** The region whose rules the sandbox plays (PLATFORM_SIM_REGION); its profile gives the three below. */
  readonly region: RegionName;
  /** Refuse business calls without an open 9001 sign_no (default true, as the platform does). */
  readonly requireSignIn: boolean;
  /**
   * insuplc_admdvs must be given whenever the input names a person (psn_no, or 3101/3102's patn_id). Off, a
   * call without it goes to the person's own area; a given one is always routed by (a wrong one is refused).
   */
  readonly enforceInsuplcAdmdvs: boolean;
  /** How long the timeout faults hold a request when the fault names no latencyMs. */
  readonly timeoutHoldMs: number;
  /**
   * Enrol a fictitious insured person when 1101 names an unknown certificate or 2401 an unknown psn_no, instead
   * of refusing (人员编号不存在): lets generated HIS patients through. Default false, as the platform behaves.
   */
  readonly enrolUnknownPersons: boolean;
  /**
   * 超限价 (the part of a price over its ceiling) is borne by the hospital, a local policy; default false: it is
   * the patient's self-pay, as the national rule has it.
   */
  readonly hospitalBearsOverlimit: boolean;
  /**
   * 2301 refuses a line whose med_list_codg is outside the sandbox's catalogue, as the platform does, so that a
   * client's mapping error shows (default true: the HIS simulator charges from @yb/reference-charges, whose codes
   * the generated catalogue holds). False: such a line is priced 丙类 with a memo.
   */
  readonly refuseCodesOutsideCatalogue: boolean;
  /** Faults armed at start. */
  readonly faults: readonly FaultSpec[];
  /** The generated national catalogue the catalogue queries answer from (size and seed). */
  readonly catalogue: GeneratedCatalogueOptions;
  /** The 1307/1308 files: rows in all, and rows per version (one file per version). */
  readonly fileCatalogues: FileCatalogueOptions;
  /** Where the installation's books live (no default in code: each caller names its schema). */
  readonly books: SimBooksOptions;
}

/** What differs between provinces' platforms at the sandbox's front door (spec §1.1, §1.4, §2). */
export interface RegionProfile {
  /** Gateway header scheme; the credentials come from the scheme's own variables. */
  readonly gateway: GatewayConfig['kind'];
  readonly requireSignIn: boolean;
  readonly enforceInsuplcAdmdvs: boolean;
}

/**
 * The regions the sources show. Hubei's gateway scheme is unverified (spec §1.4), so its profile asks for no
 * gateway headers until the province's documents say otherwise; the others are the schemes seen there.
 */
export const REGION_PROFILES = {
  hubei: { gateway: 'none', requireSignIn: true, enforceInsuplcAdmdvs: true },
  hebei: { gateway: 'tif', requireSignIn: true, enforceInsuplcAdmdvs: true },
  zhejiang: { gateway: 'zhejiang', requireSignIn: true, enforceInsuplcAdmdvs: true },
  jiangxi: { gateway: 'csb', requireSignIn: true, enforceInsuplcAdmdvs: true },
} as const satisfies Record<string, RegionProfile>;

export type RegionName = keyof typeof REGION_PROFILES;

export const DEFAULT_REGION: RegionName = 'hubei';

export const DEFAULT_SIM_OPTIONS: Omit<PlatformSimOptions, 'books'> = {
  host: '127.0.0.1',
  port: 8780,
  admdvs: '420000',
  gateway: { kind: REGION_PROFILES[DEFAULT_REGION].gateway },
  crypto: {},
  region: DEFAULT_REGION,
  requireSignIn: REGION_PROFILES[DEFAULT_REGION].requireSignIn,
  enforceInsuplcAdmdvs: REGION_PROFILES[DEFAULT_REGION].enforceInsuplcAdmdvs,
  timeoutHoldMs: 120_000,
  enrolUnknownPersons: false,
  hospitalBearsOverlimit: false,
  refuseCodesOutsideCatalogue: true,
  faults: [],
  catalogue: DEFAULT_CATALOGUE_OPTIONS,
  fileCatalogues: { rows: 30_000, rowsPerVersion: 5_000 },
};

export class SimConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`platform-sim configuration: ${variable}: ${message}`);
    this.name = 'SimConfigError';
  }
}

const HEX = /^[0-9a-fA-F]+$/;

/**
 * Reads the options from the environment (secrets never live in the repository):
 *
 *   PLATFORM_SIM_HOST (127.0.0.1), PLATFORM_SIM_PORT (8780), PLATFORM_SIM_ADMDVS (420000)
 *   PLATFORM_SIM_REGION           hubei (default) | hebei | zhejiang | jiangxi: the profile giving the gateway
 *                                 scheme, sign-in and insuplc_admdvs rules; the three variables below override it
 *   PLATFORM_SIM_GATEWAY          none | tif | csb | zhejiang (the region's scheme by default)
 *   PLATFORM_SIM_TIF_PAASID, PLATFORM_SIM_TIF_TOKEN
 *   PLATFORM_SIM_CSB_ACCESS_KEY, PLATFORM_SIM_CSB_SECRET_KEY, PLATFORM_SIM_CSB_API_VERSION (1.0.0)
 *   PLATFORM_SIM_ZJ_KEY, PLATFORM_SIM_ZJ_SECRET
 *   PLATFORM_SIM_SM4_KEY                   16 characters
 *   PLATFORM_SIM_SM2_PRIVATE_KEY           the platform's key (hex), signs answers
 *   PLATFORM_SIM_HOSPITAL_SM2_PUBLIC_KEY   the hospital's key (hex), verifies requests
 *   PLATFORM_SIM_SM2_USER_ID               (1234567812345678)
 *   PLATFORM_SIM_REQUIRE_SIGN_IN           true | false (the region's rule by default)
 *   PLATFORM_SIM_ENFORCE_INSUPLC           true | false: insuplc_admdvs required when the input names a person
 *   PLATFORM_SIM_TIMEOUT_HOLD_MS           (120000)
 *   PLATFORM_SIM_ENROL_UNKNOWN             false (default) | true: enrol unknown persons of 1101/2401
 *   PLATFORM_SIM_HOSPITAL_BEARS_OVERLIMIT  false (default) | true: 超限价 is the hospital's part, not the patient's
 *   PLATFORM_SIM_REFUSE_UNKNOWN_CODES      true (default) | false: 2301 refuses a code outside the catalogue
 *   PLATFORM_SIM_FAULTS                    JSON array of {infno, mode, times?, latencyMs?, errMsg?}
 *   PLATFORM_SIM_CATALOGUE_ITEMS           items of the generated national catalogue (100000)
 *   PLATFORM_SIM_CATALOGUE_SEED            which catalogue (1): the same seed gives the same rows
 *   PLATFORM_SIM_FILE_CATALOGUE_ROWS       rows of 1307 and of 1308 (30000)
 *   PLATFORM_SIM_FILE_CATALOGUE_VERSION_ROWS  rows per version, one 9102 file each (5000)
 *   PLATFORM_SIM_DATABASE_URL, PLATFORM_SIM_SCHEMA, PLATFORM_SIM_ACCEPT_REPLAY_MISMATCH: books/books-config.ts
 */
export function simOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): PlatformSimOptions {
  const text = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const required = (name: string): string => text(name) ?? fail(name, 'is required for this gateway');
  const int = (name: string, fallback: number): number => {
    const value = text(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value)) fail(name, `"${value}" is not a whole number`);
    return Number(value);
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const value = text(name) ?? String(fallback);
    if (value !== 'true' && value !== 'false') fail(name, 'must be true or false');
    return value === 'true';
  };

  const regionName = text('PLATFORM_SIM_REGION') ?? DEFAULT_REGION;
  if (!Object.keys(REGION_PROFILES).includes(regionName)) {
    fail('PLATFORM_SIM_REGION', `"${regionName}" is not one of ${Object.keys(REGION_PROFILES).join(', ')}`);
  }
  const region = regionName as RegionName;
  const profile: RegionProfile = REGION_PROFILES[region];
  const gatewayKind = text('PLATFORM_SIM_GATEWAY') ?? profile.gateway;
  const gateways: Record<string, () => GatewayConfig> = {
    none: () => ({ kind: 'none' }),
    tif: () => ({
      kind: 'tif',
      paasid: required('PLATFORM_SIM_TIF_PAASID'),
      token: required('PLATFORM_SIM_TIF_TOKEN'),
    }),
    csb: () => ({
      kind: 'csb',
      accessKey: required('PLATFORM_SIM_CSB_ACCESS_KEY'),
      secretKey: required('PLATFORM_SIM_CSB_SECRET_KEY'),
      apiVersion: text('PLATFORM_SIM_CSB_API_VERSION') ?? '1.0.0',
    }),
    zhejiang: () => ({
      kind: 'zhejiang',
      key: required('PLATFORM_SIM_ZJ_KEY'),
      secret: required('PLATFORM_SIM_ZJ_SECRET'),
    }),
  };
  const gateway =
    gateways[gatewayKind] ??
    fail('PLATFORM_SIM_GATEWAY', `"${gatewayKind}" is not one of none, tif, csb, zhejiang`);

  const sm4Key = text('PLATFORM_SIM_SM4_KEY');
  if (sm4Key !== undefined && sm4Key.length !== 16) fail('PLATFORM_SIM_SM4_KEY', 'must be 16 characters');
  for (const name of ['PLATFORM_SIM_SM2_PRIVATE_KEY', 'PLATFORM_SIM_HOSPITAL_SM2_PUBLIC_KEY']) {
    const value = text(name);
    if (value !== undefined && !HEX.test(value)) fail(name, 'must be hexadecimal');
  }
  const admdvs = text('PLATFORM_SIM_ADMDVS') ?? DEFAULT_SIM_OPTIONS.admdvs;
  if (!/^\d{6}$/.test(admdvs)) fail('PLATFORM_SIM_ADMDVS', 'must be a six-digit admin-division code');

  return {
    host: text('PLATFORM_SIM_HOST') ?? DEFAULT_SIM_OPTIONS.host,
    port: int('PLATFORM_SIM_PORT', DEFAULT_SIM_OPTIONS.port),
    admdvs,
    gateway: gateway(),
    crypto: {
      sm4Key,
      platformSm2PrivateKey: text('PLATFORM_SIM_SM2_PRIVATE_KEY'),
      hospitalSm2PublicKey: text('PLATFORM_SIM_HOSPITAL_SM2_PUBLIC_KEY'),
      sm2UserId: text('PLATFORM_SIM_SM2_USER_ID'),
    },
    region,
    requireSignIn: flag('PLATFORM_SIM_REQUIRE_SIGN_IN', profile.requireSignIn),
    enforceInsuplcAdmdvs: flag('PLATFORM_SIM_ENFORCE_INSUPLC', profile.enforceInsuplcAdmdvs),
    timeoutHoldMs: int('PLATFORM_SIM_TIMEOUT_HOLD_MS', DEFAULT_SIM_OPTIONS.timeoutHoldMs),
    enrolUnknownPersons: flag('PLATFORM_SIM_ENROL_UNKNOWN', DEFAULT_SIM_OPTIONS.enrolUnknownPersons),
    hospitalBearsOverlimit: flag(
      'PLATFORM_SIM_HOSPITAL_BEARS_OVERLIMIT',
      DEFAULT_SIM_OPTIONS.hospitalBearsOverlimit,
    ),
    refuseCodesOutsideCatalogue: flag(
      'PLATFORM_SIM_REFUSE_UNKNOWN_CODES',
      DEFAULT_SIM_OPTIONS.refuseCodesOutsideCatalogue,
    ),
    faults: faultsFromJson(text('PLATFORM_SIM_FAULTS')),
    catalogue: {
      items: int('PLATFORM_SIM_CATALOGUE_ITEMS', DEFAULT_CATALOGUE_OPTIONS.items),
      seed: int('PLATFORM_SIM_CATALOGUE_SEED', DEFAULT_CATALOGUE_OPTIONS.seed),
    },
    fileCatalogues: {
      rows: int('PLATFORM_SIM_FILE_CATALOGUE_ROWS', DEFAULT_SIM_OPTIONS.fileCatalogues.rows),
      rowsPerVersion: Math.max(
        1,
        int('PLATFORM_SIM_FILE_CATALOGUE_VERSION_ROWS', DEFAULT_SIM_OPTIONS.fileCatalogues.rowsPerVersion),
      ),
    },
    books: booksOptionsFromEnv(env, fail),
  };
}

function faultsFromJson(json: string | undefined): FaultSpec[] {
  if (json === undefined) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return fail('PLATFORM_SIM_FAULTS', 'is not valid JSON');
  }
  const parsed = z.array(faultSpecSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail('PLATFORM_SIM_FAULTS', `${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

function fail(variable: string, message: string): never {
  throw new SimConfigError(variable, message);
}
