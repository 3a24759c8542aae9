import { z } from 'zod';

/**
 * What the quality service decides by policy (the shared settings — Kafka, database, platform client — are
 * service-runtime's). Validated at start; an error names the variable.
 */
export interface AuditPolicy {
  /** sev_deg values whose 3102 findings block settlement until a person acknowledges them. */
  readonly blockingSevDeg: readonly string[];
  /** rule_id values whose 3102 findings block settlement whatever their sev_deg. */
  readonly blockingRuleIds: readonly string[];
  /** How long an audit may keep failing (5xx, timeout, reset, malformed answer) before it is unavailable. */
  readonly deadlineMs: number;
  /** Wait before the first retry; doubled after each failure up to retryMaxMs. */
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  /** Whether settlement may go on when its 3102 audit could not be had before the deadline. */
  readonly proceedWhenUnavailable: boolean;
}

export interface QualityConfig {
  readonly policy: AuditPolicy;
  /** How often the service looks for audits left in flight (a crash, another replica's visit). */
  readonly sweepIntervalMs: number;
  /** Visits whose audits are worked on at once (each holds a database connection during its call). */
  readonly concurrentVisits: number;
}

const list = (what: string) =>
  z
    .string()
    .regex(/^(none|[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*)$/, {
      message: `must be a comma-separated list of ${what}, or "none"`,
    })
    .transform((text) => (text === 'none' ? [] : text.split(',')));

const millis = (min: number) =>
  z.coerce
    .number({ invalid_type_error: 'must be a number of milliseconds' })
    .int({ message: 'must be a whole number of milliseconds' })
    .min(min, { message: `must be at least ${min} ms` });

const schema = z.object({
  // The simulator raises sev_deg 1 (missing main diagnosis) and 2 (over the limit, double charge); the
  // platform publishes no code list, so by default every finding with a severity blocks.
  QUALITY_BLOCKING_SEV_DEG: list('sev_deg codes').default('1,2'),
  QUALITY_BLOCKING_RULE_IDS: list('rule ids').default('none'),
  QUALITY_AUDIT_DEADLINE_MS: millis(100).default(60_000),
  QUALITY_RETRY_INITIAL_MS: millis(10).default(1_000),
  QUALITY_RETRY_MAX_MS: millis(10).default(15_000),
  QUALITY_PROCEED_WHEN_UNAVAILABLE: z
    .enum(['true', 'false'], { errorMap: () => ({ message: 'must be true or false' }) })
    .default('false')
    .transform((v) => v === 'true'),
  QUALITY_SWEEP_INTERVAL_MS: millis(100).default(15_000),
  QUALITY_CONCURRENT_VISITS: z.coerce
    .number({ invalid_type_error: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(8, { message: 'must be at most 8 (the database pool has 10 connections)' })
    .default(4),
});

/**
 *   QUALITY_BLOCKING_SEV_DEG          sev_deg codes whose 3102 findings block settlement (default 1,2; none)
 *   QUALITY_BLOCKING_RULE_IDS         rule_ids that block whatever their sev_deg (default none)
 *   QUALITY_AUDIT_DEADLINE_MS         how long a failing audit is retried (default 60000)
 *   QUALITY_RETRY_INITIAL_MS / _MAX_MS  backoff between attempts (default 1000, doubling up to 15000)
 *   QUALITY_PROCEED_WHEN_UNAVAILABLE  settlement may go on without its 3102 audit (default false)
 *   QUALITY_SWEEP_INTERVAL_MS         how often audits left in flight are looked for (default 15000)
 *   QUALITY_CONCURRENT_VISITS         visits audited at once (default 4, at most 8)
 * Throws naming the variable.
 */
export function qualityConfigFromEnv(env: NodeJS.ProcessEnv = process.env): QualityConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`quality configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const c = parsed.data;
  if (c.QUALITY_RETRY_MAX_MS < c.QUALITY_RETRY_INITIAL_MS) {
    throw new Error('quality configuration: QUALITY_RETRY_MAX_MS must not be below QUALITY_RETRY_INITIAL_MS');
  }
  return {
    policy: {
      blockingSevDeg: c.QUALITY_BLOCKING_SEV_DEG,
      blockingRuleIds: c.QUALITY_BLOCKING_RULE_IDS,
      deadlineMs: c.QUALITY_AUDIT_DEADLINE_MS,
      retryInitialMs: c.QUALITY_RETRY_INITIAL_MS,
      retryMaxMs: c.QUALITY_RETRY_MAX_MS,
      proceedWhenUnavailable: c.QUALITY_PROCEED_WHEN_UNAVAILABLE,
    },
    sweepIntervalMs: c.QUALITY_SWEEP_INTERVAL_MS,
    concurrentVisits: c.QUALITY_CONCURRENT_VISITS,
  };
}
