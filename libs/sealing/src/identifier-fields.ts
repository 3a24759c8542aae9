import { PATIENT_IDENTIFIER_FIELDS } from '@yb/contracts';
import { isSealed, type Keyring } from './keyring';

/** The field names (lower case) whose values are sealed in a stored document: the one list, in @yb/contracts. */
export const IDENTIFIER_FIELDS: ReadonlySet<string> = new Set(
  PATIENT_IDENTIFIER_FIELDS.map((f) => f.toLowerCase()),
);

/**
 * A copy of a JSON document with the value of every patient identifier field (at any depth, in arrays too)
 * sealed where it stands, everything else left as it was: SQL on the other fields, indexes and key order are
 * unchanged, and a reader opens the document with openFields. Each value is bound to `aad` and its field name.
 * The document itself when the keyring has no key, or when it holds no identifier (nothing copied).
 */
export function sealFields(keyring: Keyring, document: unknown, aad: string): unknown {
  if (!keyring.sealing) return document;
  return walk(document, (key, value) =>
    (typeof value === 'string' || typeof value === 'number') && IDENTIFIER_FIELDS.has(key.toLowerCase())
      ? keyring.seal(value, `${aad}:${key}`)
      : undefined,
  );
}

/**
 * The document with every sealed field opened; fields stored clear (written before keys were configured) are
 * read as they are. Throws SealedValueError for a value the keyring cannot open (a missing or wrong key).
 */
export function openFields(keyring: Keyring, document: unknown, aad: string): unknown {
  return walk(document, (key, value) => (isSealed(value) ? keyring.open(value, `${aad}:${key}`) : undefined));
}

/**
 * Rebuilds only the objects on the way to a replaced field (`replace` answers undefined to keep a value): a
 * document with no identifier comes back as the same object, and reading costs one pass and no allocation.
 */
function walk(value: unknown, replace: (key: string, value: unknown) => unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = walk(item, replace);
      if (next !== item) (copy ??= [...value])[i] = next;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  // By key, not Object.entries: every document read and written passes here, and entries allocates a pair per field.
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    const replaced = replace(key, field);
    const next = replaced === undefined ? walk(field, replace) : replaced;
    if (next !== field) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return copy ?? value;
}

/**
 * The values of every identifier field of a JSON document (at any depth), as text: what to look for in free text
 * that came with it (an error quoting the record), where no field name says what a value is.
 */
export function identifierValuesOf(document: unknown): string[] {
  const found: string[] = [];
  walk(document, (key, value) => {
    if (
      (typeof value === 'string' || typeof value === 'number') &&
      IDENTIFIER_FIELDS.has(key.toLowerCase())
    ) {
      found.push(String(value));
    }
    return undefined;
  });
  return found;
}

/**
 * The document with every identifier field under the active key: values sealed under an older key opened and
 * sealed again, values still clear sealed. The same object back when every one already is (nothing to write), or
 * when the keyring has no key. Throws SealedValueError for a value it cannot open.
 */
export function resealFields(keyring: Keyring, document: unknown, aad: string): unknown {
  if (!keyring.sealing) return document;
  return walk(document, (key, value) => {
    if (!IDENTIFIER_FIELDS.has(key.toLowerCase())) return undefined;
    if (isSealed(value)) {
      return value.kid === keyring.activeKeyId
        ? value
        : keyring.seal(keyring.open(value, `${aad}:${key}`), `${aad}:${key}`);
    }
    return typeof value === 'string' || typeof value === 'number'
      ? keyring.seal(value, `${aad}:${key}`)
      : undefined;
  });
}
