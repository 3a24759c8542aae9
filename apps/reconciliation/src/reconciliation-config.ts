import { isTimeZone, parsesAsCron } from '@yb/service-runtime';
import { z } from 'zod';
import { type PeriodInfno } from './reconciliation-day/reconciliation-day.events';

/** reconciliation's own settings (Kafka, database and the platform client are service-runtime's). */
export interface ReconciliationConfig {
  /** When closed days are reconciled (cron, 5 or 6 fields), in `timeZone`; null: only on demand. */
  readonly cron: string | null;
  readonly timeZone: string;
  /** How many closed days back the schedule looks for one never reconciled (a service that was down). */
  readonly catchUpDays: number;
  /** Days reconciled with the platform at the same time. */
  readonly concurrency: number;
  /** Hubei's period checks the schedule's run asks after 3201 (none by default: on demand only). */
  readonly periodChecks: readonly PeriodInfno[];
}

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ invalid_type_error: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });

const schema = z.object({
  RECONCILIATION_CRON: z
    .string()
    .default('30 1 * * *')
    .refine((cron) => cron === 'off' || parsesAsCron(cron), {
      message: 'must be a cron expression (e.g. "30 1 * * *") or off',
    }),
  RECONCILIATION_TZ: z
    .string()
    .default('Asia/Shanghai')
    .refine(isTimeZone, { message: 'must be an IANA time zone (e.g. Asia/Shanghai)' }),
  RECONCILIATION_CATCH_UP_DAYS: wholeNumber(1, 31).default(3),
  RECONCILIATION_CONCURRENCY: wholeNumber(1, 8).default(2),
  RECONCILIATION_PERIOD_CHECKS: z
    .string()
    .default('off')
    .transform((value) => (value === 'off' ? [] : value.split(',').map((part) => part.trim())))
    .refine(
      (checks): checks is PeriodInfno[] =>
        checks.every((check) => check === '5262' || check === '5267') &&
        new Set(checks).size === checks.length,
      { message: 'must be off, or 5262 and/or 5267 separated by a comma' },
    ),
});

/**
 *   RECONCILIATION_CRON            when closed days are reconciled, in RECONCILIATION_TZ (default "30 1 * * *":
 *                                  01:30, after the day closed); "off": only on demand (ReconcileDay)
 *   RECONCILIATION_TZ              the schedule's and the settlement day's time zone (default Asia/Shanghai)
 *   RECONCILIATION_CATCH_UP_DAYS   closed days looked back at for one never reconciled (default 3)
 *   RECONCILIATION_CONCURRENCY     days reconciled at the same time (default 2, at most DATABASE_POOL_SIZE − 3)
 *   RECONCILIATION_PERIOD_CHECKS   Hubei's period checks the schedule's run asks after 3201: "5262", "5267",
 *                                  "5262,5267" or "off" (default: only on demand, from the dashboard)
 * Throws naming the variable.
 */
export function reconciliationConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ReconciliationConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`reconciliation configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const data = parsed.data;
  return {
    cron: data.RECONCILIATION_CRON === 'off' ? null : data.RECONCILIATION_CRON,
    timeZone: data.RECONCILIATION_TZ,
    catchUpDays: data.RECONCILIATION_CATCH_UP_DAYS,
    concurrency: data.RECONCILIATION_CONCURRENCY,
    periodChecks: data.RECONCILIATION_PERIOD_CHECKS,
  };
}
