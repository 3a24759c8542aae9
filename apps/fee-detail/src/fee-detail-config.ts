import { z } from 'zod';

/** fee-detail's own settings (the shared ones — Kafka, database, platform client — are service-runtime's). */
export interface FeeDetailConfig {
  /** Lines per 2301 call. */
  readonly batchSize: number;
  /** Visits whose ledgers stay in memory, and the most events those ledgers may hold together. */
  readonly ledgerCache: { readonly visits: number; readonly events: number };
  /** Visits uploaded at the same time (each borrows a connection per statement, none while the platform answers). */
  readonly uploadConcurrency: number;
  /** How long a visit's lines wait for more of its lines before a 2301 of less than a batch goes. */
  readonly coalesceMs: number;
}

const wholeNumber = (min: number) =>
  z.coerce
    .number({ invalid_type_error: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` });

const schema = z.object({
  FEE_DETAIL_BATCH_SIZE: z.coerce
    .number({ invalid_type_error: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(500, { message: 'must be at most 500 (the platform limits a 2301 to 40000 characters)' })
    .default(50),
  FEE_DETAIL_LEDGER_CACHE_VISITS: wholeNumber(0).default(5_000),
  // A ledger holds about 2.2 KB per event (30-day stays measured: 2 MiB for 3,000 lines, 902 events).
  FEE_DETAIL_LEDGER_CACHE_EVENTS: wholeNumber(0).default(20_000),
  // Not tied to DATABASE_POOL_SIZE: a visit being uploaded borrows a connection per statement, never while the
  // platform answers (with 100 ms a call, 6 visits capped 2301 at ≈ 60 calls/s).
  FEE_DETAIL_UPLOAD_CONCURRENCY: wholeNumber(1).max(200, { message: 'must be at most 200' }).default(32),
  FEE_DETAIL_COALESCE_MS: wholeNumber(0).max(5_000, { message: 'must be at most 5000' }).default(50),
});

/**
 *   FEE_DETAIL_BATCH_SIZE            lines per 2301 call (default 50)
 *   FEE_DETAIL_LEDGER_CACHE_VISITS   visits' ledgers kept in memory (default 5,000; 0: none)
 *   FEE_DETAIL_LEDGER_CACHE_EVENTS   the most events the kept ledgers hold together (default 20,000: about
 *                                    45 MiB; a longer ledger is read whole per message)
 *   FEE_DETAIL_UPLOAD_CONCURRENCY    visits uploaded at the same time (default 32, at most 200; not tied to
 *                                    DATABASE_POOL_SIZE: no connection is held while the platform answers)
 *   FEE_DETAIL_COALESCE_MS           how long lines wait for more of their visit's before a 2301 of less
 *                                    than a batch goes, while the uploader is busy (default 50; an idle
 *                                    uploader sends at once)
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
  return {
    batchSize: parsed.data.FEE_DETAIL_BATCH_SIZE,
    ledgerCache: {
      visits: parsed.data.FEE_DETAIL_LEDGER_CACHE_VISITS,
      events: parsed.data.FEE_DETAIL_LEDGER_CACHE_EVENTS,
    },
    uploadConcurrency: parsed.data.FEE_DETAIL_UPLOAD_CONCURRENCY,
    coalesceMs: parsed.data.FEE_DETAIL_COALESCE_MS,
  };
}
