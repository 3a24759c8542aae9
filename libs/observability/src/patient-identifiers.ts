import { PATIENT_IDENTIFIER_FIELDS } from '@yb/contracts';

export { PATIENT_IDENTIFIER_FIELDS };

const identifierKeys = new Set(PATIENT_IDENTIFIER_FIELDS.map((f) => f.toLowerCase()));

export function isPatientIdentifier(key: string): boolean {
  const lastSegment = key.slice(key.lastIndexOf('.') + 1);
  return identifierKeys.has(lastSegment.toLowerCase());
}

/**
 * Masks an identifier for display, keeping what a person needs to tell records apart:
 * an ID number `420***********1234`, a phone `138****5678`, a name `张*丰`.
 */
export function maskIdentifier(value: unknown): string {
  const text = String(value ?? '');
  const chars = [...text]; // code points, so that Chinese names mask by character
  const n = chars.length;
  if (n === 0) return '';
  if (n === 1) return '*';
  if (n === 2) return `${chars[0]}*`;
  if (n <= 10) return `${chars[0]}${'*'.repeat(n - 2)}${chars[n - 1]}`;
  return `${chars.slice(0, 3).join('')}${'*'.repeat(n - 7)}${chars.slice(n - 4).join('')}`;
}

/**
 * A copy of `value` with every patient identifier masked, at any depth, arrays included: fields named in the
 * list, and ID or mobile numbers quoted in any other string (an error message that quotes a request).
 */
export function maskPatientIdentifiers<T>(value: T, seen = new WeakSet<object>()): T {
  if (typeof value === 'string') return maskIdentifiersInText(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  if (seen.has(value)) return '[Circular]' as T;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => maskPatientIdentifiers(v, seen)) as T;
  if (value instanceof Error) {
    return {
      type: value.name,
      message: maskIdentifiersInText(value.message),
      stack: value.stack && maskIdentifiersInText(value.stack),
    } as T;
  }
  const masked: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    masked[key] =
      isPatientIdentifier(key) && (typeof field === 'string' || typeof field === 'number')
        ? maskIdentifier(field)
        : maskPatientIdentifiers(field, seen);
  }
  return masked as T;
}

// Standing on its own in free text (an error message that quotes a request): a resident ID number of 18
// characters (the last a digit or X) or of 15 digits (first generation), or a mainland mobile number, also
// written +86 / 0086 / 86 first and with spaces or hyphens between its groups (138 1234 5678).
const IDENTIFIERS_IN_TEXT =
  /(?<![0-9A-Za-z+])(?:\d{17}[\dXx]|\d{15}|(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2})(?![0-9A-Za-z])/g;

/**
 * `text` with every ID number and mobile number in it masked, and every value of `known` (the patient's own
 * name, certificate and person number, which no pattern can tell from other words): for free text (exception
 * and status messages, the platform's err_msg) where no field name says what a value is. Known values shorter
 * than two characters are left, as they would mask half the text.
 */
export function maskIdentifiersInText(text: string, known: readonly string[] = []): string {
  let masked = text;
  for (const value of [...new Set(known)]
    .filter((v) => [...v].length >= 2)
    .sort((a, b) => b.length - a.length)) {
    masked = masked.split(value).join(maskIdentifier(value));
  }
  return masked.replace(IDENTIFIERS_IN_TEXT, (found) => maskIdentifier(found));
}
