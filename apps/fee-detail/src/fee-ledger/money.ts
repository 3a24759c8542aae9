import Decimal from 'decimal.js';

// Amounts stay decimal strings at the edges and decimal.js inside; never a float sum. The platform's
// money columns are num(16,2), rounded half-up.

/** The sum of decimal strings as money 16,2, e.g. "123.40". */
export function sumMoney(amounts: readonly string[]): string {
  return amounts.reduce((sum, amount) => sum.plus(amount), new Decimal(0)).toFixed(2, Decimal.ROUND_HALF_UP);
}

/** A decimal string as money 16,2 ("36.6" → "36.60"). */
export function asMoney(amount: string): string {
  return new Decimal(amount).toFixed(2, Decimal.ROUND_HALF_UP);
}

export function sameMoney(a: string, b: string): boolean {
  return new Decimal(a).eq(b);
}
