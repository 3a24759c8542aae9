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
  return Object.fromEntries(
    Object.keys(object)
      .sort(jsonbKeyOrder)
      .map((key) => [key, jsonbOrdered(object[key])]),
  );
}

function jsonbKeyOrder(a: string, b: string): number {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length - y.length || Buffer.compare(x, y);
}
