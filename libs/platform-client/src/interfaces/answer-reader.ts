import { NOT_READ } from '@yb/contracts';

// The platform's tolerant answer fields read without zod when already in the form zod would give back (every
// 2301 answer the platform sends, line by line: zod's transforms, closures and issues cost ≈ 0.4 ms per line on the
// 2-core machine, most of fee-detail's parsing). fields.ts tags outDecimal and outStr with these (withLeafReader),
// so the contracts' compiled reader reads a whole answer with them; any other spelling is left to zod (NOT_READ),
// so the tolerant reading and its problems stay zod's alone.

/** A decimal in the form Decimal#toFixed() gives it: no sign on zero, no leading or trailing zeros, no exponent. */
const CANONICAL_DECIMAL = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;

/** outDecimal's reader: a number or string already canonical is what zod would give; others go to zod. */
export function readCanonicalDecimal(value: unknown): unknown {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : null;
  return text !== null && text !== '-0' && CANONICAL_DECIMAL.test(text) ? text : NOT_READ;
}

/** outStr's reader: a non-empty string as it is, a number as its text; others go to zod. */
export function readAnswerString(value: unknown): unknown {
  if (typeof value === 'string') return value === '' ? NOT_READ : value;
  return typeof value === 'number' && !Number.isNaN(value) ? String(value) : NOT_READ;
}
