/**
 * A JSON value as PostgreSQL gives it back from a jsonb column: JSON's own round trip (numbers, dates and
 * undefined as JSON.stringify writes them), and every object's keys in jsonb's order, shortest first, then
 * by their UTF-8 bytes. A state folded from decided events this way is the one a read of the stream folds,
 * down to the order of keys that a service hashing what it builds from state would see.
 */
export function asStoredJson(value: unknown): unknown {
  return jsonbOrdered(JSON.parse(JSON.stringify(value)));
}

function jsonbOrdered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonbOrdered);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of jsonbKeysOf(object)) {
    // An own "__proto__" key (JSON.parse makes one) stays a key, not the prototype.
    if (key === '__proto__')
      Object.defineProperty(ordered, key, {
        value: jsonbOrdered(object[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else ordered[key] = jsonbOrdered(object[key]);
  }
  return ordered;
}

/**
 * The keys in jsonb's order, remembered by the order they came in: the objects of one event type come with the
 * same keys, so a fold sorts each shape once (sorting was ≈ 4 % of fee-detail's CPU). Bounded: a store of many
 * shapes starts over.
 */
const orderedKeys = new Map<string, string[]>();
const MOST_SHAPES = 2_000;

function jsonbKeysOf(object: Record<string, unknown>): string[] {
  const keys = Object.keys(object);
  if (keys.length < 2) return keys;
  const shape = keys.join('\u0000');
  const known = orderedKeys.get(shape);
  // Two shapes may join alike (a key holding U+0000): the remembered keys must be this object's own.
  if (known && known.length === keys.length && known.every((key) => Object.hasOwn(object, key))) return known;
  const ordered = keys.sort(jsonbKeyOrder);
  if (orderedKeys.size >= MOST_SHAPES) orderedKeys.clear();
  orderedKeys.set(shape, ordered);
  return ordered;
}

const NOT_PRINTABLE_ASCII = /[^ -~]/;

function jsonbKeyOrder(a: string, b: string): number {
  // Printable ASCII (every field name of ours): UTF-8 bytes are the characters, compared without encoding them.
  if (!NOT_PRINTABLE_ASCII.test(a) && !NOT_PRINTABLE_ASCII.test(b))
    return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length - y.length || Buffer.compare(x, y);
}
