import type Decimal from 'decimal.js';

/**
 * The platform answers amounts as JSON numbers with two decimals (16,2) and ratios with four (5,4). The
 * Decimal is formatted first, so the number printed is exactly the decimal text; no arithmetic happens on it.
 */
export function money(amount: Decimal): number {
  return Number(amount.toFixed(2));
}

export function ratio(value: Decimal): number {
  return Number(value.toFixed(4));
}
