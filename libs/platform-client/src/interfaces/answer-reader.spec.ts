import fc from 'fast-check';
import { z } from 'zod';
import { ASK_ZOD, fastReaderOf, withFastReader, type NodeReader } from './answer-reader';
import { INTERFACE_EXAMPLES } from './examples';
import { outDecimal, outStr } from './fields';
import { INTERFACE_SCHEMAS, TYPED_INFNOS, type TypedInfno } from './interface-schemas';
import { readOutput } from './validation';
import { NOT_READ, compiledReaderOf } from '@yb/contracts';

// The compiled reader must give exactly what the schema's parse gives (values and key order) whenever it does
// not leave the answer to zod: checked on every typed interface's example answer with its leaves respelled.

type Leaf = number | string | boolean | null;

/** The answer with every leaf replaced by `respell(leaf, i)` (i counts the leaves). */
function respelled(value: unknown, respell: (leaf: Leaf, i: number) => unknown, counter = { i: 0 }): unknown {
  if (Array.isArray(value)) return value.map((item) => respelled(item, respell, counter));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, respelled(child, respell, counter)]),
    );
  }
  return respell(value as Leaf, counter.i++);
}

/** What the reader gave that the schema did not (empty: the same, or left to zod). */
function difference(schema: z.ZodTypeAny, reader: NodeReader, answer: unknown): string | null {
  const fast = reader(answer);
  if (fast === ASK_ZOD) return null;
  const parsed = schema.safeParse(answer);
  if (!parsed.success) return `read ${JSON.stringify(fast)}, zod refused it`;
  const [ours, zods] = [JSON.stringify(fast), JSON.stringify(parsed.data)];
  return ours === zods ? null : `read ${ours}, zod ${zods}`;
}

/** Other spellings of a leaf, canonical or not. */
const spelling = (leaf: Leaf): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant(leaf),
    fc.constant(typeof leaf === 'number' ? String(leaf) : leaf),
    fc.constantFrom('86.40', '86.4', ' 86.4', '+1', '-0', '0', '1e3', '0.10', '-43.2', '007', 'abc', ''),
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.double({ noNaN: false }),
    fc.string({ maxLength: 6 }),
  );

const compiledInfnos = TYPED_INFNOS.filter((infno) => fastReaderOf(INTERFACE_SCHEMAS[infno].output) !== null);

describe('compiled answer readers', () => {
  it('compile the answers fee-detail and admission read most (2301, 2401, 9001)', () => {
    expect(compiledInfnos).toEqual(expect.arrayContaining<TypedInfno>(['2301', '2401', '9001']));
  });

  it.each(compiledInfnos)('%s: read what the schema reads, for any spelling of the leaves', (infno) => {
    const { output: schema } = INTERFACE_SCHEMAS[infno];
    const reader = fastReaderOf(schema) as NodeReader;
    const example = INTERFACE_EXAMPLES[infno].output;
    const leaves: Leaf[] = [];
    respelled(example, (leaf) => leaves.push(leaf));
    fc.assert(
      fc.property(fc.tuple(...leaves.map(spelling)), (spellings) => {
        const answer = respelled(example, (_leaf, i) => spellings[i]);
        expect(difference(schema, reader, answer)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('read a 2301 answer in the canonical form without zod, and give what zod gives', () => {
    const answer = {
      result: [
        {
          feedetl_sn: 'F1',
          det_item_fee_sumamt: 86.4,
          cnt: '2',
          pric: '43.2',
          chrgitm_lv: 1,
          med_chrgitm_type: '09',
          zz: 1,
        },
      ],
    };
    const read = fastReaderOf(INTERFACE_SCHEMAS['2301'].output)!(answer);
    expect(read).toEqual({
      result: [
        {
          feedetl_sn: 'F1',
          det_item_fee_sumamt: '86.4',
          cnt: '2',
          pric: '43.2',
          chrgitm_lv: '1',
          med_chrgitm_type: '09',
          zz: 1,
        },
      ],
    });
    expect(
      difference(INTERFACE_SCHEMAS['2301'].output, fastReaderOf(INTERFACE_SCHEMAS['2301'].output)!, answer),
    ).toBeNull();
  });

  it('leave a spelling zod canonicalises ("86.40", " 86.4", -0 as text) and a missing field to zod', () => {
    const reader = fastReaderOf(INTERFACE_SCHEMAS['2301'].output)!;
    const line = {
      feedetl_sn: 'F1',
      det_item_fee_sumamt: '86.4',
      cnt: 2,
      pric: 43.2,
      chrgitm_lv: '01',
      med_chrgitm_type: '09',
    };
    expect(reader({ result: [line] })).not.toBe(ASK_ZOD);
    for (const det_item_fee_sumamt of ['86.40', ' 86.4', '-0', '1e3', '']) {
      expect(reader({ result: [{ ...line, det_item_fee_sumamt }] })).toBe(ASK_ZOD);
    }
    const { chrgitm_lv: _missing, ...withoutClass } = line;
    expect(reader({ result: [withoutClass] })).toBe(ASK_ZOD);
    // …and readOutput still reads them as zod does.
    const reading = readOutput('2301', { result: [{ ...line, det_item_fee_sumamt: '86.40' }] });
    expect(reading.readable && reading.output.result[0].det_item_fee_sumamt).toBe('86.4');
    expect(readOutput('2301', { result: [withoutClass] })).toEqual({
      readable: false,
      problems: [{ field: 'result[0].chrgitm_lv', problem: 'is required' }],
    });
  });

  it('do not compile a schema holding a kind they do not know (a union, a refined string)', () => {
    expect(fastReaderOf(z.object({ a: z.union([z.string(), z.number()]) }))).toBeNull();
    expect(fastReaderOf(z.object({ a: z.string().min(1) }))).toBeNull();
    expect(fastReaderOf(z.object({ a: outStr() }).strict())).toBeNull();
  });

  it('the comparison catches a reader that gives what zod does not (seeded: "86.40" kept as given)', () => {
    const schema = z.object({ amount: withFastReader(outDecimal(), (value) => value) });
    const reader = fastReaderOf(schema)!;
    expect(difference(schema, reader, { amount: '86.40' })).toBe(
      'read {"amount":"86.40"}, zod {"amount":"86.4"}',
    );
  });
});

// The contracts' compiled reader reads what the answer reader does not compile (1101's and 2001's answers) and
// every request validateInput checks: it too must give what the schema gives whenever it does not leave it to zod.
describe("the contracts' compiled reader on the platform's schemas", () => {
  it.each(
    TYPED_INFNOS.flatMap((infno) => (['input', 'output'] as const).map((node) => [infno, node] as const)),
  )('%s %s: read what the schema reads, for any spelling of the leaves', (infno, node) => {
    const schema = INTERFACE_SCHEMAS[infno][node];
    const reader = compiledReaderOf(schema);
    const example = INTERFACE_EXAMPLES[infno][node];
    const leaves: Leaf[] = [];
    respelled(example, (leaf) => leaves.push(leaf));
    // (An example as the platform writes it may need validation.ts's reshaping first: then zod refuses it too.)
    if (schema.safeParse(example).success) expect(reader(example)).not.toBe(NOT_READ);
    fc.assert(
      fc.property(fc.tuple(...leaves.map(spelling)), (spellings) => {
        const value = respelled(example, (_leaf, i) => spellings[i]);
        const read = reader(value);
        expect(read === NOT_READ ? null : difference(schema, () => read, value)).toBeNull();
      }),
      { numRuns: 100 },
    );
  });
});
