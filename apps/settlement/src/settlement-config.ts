import { z } from 'zod';
import { ServiceConfigError } from '@yb/service-runtime';

/** The saga's own settings, beyond the runtime's (serviceConfigFromEnv). */
export interface SettlementConfig {
  /** SETTLEMENT_AUDIT_ENABLED (default true): false in regions without 事中 audit (no 3102 steps). */
  readonly auditEnabled: boolean;
  /** SETTLEMENT_STEP_TIMEOUT_MS (default 120000): how long fee-detail, quality or admission may take to answer. */
  readonly stepTimeoutMs: number;
  /** SETTLEMENT_SWEEP_INTERVAL_MS (default 1000): how often due step deadlines are looked for. */
  readonly sweepIntervalMs: number;
  /**
   * SETTLEMENT_CONFIRMATION (default true): the hospital's cashier confirms 2303's split (dashboard or HIS)
   * before 2402/2304; false for a hospital that settles on the HIS's request alone.
   */
  readonly confirmationRequired: boolean;
  /** SETTLEMENT_CONFIRMATION_TIMEOUT_MS (default 1800000, 30 min): then the saga stops for a person. */
  readonly confirmationTimeoutMs: number;
  /**
   * SETTLEMENT_PLATFORM_SLIP: fetch the platform's own slip (YH03 结算单据打印) after each settlement. Default: on
   * where the hospital is in Hubei (NHSA_MDTRTAREA_ADMVS 42xxxx: Hubei's list offers YH03), off elsewhere.
   */
  readonly platformSlip: boolean;
  /** SETTLEMENT_SLIP_RETRY_MS (default 60000): a failed slip is asked again after this, doubling. */
  readonly slipRetryMs: number;
}

export const SETTLEMENT_CONFIG = Symbol('SETTLEMENT_CONFIG');

const positiveInt = z
  .string()
  .regex(/^\d+$/, { message: 'must be a whole number of milliseconds' })
  .transform(Number)
  .refine((n) => n > 0, { message: 'must be positive' });

const schema = z.object({
  SETTLEMENT_AUDIT_ENABLED: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  SETTLEMENT_STEP_TIMEOUT_MS: positiveInt.optional(),
  SETTLEMENT_SWEEP_INTERVAL_MS: positiveInt.optional(),
  SETTLEMENT_CONFIRMATION: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  SETTLEMENT_CONFIRMATION_TIMEOUT_MS: positiveInt.optional(),
  SETTLEMENT_PLATFORM_SLIP: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  SETTLEMENT_SLIP_RETRY_MS: positiveInt.optional(),
});

/** Hubei's 医保区划 begin with 42. */
const HUBEI_AREA = /^42\d{4}$/;

export function settlementConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SettlementConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ServiceConfigError(String(issue.path[0]), issue.message);
  }
  const vars = parsed.data;
  return {
    auditEnabled: vars.SETTLEMENT_AUDIT_ENABLED !== 'false',
    stepTimeoutMs: vars.SETTLEMENT_STEP_TIMEOUT_MS ?? 120_000,
    sweepIntervalMs: vars.SETTLEMENT_SWEEP_INTERVAL_MS ?? 1_000,
    confirmationRequired: vars.SETTLEMENT_CONFIRMATION !== 'false',
    confirmationTimeoutMs: vars.SETTLEMENT_CONFIRMATION_TIMEOUT_MS ?? 1_800_000,
    platformSlip: vars.SETTLEMENT_PLATFORM_SLIP
      ? vars.SETTLEMENT_PLATFORM_SLIP === 'true'
      : HUBEI_AREA.test(env['NHSA_MDTRTAREA_ADMVS'] ?? ''),
    slipRetryMs: vars.SETTLEMENT_SLIP_RETRY_MS ?? 60_000,
  };
}
