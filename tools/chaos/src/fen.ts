// Money as integer fen (分): the reconciliation compares and sums amounts exactly, never as floats.

const MONEY = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/** A decimal money string ("-18.30", "5", "0.5") as fen; anything else (more decimals, exponents) is refused. */
export function fen(amount: string): bigint {
  const match = MONEY.exec(amount.trim());
  if (!match) throw new Error(`not a money amount to the fen: "${amount}"`);
  const [, sign, whole, fraction = ''] = match;
  const value = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign === '-' ? -value : value;
}

/** Fen back to a decimal string with two places ("-18.30"). */
export function yuan(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export const sumFen = (amounts: Iterable<bigint>): bigint => {
  let total = 0n;
  for (const amount of amounts) total += amount;
  return total;
};
