import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

/** reporting's own settings (Kafka, database and the platform client are service-runtime's). */
export interface ReportingConfig {
  /** When the daily upload runs (cron, 5 or 6 fields), in `timeZone`. */
  readonly cron: string;
  readonly timeZone: string;
  /** Days after the settlement date by which a report is owed (its due_date). */
  readonly dueDays: number;
  /** How often the scheduler looks whether a run is due. */
  readonly scheduleCheckMs: number;
  /** First wait before a transport failure is tried again; doubled per attempt, at most a day. */
  readonly retryBackoffMs: number;
  /** The hospital's settlement-list filling details (4101A setlinfo); a list waits while one is missing. */
  readonly settlementList: {
    readonly bill_code?: string;
    readonly hsorg?: string;
    readonly hsorg_opter?: string;
    readonly medins_fill_dept?: string;
    readonly medins_fill_psn?: string;
  };
}

const positiveInt = (fallback: number) =>
  z.coerce
    .number({ invalid_type_error: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .default(fallback);
const optionalText = z.string().max(100).optional();

const schema = z.object({
  REPORTING_CRON: z
    .string()
    .default('0 2 * * *')
    .refine((cron) => parsesAsCron(cron), { message: 'must be a cron expression (e.g. "0 2 * * *")' }),
  REPORTING_TZ: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => isTimeZone(tz), { message: 'must be an IANA time zone (e.g. Asia/Shanghai)' }),
  REPORTING_DUE_DAYS: positiveInt(7),
  REPORTING_SCHEDULE_CHECK_MS: positiveInt(30_000),
  REPORTING_RETRY_BACKOFF_MS: positiveInt(60_000),
  REPORTING_BILL_CODE: optionalText,
  REPORTING_HSORG: optionalText,
  REPORTING_HSORG_OPTER: optionalText,
  REPORTING_FILL_DEPT: optionalText,
  REPORTING_FILL_PSN: optionalText,
});

function parsesAsCron(cron: string): boolean {
  try {
    CronExpressionParser.parse(cron);
    return true;
  } catch {
    return false;
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 *   REPORTING_CRON                  when the daily run starts (default "0 2 * * *"; 6 fields allow seconds)
 *   REPORTING_TZ                    the cron's time zone (default Asia/Shanghai)
 *   REPORTING_DUE_DAYS              days after settlement a report is due (default 7)
 *   REPORTING_SCHEDULE_CHECK_MS     how often a due run is looked for (default 30000)
 *   REPORTING_RETRY_BACKOFF_MS      first wait after a transport failure (default 60000, doubled per attempt)
 *   REPORTING_BILL_CODE, REPORTING_HSORG, REPORTING_HSORG_OPTER, REPORTING_FILL_DEPT, REPORTING_FILL_PSN
 *                                   4101A bill_code, hsorg, hsorg_opter, medins_fill_dept, medins_fill_psn
 * Throws naming the variable.
 */
export function reportingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ReportingConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`reporting configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const v = parsed.data;
  return {
    cron: v.REPORTING_CRON,
    timeZone: v.REPORTING_TZ,
    dueDays: v.REPORTING_DUE_DAYS,
    scheduleCheckMs: v.REPORTING_SCHEDULE_CHECK_MS,
    retryBackoffMs: v.REPORTING_RETRY_BACKOFF_MS,
    settlementList: {
      ...(v.REPORTING_BILL_CODE && { bill_code: v.REPORTING_BILL_CODE }),
      ...(v.REPORTING_HSORG && { hsorg: v.REPORTING_HSORG }),
      ...(v.REPORTING_HSORG_OPTER && { hsorg_opter: v.REPORTING_HSORG_OPTER }),
      ...(v.REPORTING_FILL_DEPT && { medins_fill_dept: v.REPORTING_FILL_DEPT }),
      ...(v.REPORTING_FILL_PSN && { medins_fill_psn: v.REPORTING_FILL_PSN }),
    },
  };
}
