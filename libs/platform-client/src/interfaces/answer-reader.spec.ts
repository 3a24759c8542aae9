import fc from 'fast-check';
import { z } from 'zod';
import { NOT_READ, compiledReaderOf, withLeafReader, type CompiledReader } from '@yb/contracts';
import { INTERFACE_EXAMPLES } from './examples';
import { outDecimal, outStr } from './fields';
import { INTERFACE_SCHEMAS, TYPED_INFNOS } from './interface-schemas';
import { parseOutput, readOutput } from './validation';

// The contracts' compiled reader on the platform's schemas (answers with their tagged leaves, requests) must give
// exactly what the schema's parse gives (values and key order) whenever it does not leave the value to zod:
// checked on every typed interface's example request and answer with its leaves respelled.

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
function difference(schema: z.ZodTypeAny, reader: CompiledReader, answer: unknown): string | null {
  const fast = reader(answer);
  if (fast === NOT_READ) return null;
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

/** Counts zod's parses (of any schema, at any depth) while `read` runs. */
function zodParsesDuring(read: () => void): number {
  const parses = jest.spyOn(z.ZodType.prototype, '_parseSync');
  try {
    read();
    return parses.mock.calls.length;
  } finally {
    parses.mockRestore();
  }
}

describe("the compiled reader on the platform's schemas", () => {
  it('reads the answers fee-detail and admission read most (2301, 2401, 9001) without zod, in any spelling it reads', () => {
    for (const infno of ['2301', '2401', '9001'] as const) {
      const asWritten = INTERFACE_EXAMPLES[infno].output;
      const canonical = parseOutput(infno, asWritten);
      for (const answer of [asWritten, canonical]) {
        let reading: ReturnType<typeof readOutput> | undefined;
        expect(zodParsesDuring(() => (reading = readOutput(infno, answer)))).toBe(0);
        expect(reading).toEqual({ readable: true, output: canonical });
      }
    }
    // The count can fail: an answer lacking a field the business needs is zod's to word.
    const [line] = (INTERFACE_EXAMPLES['2301'].output as { result: object[] }).result;
    const { chrgitm_lv: _missing, ...withoutClass } = line as Record<string, unknown>;
    expect(zodParsesDuring(() => readOutput('2301', { result: [withoutClass] }))).toBeGreaterThan(0);
  });

  it.each(
    TYPED_INFNOS.flatMap((infno) => (['input', 'output'] as const).map((node) => [infno, node] as const)),
  )('%s %s: reads what the schema reads, for any spelling of the leaves', (infno, node) => {
    const schema = INTERFACE_SCHEMAS[infno][node];
    const reader = compiledReaderOf(schema);
    const example = INTERFACE_EXAMPLES[infno][node];
    const leaves: Leaf[] = [];
    respelled(example, (leaf) => leaves.push(leaf));
    // (An example as the platform writes it may need validation.ts's reshaping first: then zod refuses it too.)
    if (schema.safeParse(example).success) expect(reader(example)).not.toBe(NOT_READ);
    fc.assert(
      fc.property(fc.tuple(...leaves.map(spelling)), (spellings) => {
        expect(
          difference(
            schema,
            reader,
            respelled(example, (_leaf, i) => spellings[i]),
          ),
        ).toBeNull();
      }),
      // Answers hold the tolerant leaves with readers written by hand: more runs for them.
      { numRuns: node === 'output' ? 300 : 100 },
    );
  });

  it('reads a 2301 answer in the canonical form without zod, and give what zod gives', () => {
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
    const read = compiledReaderOf(INTERFACE_SCHEMAS['2301'].output)(answer);
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
      difference(
        INTERFACE_SCHEMAS['2301'].output,
        compiledReaderOf(INTERFACE_SCHEMAS['2301'].output),
        answer,
      ),
    ).toBeNull();
  });

  it('reads a spelling zod respells ("86.40", " 86.4", "1e3") as zod does, and leaves a blank or missing field to zod', () => {
    const schema = INTERFACE_SCHEMAS['2301'].output;
    const reader = compiledReaderOf(schema);
    const line = {
      feedetl_sn: 'F1',
      det_item_fee_sumamt: '86.4',
      cnt: 2,
      pric: 43.2,
      chrgitm_lv: '01',
      med_chrgitm_type: '09',
    };
    for (const det_item_fee_sumamt of ['86.4', '86.40', ' 86.4', '-0', '1e3']) {
      const answer = { result: [{ ...line, det_item_fee_sumamt }] };
      expect(reader(answer)).not.toBe(NOT_READ);
      expect(difference(schema, reader, answer)).toBeNull();
    }
    expect(reader({ result: [{ ...line, det_item_fee_sumamt: '' }] })).toBe(NOT_READ);
    const { chrgitm_lv: _missing, ...withoutClass } = line;
    expect(reader({ result: [withoutClass] })).toBe(NOT_READ);
    // …and readOutput reads them as zod does.
    const reading = readOutput('2301', { result: [{ ...line, det_item_fee_sumamt: '86.40' }] });
    expect(reading.readable && reading.output.result[0].det_item_fee_sumamt).toBe('86.4');
    expect(readOutput('2301', { result: [withoutClass] })).toEqual({
      readable: false,
      problems: [{ field: 'result[0].chrgitm_lv', problem: 'is required' }],
    });
  });

  it('reads a strict answer node as zod does: its fields through their leaf readers, an unknown field left to zod', () => {
    const schema = z.object({ a: outStr() }).strict();
    const reader = compiledReaderOf(schema);
    expect(reader({ a: 1 })).toEqual({ a: '1' });
    expect(reader({ a: 1, b: 2 })).toBe(NOT_READ);
    expect(schema.safeParse({ a: 1, b: 2 }).success).toBe(false);
  });

  it('the comparison catches a reader that gives what zod does not (seeded: "86.40" kept as given)', () => {
    const schema = z.object({ amount: withLeafReader(outDecimal(), (value) => value) });
    const reader = compiledReaderOf(schema);
    expect(difference(schema, reader, { amount: '86.40' })).toBe(
      'read {"amount":"86.40"}, zod {"amount":"86.4"}',
    );
  });
});
