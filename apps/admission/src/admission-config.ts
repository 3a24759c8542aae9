import { ServiceConfigError } from '@yb/service-runtime';

/** Admission's own settings, beyond the runtime's (serviceConfigFromEnv). */
export interface AdmissionConfig {
  /**
   * ADMISSION_ELIGIBILITY_CHECK (default true): 2001 人员待遇享受检查 before each 2401, so a person without
   * entitlement to the basic fund is stopped before registration. Hubei opens 2001 to every institution; a
   * region that does not offers it sets false.
   */
  readonly entitlementCheck: boolean;
  /**
   * ADMISSION_PLATFORM_CONCURRENCY (default 32, at most 200): visits whose requests are sent at the same time,
   * off the consumer path. A visit borrows a connection per statement, never while the platform answers, so
   * this is not tied to DATABASE_POOL_SIZE: with 100 ms a call and three calls an admission, 6 visits capped
   * admissions at ≈ 20/s.
   */
  readonly platformConcurrency: number;
}

export const ADMISSION_CONFIG = Symbol('ADMISSION_CONFIG');

const DEFAULT_PLATFORM_CONCURRENCY = 32;

export function admissionConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AdmissionConfig {
  const check = env.ADMISSION_ELIGIBILITY_CHECK ?? '';
  if (!['', 'true', 'false'].includes(check)) {
    throw new ServiceConfigError('ADMISSION_ELIGIBILITY_CHECK', 'must be true or false');
  }
  const concurrency = env.ADMISSION_PLATFORM_CONCURRENCY || String(DEFAULT_PLATFORM_CONCURRENCY);
  if (!/^\d{1,3}$/.test(concurrency) || Number(concurrency) < 1 || Number(concurrency) > 200) {
    throw new ServiceConfigError('ADMISSION_PLATFORM_CONCURRENCY', 'must be a whole number from 1 to 200');
  }
  return { entitlementCheck: check !== 'false', platformConcurrency: Number(concurrency) };
}
