import fc from 'fast-check';
import { z } from 'zod';
import { NOT_READ, compiledReaderOf, readWith, withLeafReader, type CompiledReader } from './compiled-reader';
import { envelopeSchema } from './envelope';
import { CONTRACTS, acceptedSchemaOf } from './registry';
import { type Contract } from './contract';

// A compiled reader must give exactly what its schema's parse gives (values and key order) whenever it does not
// leave the value to zod: checked on every contract's example, as written and as the HIS may spell it (tolerant
// topics), with leaves respelled, fields left out, blanked or added.

type Leaf = number | string | boolean | null;

/** The value with every leaf replaced by `respell(leaf, i)` (i counts the leaves). */
function respelled(value: unknown, respell: (leaf: Leaf, i: number) => unknown, counter = { i: 0 }): unknown {
  if (Array.isArray(value)) return value.map((item) => respelled(item, respell, counter));
  if (value !== null && typeof value === 'object') {
    const entries: [string, unknown][] = [];
    for (const [key, child] of Object.entries(value)) {
      const one = respelled(child, respell, counter);
      if (one !== LEFT_OUT) entries.push([key, one]);
    }
    return Object.fromEntries(entries);
  }
  return respell(value as Leaf, counter.i++);
}

const LEFT_OUT = Symbol('left out');

/** What the reader gave that the schema did not (null: the same, or left to zod). */
function difference(schema: z.ZodTypeAny, reader: CompiledReader, value: unknown): string | null {
  const fast = reader(value);
  if (fast === NOT_READ) return null;
  const parsed = schema.safeParse(value);
  if (!parsed.success) return `read ${JSON.stringify(fast)}, zod refused it: ${parsed.error.message}`;
  const [ours, zods] = [JSON.stringify(fast), JSON.stringify(parsed.data)];
  return ours === zods ? null : `read ${ours}, zod ${zods}`;
}

/** Other spellings of a leaf: canonical or not, of other types, absent, blank. */
const spelling = (leaf: Leaf): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(leaf) },
    fc.constant(typeof leaf === 'number' ? String(leaf) : leaf),
    fc.constant(typeof leaf === 'string' && /^-?\d+(\.\d+)?$/.test(leaf) ? Number(leaf) : leaf),
    fc.constantFrom('', null, LEFT_OUT, '86.40', '1e3', '-0', '007', ' 1', 'abc', true, [leaf], { leaf }),
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.double(),
    fc.string({ maxLength: 8 }),
  );

/** Schemas to check: each contract's data as written, and as read on a tolerant topic; the envelope. */
const schemas: [string, z.ZodTypeAny, unknown][] = [
  ...(CONTRACTS as readonly Contract[]).flatMap((c): [string, z.ZodTypeAny, unknown][] => [
    [`${c.type} v${c.version}`, c.data, c.example],
    ...(acceptedSchemaOf(c) === c.data
      ? []
      : [
          [`${c.type} v${c.version}, tolerant`, acceptedSchemaOf(c), c.example] as [
            string,
            z.ZodTypeAny,
            unknown,
          ],
        ]),
  ]),
  [
    'envelope',
    envelopeSchema,
    {
      id: '0b6d1c5e-6f1a-4a43-9d6e-2f2d9c1b7a10',
      type: 'FeeLinesCharged',
      schemaVersion: 1,
      occurredAt: '2026-12-04T08:00:00+08:00',
      key: 'ZY2026001',
      correlationId: 'c-1',
      causationId: null,
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      data: { any: 'thing' },
    },
  ],
];

describe('compiled readers of the contracts', () => {
  it.each(schemas)('%s: read what zod reads, for any spelling of the leaves', (_name, schema, example) => {
    const reader = compiledReaderOf(schema);
    const leaves: Leaf[] = [];
    respelled(example, (leaf) => leaves.push(leaf));
    fc.assert(
      fc.property(
        fc.tuple(...leaves.map(spelling)),
        fc.option(fc.tuple(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }))),
        (spellings, added) => {
          const value = respelled(example, (_leaf, i) => spellings[i]);
          if (added && value !== null && typeof value === 'object' && !Array.isArray(value))
            (value as Record<string, unknown>)[added[0]] = added[1];
          expect(difference(schema, reader, value)).toBeNull();
        },
      ),
      { numRuns: 60 },
    );
  });

  it.each(schemas)('%s: the example is read without zod', (_name, schema, example) => {
    const read = compiledReaderOf(schema)(example);
    expect(read).not.toBe(NOT_READ);
    expect(JSON.stringify(read)).toBe(JSON.stringify(schema.parse(example)));
  });

  it('the check finds a reader that reads what zod refuses (it can fail)', () => {
    const schema = z.object({ cnt: z.string().regex(/^\d+$/) }).strict();
    const lenient: CompiledReader = (value) => value;
    const found = fc.check(fc.property(fc.string(), (cnt) => difference(schema, lenient, { cnt }) === null));
    expect(found.failed).toBe(true);
    expect(difference(schema, compiledReaderOf(schema), { cnt: '1a' })).toBeNull();
  });

  it('reads defaults, refinements, transforms, discriminated unions and passthrough as zod does', () => {
    const schema = z
      .object({
        kind: z.discriminatedUnion('k', [
          z.object({ k: z.literal('a'), n: z.number().int().min(1) }),
          z.object({ k: z.literal('b'), s: z.string().max(3).default('x') }),
        ]),
        upper: z.string().transform((s) => s.toUpperCase()),
        even: z.number().refine((n) => n % 2 === 0, 'must be even'),
        rest: z.object({ a: z.enum(['1', '2']) }).passthrough(),
      })
      .strict();
    const reader = compiledReaderOf(schema);
    const good = { kind: { k: 'b' }, upper: 'ab', even: 4, rest: { a: '2', extra: [1] } };
    expect(reader(good)).toEqual(schema.parse(good));
    expect(Object.keys(reader(good) as object)).toEqual(['kind', 'upper', 'even', 'rest']);
    for (const bad of [
      { ...good, even: 3 },
      { ...good, kind: { k: 'a', n: 0 } },
      { ...good, kind: { k: 'c' } },
      { ...good, rest: { a: 3 } },
      { ...good, more: 1 },
    ]) {
      expect(reader(bad)).toBe(NOT_READ);
      expect(schema.safeParse(bad).success).toBe(false);
    }
  });

  it("reads a kind it does not know (a union) by zod's parse of that part, a bounded string by itself", () => {
    const schema = z.object({ either: z.union([z.string(), z.number()]), named: z.string().min(1) });
    const reader = compiledReaderOf(schema);
    expect(reader({ either: 1, named: 'x' })).toEqual({ either: 1, named: 'x' });
    for (const bad of [
      { either: true, named: 'x' },
      { either: 1, named: '' },
    ]) {
      expect(reader(bad)).toBe(NOT_READ);
      expect(schema.safeParse(bad).success).toBe(false);
    }
  });

  it("asks a tagged leaf's own reader first wherever the leaf appears, then reads the leaf as compiled", () => {
    const toUpperCase = jest.fn((text: string) => text.toUpperCase());
    const upper = withLeafReader(z.string().transform(toUpperCase), (value) =>
      typeof value === 'string' && value === value.toUpperCase() ? value : NOT_READ,
    );
    const schema = z.object({ one: upper, many: z.array(upper).optional() });
    const reader = compiledReaderOf(schema);
    expect(reader({ one: 'A', many: ['B', 'C'] })).toEqual({ one: 'A', many: ['B', 'C'] });
    expect(toUpperCase).not.toHaveBeenCalled();
    expect(reader({ one: 'a' })).toEqual({ one: 'A' });
    expect(toUpperCase).toHaveBeenCalledTimes(1);
    expect(reader({ one: 1 })).toBe(NOT_READ);
    expect(readWith(schema, { one: 1 }).success).toBe(false);
  });
});
