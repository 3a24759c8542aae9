import { isTimeZone, parsesAsCron } from '@yb/service-runtime';
import { DOWNLOADABLE_CATALOGUES } from '@yb/contracts';
import { z } from 'zod';
import { type CatalogueInfno } from './lookup/catalogue-kinds';

/** catalogue's own settings (Kafka, database and the platform client are service-runtime's). */
export interface CatalogueConfig {
  /** When the scheduled downloads run (cron, 5 or 6 fields), in `timeZone`. */
  readonly cron: string;
  readonly timeZone: string;
  /** The downloads the schedule runs (and those run at start while nothing is held yet). */
  readonly downloads: readonly CatalogueInfno[];
  /** Rows asked per page of 1312/1312A/1318/1319. */
  readonly pageSize: number;
  /** The cursor of a first download (updt_time is required: "everything since"). */
  readonly firstUpdtTime: string;
  /** The 1901 dictionary types downloaded (one call each). */
  readonly dictionaryTypes: readonly string[];
  /** How often the scheduler looks whether a run is due. */
  readonly scheduleCheckMs: number;
  /** Catalogues downloaded at the same time (each holds a database connection for its lock). */
  readonly concurrentDownloads: number;
}

const downloads = z
  .string()
  .transform((text) => text.split(',').map((s) => s.trim()))
  .refine((list) => list.every((infno) => (DOWNLOADABLE_CATALOGUES as readonly string[]).includes(infno)), {
    message: `must be a comma-separated list of ${DOWNLOADABLE_CATALOGUES.join(', ')}`,
  })
  .transform((list) => list as CatalogueInfno[]);

const whole = (min: number, max: number) =>
  z.coerce
    .number({ invalid_type_error: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });

const schema = z.object({
  CATALOGUE_CRON: z
    .string()
    .refine(parsesAsCron, { message: 'must be a cron expression (e.g. "0 3 * * *")' })
    .default('0 3 * * *'),
  CATALOGUE_TZ: z
    .string()
    .refine(isTimeZone, { message: 'must be an IANA time zone (e.g. Asia/Shanghai)' })
    .default('Asia/Shanghai'),
  // Hubei closes 1301–1306 and serves the item masters through 1312A (seed 002).
  CATALOGUE_DOWNLOADS: downloads.default('1312A,1318,1319,1901'),
  // page_size is num 4 in the spec: at most 9999.
  CATALOGUE_PAGE_SIZE: whole(1, 9999).default(1000),
  CATALOGUE_FIRST_UPDT_TIME: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, { message: 'must be yyyy-MM-dd HH:mm:ss' })
    .default('2000-01-01 00:00:00'),
  CATALOGUE_DICTIONARY_TYPES: z
    .string()
    .regex(/^[A-Za-z0-9_]+(,[A-Za-z0-9_]+)*$/, {
      message: 'must be a comma-separated list of dictionary types',
    })
    .transform((text) => text.split(','))
    .default('list_type,chrgitm_lv,med_chrgitm_type,med_type'),
  CATALOGUE_SCHEDULE_CHECK_MS: whole(100, 3_600_000).default(60_000),
  CATALOGUE_CONCURRENT_DOWNLOADS: whole(1, 8).default(2),
});

/**
 *   CATALOGUE_CRON                  when the scheduled downloads run (default 0 3 * * *)
 *   CATALOGUE_TZ                    the cron's time zone (default Asia/Shanghai)
 *   CATALOGUE_DOWNLOADS             which (default 1312A,1318,1319,1901; 1312 where a region serves it)
 *   CATALOGUE_PAGE_SIZE             rows per page (default 1000, at most 9999)
 *   CATALOGUE_FIRST_UPDT_TIME       the cursor of a first download (default 2000-01-01 00:00:00)
 *   CATALOGUE_DICTIONARY_TYPES      1901 types (default list_type,chrgitm_lv,med_chrgitm_type,med_type)
 *   CATALOGUE_SCHEDULE_CHECK_MS     how often a due run is looked for (default 60000)
 *   CATALOGUE_CONCURRENT_DOWNLOADS  catalogues downloaded at once (default 2)
 * Throws naming the variable.
 */
export function catalogueConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CatalogueConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`catalogue configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const c = parsed.data;
  return {
    cron: c.CATALOGUE_CRON,
    timeZone: c.CATALOGUE_TZ,
    downloads: c.CATALOGUE_DOWNLOADS,
    pageSize: c.CATALOGUE_PAGE_SIZE,
    firstUpdtTime: c.CATALOGUE_FIRST_UPDT_TIME,
    dictionaryTypes: c.CATALOGUE_DICTIONARY_TYPES,
    scheduleCheckMs: c.CATALOGUE_SCHEDULE_CHECK_MS,
    concurrentDownloads: c.CATALOGUE_CONCURRENT_DOWNLOADS,
  };
}
