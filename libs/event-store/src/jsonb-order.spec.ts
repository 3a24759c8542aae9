import fc from 'fast-check';
import { asStoredJson } from './jsonb-order';

// jsonb's key order: shortest first, then by UTF-8 bytes (PostgreSQL's own rule), for any keys, remembered shapes
// included.
const byUtf8 = (a: string, b: string) => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length - y.length || Buffer.compare(x, y);
};

describe('asStoredJson', () => {
  it("orders every object's keys as jsonb does, for any keys, the same shape seen again included", () => {
    const key = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
      fc.constantFrom('a\u0000b', '__proto__'),
    );
    fc.assert(
      fc.property(fc.dictionary(key, fc.jsonValue({ maxDepth: 2 })), (object) => {
        for (let seen = 0; seen < 2; seen++) {
          const stored = asStoredJson({ nested: [object] }) as { nested: Record<string, unknown>[] };
          // JavaScript lists integer-like keys first whatever the order they were set in: as jsonb's would be.
          const asJsonb = Object.fromEntries(
            Object.keys(object)
              .sort(byUtf8)
              .map((k) => [k, 0]),
          );
          expect(Object.keys(stored.nested[0])).toEqual(Object.keys(asJsonb));
          expect(stored.nested[0]).toEqual(JSON.parse(JSON.stringify(object)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps two shapes that join alike apart', () => {
    expect(Object.keys(asStoredJson({ 'a\u0000b': 1, c: 2 }) as object)).toEqual(['c', 'a\u0000b']);
    expect(Object.keys(asStoredJson({ a: 1, 'b\u0000c': 2 }) as object)).toEqual(['a', 'b\u0000c']);
  });

  it('orders non-ASCII keys by their UTF-8 bytes, not their UTF-16 units', () => {
    // U+FF61 is 3 bytes, U+1F600 (a surrogate pair) 4: by length first.
    expect(Object.keys(asStoredJson({ '\u{1F600}': 1, '\uFF61': 2, zz: 3 }) as object)).toEqual([
      'zz',
      '\uFF61',
      '\u{1F600}',
    ]);
  });
});
