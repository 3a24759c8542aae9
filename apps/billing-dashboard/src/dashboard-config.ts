import path from 'node:path';
import { z } from 'zod';
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
  /** Sets the cookie's Secure flag (behind HTTPS). */
  readonly secureCookie: boolean;
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
});

/**
 * Reads and validates the dashboard's variables; throws ServiceConfigError naming the variable.
 *
 *   DASHBOARD_SESSION_TTL       session lifetime: seconds, or 90s / 30m / 8h (default 8h)
 *   DASHBOARD_BOOTSTRAP_USERS   user:password:role[,…] created at start when missing (a secret: environment only)
 *   DASHBOARD_WEB_DIR           the built page (default dist/apps/billing-dashboard/web under the working directory)
 *   DASHBOARD_SECURE_COOKIE     true behind HTTPS (default false)
 */
export function dashboardConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DashboardConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ServiceConfigError(String(issue.path[0]), issue.message);
  }
  const vars = parsed.data;
  return {
    sessionTtlSeconds: vars.DASHBOARD_SESSION_TTL ?? 8 * 3600,
    bootstrapUsers: vars.DASHBOARD_BOOTSTRAP_USERS ?? [],
    webDir: path.resolve(vars.DASHBOARD_WEB_DIR ?? 'dist/apps/billing-dashboard/web'),
    secureCookie: vars.DASHBOARD_SECURE_COOKIE === 'true',
  };
}
