import { z } from 'zod';

// The platform's numbers travel as decimal strings so that no amount ever passes through a float.
// Precision follows the platform's column types: money 16,2, quantity 16,4, unit price 16,6, ratio 5,4.

/**
 * How a decimal field reads a value from a HIS: its precision, and whether its canonical form keeps every
 * fraction digit (money: "36.60", as the services print and sum it) or none that are zero (quantity "2").
 */
export interface DecimalForm {
  readonly integerDigits: number;
  readonly fractionDigits: number;
  readonly fixedScale: boolean;
}

// Keyed by the field's pattern, which zod keeps through .describe() and .optional().
const decimalForms = new WeakMap<RegExp, DecimalForm>();

function decimalString(
  name: string,
  integerDigits: number,
  fractionDigits: number,
  signed: boolean,
  fixedScale = false,
) {
  const pattern = new RegExp(`^${signed ? '-?' : ''}\\d{1,${integerDigits}}(\\.\\d{1,${fractionDigits}})?$`);
  decimalForms.set(pattern, { integerDigits, fractionDigits, fixedScale });
  const shape = `${signed ? 'signed ' : ''}decimal string with at most ${integerDigits} integer and ${fractionDigits} fraction digits`;
  return z
    .string()
    .regex(pattern, { message: `must be a ${shape} (${name}), e.g. "${signed ? '-' : ''}12.5"` })
    .describe(`${name}: ${shape}`);
}

/** Money, platform type num(16,2); negative on refund lines and settlement reversals. */
export const money = () => decimalString('money 16,2', 14, 2, true, true);
/** Quantity, platform type num(16,4); negative on refund lines. */
export const quantity = () => decimalString('quantity 16,4', 12, 4, true);
/** Unit price, platform type num(16,6). */
export const unitPrice = () => decimalString('unit price 16,6', 10, 6, false);
/** A proportion such as selfpay_prop, platform type num(5,4). */
export const ratio = () => decimalString('ratio 5,4', 1, 4, false);
/** A newborn's weight in grams, platform type num(6,2) (nwb_bir_wt, nwb_adm_wt: "精确到10克"). */
export const weightGrams = () => decimalString('weight in grams 6,2', 4, 2, false);

/** The platform's datetime format `yyyy-MM-dd HH:mm:ss` (Beijing time, no zone). */
export const platformDateTime = () =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, { message: 'must be a datetime "yyyy-MM-dd HH:mm:ss"' })
    .describe('platform datetime yyyy-MM-dd HH:mm:ss (Beijing time)');

/** The platform's date format `yyyy-MM-dd`. */
export const platformDate = () =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date "yyyy-MM-dd"' })
    .describe('platform date yyyy-MM-dd');

/** A platform string field of at most `max` characters, never empty. */
export const code = (max: number) => z.string().min(1).max(max);

/** A 0/1 flag as the platform sends it. */
export const flag = () => z.enum(['0', '1']);

/** The decimal form of a field built by money(), quantity(), unitPrice() or ratio(); undefined for any other. */
export function decimalFormOf(schema: z.ZodString): DecimalForm | undefined {
  for (const check of schema._def.checks) {
    const form = check.kind === 'regex' ? decimalForms.get(check.regex) : undefined;
    if (form) return form;
  }
  return undefined;
}

/** Why a JSON number cannot stand for a decimal field, or undefined when it can. */
export function inexactNumber(value: number, form: DecimalForm): string | undefined {
  // A JSON number is a binary float: below this bound it holds every decimal of the field's scale exactly.
  if (Number.isFinite(value) && Math.abs(value) * 10 ** form.fractionDigits < 2 ** 52) return undefined;
  return `${value} cannot be read exactly as a JSON number: send it as a decimal string`;
}

/**
 * A decimal field's value as a HIS may send it (JSON number, numeric string with leading zeros or trailing
 * zeros) in the one canonical form the services compare and sum: money with exactly 2 decimals ("36.60"),
 * other decimals without trailing fraction zeros ("2", "18.3"). More fraction digits than the precision are
 * kept as given, so that the field's pattern refuses them: a decimal is never rounded here.
 */
export function canonicalDecimal(value: string | number, form: DecimalForm): string {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return text;
  const [, sign, integer, fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > form.fractionDigits) return text;
  const digits = integer.replace(/^0+(?=\d)/, '');
  const scaled = form.fixedScale ? significant.padEnd(form.fractionDigits, '0') : significant;
  const zero = /^0*$/.test(digits + significant);
  return `${sign === '-' && !zero ? '-' : ''}${digits}${scaled ? `.${scaled}` : ''}`;
}
