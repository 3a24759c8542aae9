import path from 'node:path';
import { z } from 'zod';
import { ConfigError, secretFromEnv } from '@yb/sealing';
import { ServiceConfigError } from '@yb/service-runtime';

export const DASHBOARD_ROLES = ['viewer', 'operator', 'admin'] as const;
export type DashboardRole = (typeof DASHBOARD_ROLES)[number];

/** A user created at start when the schema does not hold it yet (DASHBOARD_BOOTSTRAP_USERS). */
export interface BootstrapUser {
  readonly username: string;
  readonly password: string;
  readonly role: DashboardRole;
}

/** The dashboard's own settings, beside the shared ServiceConfig. */
export interface DashboardConfig {
  /** How long a session lives after sign-in (seconds). */
  readonly sessionTtlSeconds: number;
  readonly bootstrapUsers: readonly BootstrapUser[];
  /** The built web page (vite build output) served at `/`. */
  readonly webDir: string;
  /** Sets the cookies' Secure flag and HSTS: on unless the dashboard listens on loopback only (development). */
  readonly secureCookie: boolean;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For names the client's address (none by default). */
  readonly trustedProxies: string | false;
  /** Origins allowed to change state, besides the one the request was addressed to (a reverse proxy's). */
  readonly allowedOrigins: readonly string[];
  /** How long the sign-in audit is kept (days). */
  readonly auditRetentionDays: number;
  /** Sign-in through the hospital's identity provider, when configured. */
  readonly oidc: OidcConfig | null;
  /** The settlement slip (结算单): its CJK font, and the hospital it names and whose area tells 异地 patients. */
  readonly slip: {
    readonly fontPath: string;
    readonly hospitalName: string;
    /** 就医地医保区划; null when not configured: no slip marks a patient as cross-area then. */
    readonly hospitalArea: string | null;
  };
  /** The schema of the dead-letter replay books, shared with `npm run dlq` (DLQ_SCHEMA, default dlq). */
  readonly deadLetterSchema: string;
  /** apps/reconciliation's HTTP API (清算申请): its origin (RECONCILIATION_URL, default loopback, as the catalogue's). */
  readonly reconciliationUrl: string;
  /** The catalogue service's base URL (DASHBOARD_CATALOGUE_URL): the mapping screen's suggestions and 目录查询. */
  readonly catalogueUrl: string;
}

/** OpenID Connect sign-in (authorization code with PKCE) beside the local users. */
export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Where the provider sends the browser back: https://<dashboard>/api/session/oidc/callback. */
  readonly redirectUri: string;
  /** The ID token claim holding the user's name (default preferred_username). */
  readonly usernameClaim: string;
  /** The claim holding the user's groups or roles (default roles), a string or a list of strings. */
  readonly roleClaim: string;
  /** Which claim value gives which dashboard role; a user with none of them is refused. */
  readonly roles: Readonly<Record<string, DashboardRole>>;
  /** Lets a test provider on http://127.0.0.1 be used (openid-client refuses plain HTTP otherwise). */
  readonly allowInsecureIssuer: boolean;
}

const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;

const bootstrapUsersSchema = z.string().transform((text, ctx) =>
  text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .flatMap((entry): BootstrapUser[] => {
      // The password may contain ':'; the name is before the first, the role after the last.
      const first = entry.indexOf(':');
      const last = entry.lastIndexOf(':');
      const username = entry.slice(0, first);
      const password = entry.slice(first + 1, last);
      const role = entry.slice(last + 1) as DashboardRole;
      if (first < 0 || first === last || !USERNAME.test(username) || password.length < 8) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: 'must be user:password:role entries (password of 8 characters or more), comma-separated',
        });
        return [];
      }
      if (!DASHBOARD_ROLES.includes(role)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `role of ${username} must be viewer, operator or admin`,
        });
        return [];
      }
      return [{ username, password, role }];
    }),
);

const environmentSchema = z.object({
  DASHBOARD_SESSION_TTL: z
    .string()
    .regex(/^\d+[smh]?$/, { message: 'must be a duration such as 3600, 90s, 30m or 8h' })
    .transform((text) => {
      const unit = text.at(-1)!;
      const amount = Number.parseInt(text, 10);
      return unit === 'h' ? amount * 3600 : unit === 'm' ? amount * 60 : amount;
    })
    .refine((seconds) => seconds >= 1, { message: 'must be at least one second' })
    .optional(),
  DASHBOARD_BOOTSTRAP_USERS: bootstrapUsersSchema.optional(),
  DASHBOARD_WEB_DIR: z.string().min(1).optional(),
  DASHBOARD_SECURE_COOKIE: z.enum(['true', 'false']).optional(),
  HTTP_HOST: z.string().optional(),
  DASHBOARD_TRUSTED_PROXIES: z
    .string()
    .regex(/^[0-9A-Za-z.:/,\s]+$/, { message: 'must be addresses, subnets or loopback, comma-separated' })
    .optional(),
  DASHBOARD_ALLOWED_ORIGINS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .refine((origins) => origins.every((origin) => /^https?:\/\/[^/\s]+$/.test(origin)), {
      message: 'must be origins such as https://dashboard.hospital.example, comma-separated',
    })
    .optional(),
  DASHBOARD_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(180).optional(),
  DASHBOARD_OIDC_ISSUER: z.string().url().optional(),
  DASHBOARD_OIDC_CLIENT_ID: z.string().min(1).optional(),
  DASHBOARD_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  DASHBOARD_OIDC_REDIRECT_URI: z.string().url().optional(),
  DASHBOARD_OIDC_USERNAME_CLAIM: z.string().min(1).optional(),
  DASHBOARD_OIDC_ROLE_CLAIM: z.string().min(1).optional(),
  DASHBOARD_OIDC_ROLES: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'is not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.enum(DASHBOARD_ROLES)))
    .optional(),
  DASHBOARD_OIDC_ALLOW_HTTP: z.enum(['true', 'false']).optional(),
  DASHBOARD_SLIP_FONT: z.string().min(1).optional(),
  NHSA_FIXMEDINS_NAME: z.string().min(1).max(100).optional(),
  NHSA_MDTRTAREA_ADMVS: z
    .string()
    .regex(/^\d{6}$/, { message: 'must be a 6-digit area code' })
    .optional(),
  RECONCILIATION_URL: z
    .string()
    .url({ message: 'must be a URL such as http://reconciliation:8787' })
    .refine((url) => /^https?:$/.test(new URL(url).protocol), { message: 'must be an http or https URL' })
    .refine((url) => /^\/?$/.test(new URL(url).pathname + new URL(url).search), {
      message: 'must be the service origin only (no path or query), such as http://reconciliation:8787',
    })
    .optional(),
  DASHBOARD_CATALOGUE_URL: z.string().url().optional(),
  DLQ_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case PostgreSQL identifier' })
    .optional(),
});

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;

/**
 * Reads and validates the dashboard's variables; throws ServiceConfigError naming the variable.
 *
 *   DASHBOARD_SESSION_TTL       session lifetime: seconds, or 90s / 30m / 8h (default 8h)
 *   DASHBOARD_BOOTSTRAP_USERS   user:password:role[,…] created at start when missing (a secret: environment only)
 *   DASHBOARD_WEB_DIR           the built page (default dist/apps/billing-dashboard/web under the working directory)
 *   DASHBOARD_SECURE_COOKIE     Secure cookies and HSTS (default true, false when HTTP_HOST is loopback)
 *   DASHBOARD_TRUSTED_PROXIES   proxies whose X-Forwarded-For gives the client's address (loopback, 10.0.0.0/8, …)
 *   DASHBOARD_ALLOWED_ORIGINS   origins that may change state besides the request's own (a reverse proxy's)
 *   DASHBOARD_AUDIT_RETENTION_DAYS  sign-in audit kept (default 180, the least 网络安全法 asks)
 *   DASHBOARD_OIDC_ISSUER, DASHBOARD_OIDC_CLIENT_ID, DASHBOARD_OIDC_CLIENT_SECRET(_FILE), DASHBOARD_OIDC_REDIRECT_URI
 *                               sign-in through the hospital's identity provider (all four, or none)
 *   DASHBOARD_OIDC_USERNAME_CLAIM, DASHBOARD_OIDC_ROLE_CLAIM  claims (default preferred_username, roles)
 *   DASHBOARD_OIDC_ROLES        JSON {"<claim value>":"viewer|operator|admin",…}
 *   DASHBOARD_SLIP_FONT         the settlement slip PDF's CJK font (default Debian's fonts-wqy-microhei TTC)
 *   NHSA_FIXMEDINS_NAME, NHSA_MDTRTAREA_ADMVS  the hospital's name and area, as the services call the platform
 *                               (the slip's title; a patient insured elsewhere is marked 异地就医)
 *   DLQ_SCHEMA                  the schema of the dead-letter replay books, as for `npm run dlq` (default dlq)
 *   RECONCILIATION_URL          apps/reconciliation's origin, for applying for and withdrawing clearing (default
 *                               http://127.0.0.1:8787, its port in `npm start`: unreachable answers 503, as the
 *                               catalogue's URL below)
 *   DASHBOARD_CATALOGUE_URL     the catalogue service, for the mapping screen's suggestions and 目录查询 (default
 *                               http://127.0.0.1:8789, its port in `npm start`)
 */
export function dashboardConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DashboardConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ServiceConfigError(String(issue.path[0]), issue.message);
  }
  const vars = parsed.data;
  const loopbackOnly = LOOPBACK.test(vars.HTTP_HOST ?? '');
  return {
    sessionTtlSeconds: vars.DASHBOARD_SESSION_TTL ?? 8 * 3600,
    bootstrapUsers: vars.DASHBOARD_BOOTSTRAP_USERS ?? [],
    webDir: path.resolve(vars.DASHBOARD_WEB_DIR ?? 'dist/apps/billing-dashboard/web'),
    secureCookie: vars.DASHBOARD_SECURE_COOKIE ? vars.DASHBOARD_SECURE_COOKIE === 'true' : !loopbackOnly,
    trustedProxies: vars.DASHBOARD_TRUSTED_PROXIES?.trim() || false,
    allowedOrigins: vars.DASHBOARD_ALLOWED_ORIGINS ?? [],
    auditRetentionDays: vars.DASHBOARD_AUDIT_RETENTION_DAYS ?? 180,
    oidc: oidcConfig(vars, oidcClientSecret(env)),
    slip: {
      fontPath: vars.DASHBOARD_SLIP_FONT ?? DEFAULT_SLIP_FONT,
      hospitalName: vars.NHSA_FIXMEDINS_NAME ?? '',
      hospitalArea: vars.NHSA_MDTRTAREA_ADMVS ?? null,
    },
    deadLetterSchema: vars.DLQ_SCHEMA ?? 'dlq',
    reconciliationUrl: new URL(vars.RECONCILIATION_URL ?? 'http://127.0.0.1:8787').origin,
    catalogueUrl: (vars.DASHBOARD_CATALOGUE_URL ?? 'http://127.0.0.1:8789').replace(/\/+$/, ''),
  };
}

/** WenQuanYi Micro Hei from Debian's fonts-wqy-microhei (tools/stack/ensure-chromium.sh installs it). */
export const DEFAULT_SLIP_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

function oidcClientSecret(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return secretFromEnv(env, 'DASHBOARD_OIDC_CLIENT_SECRET');
  } catch (err) {
    if (err instanceof ConfigError) throw new ServiceConfigError(err.field, err.detail);
    throw err;
  }
}

function oidcConfig(vars: z.output<typeof environmentSchema>, clientSecret: string | undefined) {
  const required = {
    DASHBOARD_OIDC_ISSUER: vars.DASHBOARD_OIDC_ISSUER,
    DASHBOARD_OIDC_CLIENT_ID: vars.DASHBOARD_OIDC_CLIENT_ID,
    DASHBOARD_OIDC_CLIENT_SECRET: clientSecret,
    DASHBOARD_OIDC_REDIRECT_URI: vars.DASHBOARD_OIDC_REDIRECT_URI,
    DASHBOARD_OIDC_ROLES: vars.DASHBOARD_OIDC_ROLES,
  };
  const missing = Object.entries(required).filter(([, value]) => value === undefined);
  if (missing.length === Object.keys(required).length) return null;
  if (missing.length > 0) {
    throw new ServiceConfigError(
      missing[0]![0],
      'is required when sign-in through OpenID Connect is configured',
    );
  }
  return {
    issuer: required.DASHBOARD_OIDC_ISSUER!,
    clientId: required.DASHBOARD_OIDC_CLIENT_ID!,
    clientSecret: required.DASHBOARD_OIDC_CLIENT_SECRET!,
    redirectUri: required.DASHBOARD_OIDC_REDIRECT_URI!,
    usernameClaim: vars.DASHBOARD_OIDC_USERNAME_CLAIM ?? 'preferred_username',
    roleClaim: vars.DASHBOARD_OIDC_ROLE_CLAIM ?? 'roles',
    roles: required.DASHBOARD_OIDC_ROLES!,
    allowInsecureIssuer: vars.DASHBOARD_OIDC_ALLOW_HTTP === 'true',
  };
}
