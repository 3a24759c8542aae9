import { z } from 'zod';

/** fee-detail's own settings (the shared ones — Kafka, database, platform client — are service-runtime's). */
export interface FeeDetailConfig {
  /** Lines per 2301 call. */
  readonly batchSize: number;
}

const schema = z.object({
  FEE_DETAIL_BATCH_SIZE: z.coerce
    .number({ invalid_type_error: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(500, { message: 'must be at most 500 (the platform limits a 2301 to 40000 characters)' })
    .default(50),
});

/**
 *   FEE_DETAIL_BATCH_SIZE            lines per 2301 call (default 50)
 * The insured area of each call is the visit's own (AdmissionRegistered, or the HIS's admission): there is no
 * configured default area. Throws naming the variable.
 */
export function feeDetailConfigFromEnv(env: NodeJS.ProcessEnv = process.env): FeeDetailConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`fee-detail configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  return { batchSize: parsed.data.FEE_DETAIL_BATCH_SIZE };
}
