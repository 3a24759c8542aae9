import { z } from 'zod';

// The platform's numbers travel as decimal strings so that no amount ever passes through a float.
// Precision follows the platform's column types: money 16,2, quantity 16,4, unit price 16,6, ratio 5,4.

function decimalString(name: string, integerDigits: number, fractionDigits: number, signed: boolean) {
  const pattern = new RegExp(`^${signed ? '-?' : ''}\\d{1,${integerDigits}}(\\.\\d{1,${fractionDigits}})?$`);
  const shape = `${signed ? 'signed ' : ''}decimal string with at most ${integerDigits} integer and ${fractionDigits} fraction digits`;
  return z
    .string()
    .regex(pattern, { message: `must be a ${shape} (${name}), e.g. "${signed ? '-' : ''}12.5"` })
    .describe(`${name}: ${shape}`);
}

/** Money, platform type num(16,2); negative on refund lines and settlement reversals. */
export const money = () => decimalString('money 16,2', 14, 2, true);
/** Quantity, platform type num(16,4); negative on refund lines. */
export const quantity = () => decimalString('quantity 16,4', 12, 4, true);
/** Unit price, platform type num(16,6). */
export const unitPrice = () => decimalString('unit price 16,6', 10, 6, false);
/** A proportion such as selfpay_prop, platform type num(5,4). */
export const ratio = () => decimalString('ratio 5,4', 1, 4, false);

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
