import Decimal from 'decimal.js';
import { z } from 'zod';
import { dictionaryAccepts, dictionaryLabel, type DictionaryName } from './dictionaries';

// Field helpers shared by every interface schema. Inputs are checked exactly as they go on the wire
// (lengths, dictionaries, decimal precision); outputs are read leniently but never into floats.

/** A required string of at most `max` characters (the spec's `str max`). Empty counts as missing. */
export function str(max: number) {
  return z
    .string({ required_error: 'is required', invalid_type_error: 'must be a string' })
    .min(1, { message: 'is required (empty)' })
    .max(max, { message: `is too long (max ${max} characters)` });
}

/** A string whose maximum length the spec does not give. */
export function text() {
  return z.string({ required_error: 'is required', invalid_type_error: 'must be a string' }).min(1, {
    message: 'is required (empty)',
  });
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(year: number, month: number, day: number): boolean {
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** `yyyy-MM-dd HH:mm:ss`, a real calendar date and clock time. */
export function datetime() {
  return z.string({ required_error: 'is required', invalid_type_error: 'must be a string' }).refine(
    (value) => {
      const m = DATETIME.exec(value);
      if (!m) return false;
      const [, y, mo, d, h, mi, s] = m.map(Number);
      return isCalendarDate(y, mo, d) && h < 24 && mi < 60 && s < 60;
    },
    { message: 'is not a datetime in yyyy-MM-dd HH:mm:ss' },
  );
}

/** `yyyy-MM-dd`, a real calendar date. */
export function date() {
  return z.string({ required_error: 'is required', invalid_type_error: 'must be a string' }).refine(
    (value) => {
      const m = DATE.exec(value);
      return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
    },
    { message: 'is not a date in yyyy-MM-dd' },
  );
}

/**
 * A code of a platform dictionary (spec §6). The code list is read at parse time, so codes added at
 * start-up from the region's 1901 download (extendDictionary) are accepted too.
 */
export function dict(name: DictionaryName) {
  return z
    .string({ required_error: 'is required', invalid_type_error: 'must be a string' })
    .superRefine((value, ctx) => {
      if (!dictionaryAccepts(name, value)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `is not a code of dictionary ${dictionaryLabel(name)}`,
        });
      }
    });
}

/** A whole number of at most `digits` digits (the spec's `num 2`, `num 3`…). */
export function int(digits: number) {
  return z
    .number({ required_error: 'is required', invalid_type_error: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(0, { message: 'must not be negative' })
    .max(10 ** digits - 1, { message: `must have at most ${digits} digits` });
}

/**
 * A decimal of the platform's `precision,scale` carried as a STRING (never a float). Negative values
 * are allowed where the platform uses them (refund lines, settlement reversals).
 */
function decimalString(precision: number, scale: number, what: string, signed: boolean) {
  const integerDigits = precision - scale;
  const pattern = new RegExp(`^${signed ? '-?' : ''}\\d{1,${integerDigits}}(\\.\\d{1,${scale}})?$`);
  const message = `is not a ${precision},${scale} ${what} (a decimal string with at most ${integerDigits} integer digits and ${scale} decimals${signed ? '' : ', not negative'})`;
  return z.string({ required_error: 'is required', invalid_type_error: message }).regex(pattern, { message });
}

/** Money, 16,2: at most 14 integer digits and 2 decimals; may be negative (refunds). */
export const amount = () => decimalString(16, 2, 'amount', true);
/** Quantity, 16,4; negative on refund lines. */
export const quantity = () => decimalString(16, 4, 'quantity', true);
/** Unit price, 16,6. */
export const price = () => decimalString(16, 6, 'price', false);
/** Ratio, 5,4 (e.g. 自付比例 0.1000). */
export const ratio = () => decimalString(5, 4, 'ratio', false);
/** Any other `precision,scale` the spec names (e.g. 3101's cnt 6,2). */
export const decimal = (precision: number, scale: number) => decimalString(precision, scale, 'decimal', true);

/**
 * A numeric field of a platform answer: the platform sends numbers or strings; we keep a canonical
 * decimal string. Precision is not enforced on answers: the platform is the authority on them.
 */
export function outDecimal() {
  return z
    .union([z.number(), z.string()], { invalid_type_error: 'must be a number or a decimal string' })
    .transform((value, ctx) => {
      try {
        const parsed = new Decimal(typeof value === 'string' ? value.trim() : value);
        if (parsed.isFinite()) return parsed.toFixed();
      } catch {
        // fall through to the issue below
      }
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `is not a decimal number (${JSON.stringify(value)})`,
      });
      return z.NEVER;
    });
}

/** A string field of a platform answer. Lengths and dictionaries are not enforced on answers. */
export function outStr() {
  return z.union([z.string(), z.number().transform(String)]);
}

/** `exp_content`: str 4000 in the spec, an object in practice (`{"local_dise":""}`): both accepted. */
export function expContent() {
  return z.union([
    z.string().max(4000, { message: 'is too long (max 4000 characters)' }),
    z.record(z.unknown()),
  ]);
}

/** An answer node the platform may leave out, send as null, or send as an object with fields. */
export function emptyOutput() {
  return z.object({}).passthrough().nullish();
}

/** Nodes the spec shows as an array but one source sends as a single object: both accepted. */
export function oneOrMany<T extends z.ZodTypeAny>(row: T) {
  return z.union([z.array(row).min(1, { message: 'must list at least one row' }), row]);
}

/** A moment the spec gives no format for: `yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss` accepted. */
export function dateOrDatetime() {
  return z.union([datetime(), date()], {
    errorMap: () => ({ message: 'is not a date (yyyy-MM-dd) or datetime (yyyy-MM-dd HH:mm:ss)' }),
  });
}
