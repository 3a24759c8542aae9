import { z } from 'zod';

/** fee-detail's own settings (the shared ones — Kafka, database, platform client — are service-runtime's). */
export interface FeeDetailConfig {
  /** Lines per 2301 call. */
  readonly batchSize: number;
  /** 参保地医保区划 of a visit whose admission named none (a local patient). */
  readonly localInsuplcAdmdvs: string;
}

const schema = z.object({
  FEE_DETAIL_BATCH_SIZE: z.coerce
    .number({ invalid_type_error: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(500, { message: 'must be at most 500 (the platform limits a 2301 to 40000 characters)' })
    .default(50),
  NHSA_MDTRTAREA_ADMVS: z
    .string({ required_error: 'is required' })
    .regex(/^\d{6}$/, 'must be a six-digit admin-division code'),
  FEE_DETAIL_LOCAL_INSUPLC_ADMDVS: z
    .string()
    .regex(/^\d{6}$/, 'must be a six-digit admin-division code')
    .optional(),
});

/**
 *   FEE_DETAIL_BATCH_SIZE            lines per 2301 call (default 50)
 *   FEE_DETAIL_LOCAL_INSUPLC_ADMDVS  参保地 for admissions that name none (default NHSA_MDTRTAREA_ADMVS)
 * Throws naming the variable.
 */
export function feeDetailConfigFromEnv(env: NodeJS.ProcessEnv = process.env): FeeDetailConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`fee-detail configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const { FEE_DETAIL_BATCH_SIZE, FEE_DETAIL_LOCAL_INSUPLC_ADMDVS, NHSA_MDTRTAREA_ADMVS } = parsed.data;
  return {
    batchSize: FEE_DETAIL_BATCH_SIZE,
    localInsuplcAdmdvs: FEE_DETAIL_LOCAL_INSUPLC_ADMDVS ?? NHSA_MDTRTAREA_ADMVS,
  };
}
