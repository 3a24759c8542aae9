import Decimal from 'decimal.js';
import { z } from 'zod';
import { withLeafReader } from '@yb/contracts';
import { readAnswerString, readCanonicalDecimal } from './answer-reader';
import { dictionaryAccepts, dictionaryLabel, type DictionaryName } from './dictionaries';

// Field helpers shared by every interface schema. Inputs are checked exactly as they go on the wire
// (lengths, dictionaries, decimal precision) after a caller's form is normalised to the platform's
// (numbers given as strings, `""` for not given: see validateInput); outputs are read leniently but
// never into floats.

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

/**
 * A value the platform types as a number, given as a JSON number or a string. A missing one reads "is
 * required" (empty fields were removed before: `""` means not given), anything else `message`.
 */
function numberOrString(message: string) {
  // One typeof check rather than z.union([z.number(), z.string()]): the union tries z.number() first and
  // builds a zod issue for every field given as a string, which is how most numbers come and go.
  return z.custom<number | string>(
    (value) => (typeof value === 'number' && !Number.isNaN(value)) || typeof value === 'string',
    (value: unknown) => ({ message: value === undefined ? 'is required' : message }),
  );
}

const WHOLE_NUMBER = /^\d+$/;

/**
 * A whole number of at most `digits` digits (the spec's `num 2`, `num 3`…), given as a JSON number or a
 * numeric string ("3"), always sent as a JSON number.
 */
export function int(digits: number) {
  const message = 'must be a whole number';
  return numberOrString(message).transform((value, ctx) => {
    const whole =
      typeof value === 'number' ? value : WHOLE_NUMBER.test(value.trim()) ? Number(value.trim()) : NaN;
    const problem = !Number.isInteger(whole)
      ? message
      : whole < 0
        ? 'must not be negative'
        : whole > 10 ** digits - 1
          ? `must have at most ${digits} digits`
          : null;
    if (problem === null) return whole;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    return z.NEVER;
  });
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A decimal of the platform's `precision,scale`, given as a JSON number or a decimal string, never
 * computed as a float. The value must fit (at most precision − scale integer digits, at most `scale`
 * decimals that are not zero): "12.345" as money is refused, never rounded; "12.340" is 12.34. It is sent
 * as a string in one form per kind: money with exactly its 2 decimals ("86.40"), every other decimal in
 * its shortest plain form ("2", "43.2"). Negative values where the platform uses them (refund lines,
 * reversals).
 */
function decimalString(precision: number, scale: number, what: string, signed: boolean, fixed: boolean) {
  const integerDigits = precision - scale;
  const message = `is not a ${precision},${scale} ${what} (a decimal with at most ${integerDigits} integer digits and ${scale} decimals${signed ? '' : ', not negative'})`;
  return numberOrString(message).transform((value, ctx) => {
    const parsed = readDecimal(value);
    if (
      parsed === null ||
      (!signed && parsed.isNegative() && !parsed.isZero()) ||
      parsed.decimalPlaces() > scale ||
      parsed.abs().trunc().toFixed().replace(/^0$/, '').length > integerDigits
    ) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      return z.NEVER;
    }
    // -0 is 0 on the wire.
    const canonical = parsed.isZero() ? new Decimal(0) : parsed;
    return fixed ? canonical.toFixed(scale) : canonical.toFixed();
  });
}

/** A JSON number or a plain decimal string ("86.4", "-1", not "1e3") as a decimal; null when it is neither. */
function readDecimal(value: number | string): Decimal | null {
  if (typeof value === 'number') return Number.isFinite(value) ? new Decimal(value) : null;
  const text = value.trim();
  return DECIMAL.test(text) ? new Decimal(text) : null;
}

/** Money, 16,2: at most 14 integer digits and 2 decimals; may be negative (refunds). Sent as "86.40". */
export const amount = () => decimalString(16, 2, 'amount', true, true);
/** Quantity, 16,4; negative on refund lines. */
export const quantity = () => decimalString(16, 4, 'quantity', true, false);
/** Unit price, 16,6. */
export const price = () => decimalString(16, 6, 'price', false, false);
/** Ratio, 5,4 (e.g. 自付比例 0.1). */
export const ratio = () => decimalString(5, 4, 'ratio', false, false);
/** Any other `precision,scale` the spec names (e.g. 3101's cnt 6,2). */
export const decimal = (precision: number, scale: number) =>
  decimalString(precision, scale, 'decimal', true, false);

// Answers are read with their `""`, blank and null fields removed (readOutput): an optional answer field is
// `.optional()`, and a required one given empty reads as missing.

/**
 * A numeric field of a platform answer: the platform sends numbers or strings; we keep a canonical
 * decimal string. Precision is not enforced on answers: the platform is the authority on them. `""` is
 * "not given": the answer's empty fields are removed before it is read (see readOutput), so an optional
 * one reads as absent and a required one as missing, never as "not a decimal".
 */
export function outDecimal() {
  const schema = numberOrString('must be a number or a decimal string').transform((value, ctx) => {
    if (typeof value === 'string' && value.trim() === '') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'is required (empty)' });
      return z.NEVER;
    }
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
  return withLeafReader(schema, readCanonicalDecimal);
}

/**
 * A string field of a platform answer, given as a string or a number. Lengths and dictionaries are not
 * enforced on answers. `""` is "not given" (see outDecimal): a required one is missing.
 */
export function outStr() {
  const schema = numberOrString('must be a string or a number').transform((value, ctx) => {
    if (value === '') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'is required (empty)' });
      return z.NEVER;
    }
    return String(value);
  });
  return withLeafReader(schema, readAnswerString);
}

/** `exp_content`: str 4000 in the spec, an object in practice (`{"local_dise":""}`): both accepted. */
export function expContent() {
  return z.union([
    z.string().max(4000, { message: 'is too long (max 4000 characters)' }),
    z.record(z.unknown()),
  ]);
}

/**
 * The answer of an interface whose output the spec documents no body for: whatever comes (null, {}, a node
 * with fields) is kept and nothing is read from it, so nothing in it can make the answer unreadable.
 */
export function noBody() {
  return z.unknown();
}

/** A moment the spec gives no format for: `yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss` accepted. */
export function dateOrDatetime() {
  return z.union([datetime(), date()], {
    errorMap: () => ({ message: 'is not a date (yyyy-MM-dd) or datetime (yyyy-MM-dd HH:mm:ss)' }),
  });
}
