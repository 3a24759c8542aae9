import Decimal from 'decimal.js';
import fc from 'fast-check';
import { INTERFACE_EXAMPLES } from './examples';
import { INTERFACE_SCHEMAS, TYPED_INFNOS, type TypedInfno } from './interface-schemas';
import { formatFieldPath, readOutput, validateInput } from './validation';

// The wire edge's robustness principle as properties of every typed interface, from its example exchange
// (INTERFACE_EXAMPLES): a new interface in TYPED_INFNOS is covered as soon as it has an example.
//   (a) answers: any answer whose other fields are removed, given as "" or null, reordered, whose numbers
//       come as strings, whose nodes come as one-element lists (or single objects for lists), or that has
//       fields we do not know, is read with the same business fields; one without a business field is not.
//   (b) inputs: any input whose optional fields are "", blank, null or absent, whose numbers come as JSON
//       numbers or numeric strings in any spelling, and whose nodes come as one-element lists or single
//       objects, is sent as exactly the same wire message as the canonical input without those fields.
// The business fields and numeric fields each interface is found to have are checked against the tables
// below, so a schema that requires more than the business uses (or stops taking a number as a string)
// fails here. Run counts are printed at the end (the closing note cites them).

const NUM_RUNS = 250;

type Path = readonly (string | number)[];

/** What the business reads of each answer (`[]`: every row of a list). Person and 2001 are owned elsewhere. */
const BUSINESS_FIELDS: Partial<Record<TypedInfno, readonly string[]>> = {
  '9001': ['signinoutb.sign_no'],
  '9002': [],
  '2401': ['result.mdtrt_id'],
  '2402': [],
  '2403': [],
  '2404': [],
  '2405': [],
  '2406': ['data.ipt_psn_sp_flag_detl_id'],
  '2407': [],
  '2301': [
    'result[].feedetl_sn',
    'result[].det_item_fee_sumamt',
    'result[].cnt',
    'result[].pric',
    'result[].chrgitm_lv',
    'result[].med_chrgitm_type',
  ],
  '2302': [],
  '2303': settlementFields([]),
  '2304': settlementFields(['setlinfo.setl_id']),
  '2305': [
    'setlinfo.setl_id',
    'setlinfo.medfee_sumamt',
    'setlinfo.fund_pay_sumamt',
    'setlinfo.acct_pay',
    'setlinfo.psn_cash_pay',
    ...fundRowFields(),
  ],
  '2601': [],
  '3101': [],
  '3102': [],
  '4101A': [],
  '4102': [],
  '4401': [],
  '4402': [],
  '4501': [],
  '4502': [],
  '4503': [],
  '4504': [],
  '4505': [],
  '4506': [],
  // The platform's records asked back (visit-queries.ts, person-queries.ts): each row's keys, and the amounts.
  '5201': ['mdtrtinfo[].mdtrt_id', 'mdtrtinfo[].psn_no'],
  '5202': ['diseinfo[].mdtrt_id', 'diseinfo[].diag_code'],
  '5204': ['[].feedetl_sn', '[].det_item_fee_sumamt'],
  '5205': ['feedetail[].feedetl_sn', 'feedetail[].med_list_codg'],
  '5206': ['cuminfo[].insutype', 'cuminfo[].year', 'cuminfo[].cum_type_code', 'cuminfo[].cum'],
  '5301': ['feedetail[].opsp_dise_code'],
  '5302': ['psnfixmedin[].fixmedins_code'],
  '5303': ['data[].mdtrt_id', 'data[].psn_no'],
  '5304': ['refmedin[].psn_no', 'refmedin[].refl_date'],
  '4103': ['setlinfo.setl_id'],
};

function fundRowFields(): string[] {
  return ['setldetail[].fund_pay_type', 'setldetail[].inscp_scp_amt', 'setldetail[].fund_payamt'];
}

function settlementFields(extra: string[]): string[] {
  const amounts = [
    'medfee_sumamt',
    'fulamt_ownpay_amt',
    'overlmt_selfpay',
    'preselfpay_amt',
    'inscp_scp_amt',
    'hifp_pay',
    'fund_pay_sumamt',
    'acct_pay',
    'psn_cash_pay',
  ];
  return [...amounts.map((field) => `setlinfo.${field}`), ...extra, ...fundRowFields()];
}

/** The fields of each example input that take a number or a numeric string (whole numbers and decimals). */
const NUMERIC_INPUT_FIELDS: Partial<Record<TypedInfno, readonly string[]>> = {
  '2401': ['diseinfo[].diag_srt_no'],
  '2402': ['diseinfo[].diag_srt_no'],
  '2403': ['diseinfo[].diag_srt_no'],
  '2407': ['data.page_num', 'data.page_size'],
  '1312': ['data.page_num', 'data.page_size'],
  '1312A': ['data.page_num', 'data.page_size'],
  '1318': ['data.page_num', 'data.page_size'],
  '1319': ['data.page_num', 'data.page_size'],
  '5262': ['data.page_num', 'data.page_size'],
  '5267': ['data.page_num', 'data.page_size'],
  '2301': ['feedetail[].det_item_fee_sumamt', 'feedetail[].cnt', 'feedetail[].pric'],
  '2303': ['medfee_sumamt', 'fulamt_ownpay_amt', 'overlmt_selfpay', 'preselfpay_amt', 'inscp_scp_amt'].map(
    (field) => `data.${field}`,
  ),
  '2304': ['data.medfee_sumamt'],
  '3101': [
    'data.patient_dtos[].fsi_encounter_dtos[].medfee_sumamt',
    'data.patient_dtos[].fsi_encounter_dtos[].fsi_order_dtos[].cnt',
    'data.patient_dtos[].fsi_encounter_dtos[].fsi_order_dtos[].pric',
    'data.patient_dtos[].fsi_encounter_dtos[].fsi_order_dtos[].sumamt',
  ],
  '3102': ['data.patient_dtos[].fsi_encounter_dtos[].medfee_sumamt'],
  '4101A': ['setlinfo.lv1_nurscare_days', 'setlinfo.scd_nurscare_days'],
  '4401': ['baseinfo.medfee_sumamt'],
  '4501': ['imageinfo[].series_count', 'imageinfo[].image_count'],
  '4502': ['labinfo.exam_charge'],
  '3201': ['medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'fixmedins_setl_cnt'].map(
    (field) => `data.${field}`,
  ),
  '3203': ['psntime', 'medfee_sumamt', 'med_sumfee', 'fund_appy_sum', 'cash_payamt', 'acct_pay'].map(
    (field) => `data.${field}`,
  ),
  '3202A': ['psntime', 'medfee_sumamt', 'med_sumfee', 'fund_appy_sum', 'cash_payamt', 'acct_pay'].map(
    (field) => `data.${field}`,
  ),
  '1608': ['psntime', 'medfee_sumamt', 'med_sumfee', 'fund_appy_sum', 'cash_payamt', 'acct_pay'].map(
    (field) => `data.${field}`,
  ),
  '3202': ['medfee_sumamt', 'fund_pay_sumamt', 'cash_payamt', 'fixmedins_setl_cnt'].map(
    (field) => `data.${field}`,
  ),
};

// --- JSON paths -------------------------------------------------------------------------------------------

const isObject = (value: unknown): value is Record<string, unknown> =>
  Object.prototype.toString.call(value) === '[object Object]';

// A JSON copy (structuredClone would make objects of another realm, which toStrictEqual tells apart).
const clone = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/** Paths of the fields holding a value (or an empty list/object), never list items themselves. */
function fieldPaths(value: unknown, path: Path = []): Path[] {
  const children: [string | number, unknown][] = Array.isArray(value)
    ? value.map((child, index) => [index, child])
    : isObject(value)
      ? Object.entries(value)
      : [];
  if (children.length === 0) return typeof path[path.length - 1] === 'string' ? [path] : [];
  return children.flatMap(([key, child]) => fieldPaths(child, [...path, key]));
}

/** Paths of the objects in a node (the root included), where unknown fields may be added. */
function objectPaths(value: unknown, path: Path = []): Path[] {
  const own = isObject(value) ? [path] : [];
  const children: [string | number, unknown][] = Array.isArray(value)
    ? value.map((child, index) => [index, child])
    : isObject(value)
      ? Object.entries(value)
      : [];
  return [...own, ...children.flatMap(([key, child]) => objectPaths(child, [...path, key]))];
}

function at(value: unknown, path: Path): unknown {
  return path.reduce<unknown>(
    (node, key) => (node as Record<string | number, unknown> | undefined)?.[key],
    value,
  );
}

function parentOf(root: unknown, path: Path): Record<string | number, unknown> {
  return at(root, path.slice(0, -1)) as Record<string | number, unknown>;
}

function set(root: unknown, path: Path, value: unknown): void {
  parentOf(root, path)[path[path.length - 1]] = value;
}

function remove(root: unknown, path: Path): void {
  delete parentOf(root, path)[path[path.length - 1]];
}

/** `['setldetail', 0, 'fund_payamt']` → `setldetail[].fund_payamt`. */
function fieldName(path: Path): string {
  return formatFieldPath(path).replace(/\[\d+\]/g, '[]');
}

/** The same node with every object's fields in an order drawn from `seed`. */
function reordered(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((child, index) => reordered(child, seed + index));
  if (!isObject(value)) return value;
  const entries = Object.entries(value);
  let state = seed >>> 0 || 1;
  const next = () => (state = (state * 1103515245 + 12345) >>> 0);
  const shuffled = entries
    .map((entry) => ({ entry, rank: next() }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ entry: [key, child] }, index) => [key, reordered(child, seed + index + 1)] as const);
  return Object.fromEntries(shuffled);
}

/** The top-level nodes a schema declares, as objects (`setlinfo`) or lists (`setldetail[]`). */
function declaredNodes(nodes: readonly string[]): { field: string; list: boolean }[] {
  return nodes
    .flatMap((node) => node.split('|').map((path) => path.trim()))
    .filter((path) => !path.includes('.'))
    .map((path) => ({ field: path.replace(/\[\]$/, ''), list: path.endsWith('[]') }));
}

/** Gives a declared node the other accepted form: an object as a one-element list, a one-element list as its object. */
function otherForm(root: unknown, node: { field: string; list: boolean }): void {
  if (!isObject(root)) return;
  const value = root[node.field];
  if (node.list && Array.isArray(value) && value.length === 1) root[node.field] = value[0];
  if (!node.list && isObject(value)) root[node.field] = [value];
}

const runs = new Map<string, number>();
function counted(name: string): () => void {
  runs.set(name, 0);
  return () => runs.set(name, (runs.get(name) ?? 0) + 1);
}

afterAll(() => {
  const total = [...runs.values()].reduce((sum, count) => sum + count, 0);
  const byProperty = new Map<string, number>();
  for (const [name, count] of runs) {
    const property = name.split(' ').slice(1).join(' ');
    byProperty.set(property, (byProperty.get(property) ?? 0) + count);
  }
  console.log(
    `wire-edge properties: ${total} runs over ${TYPED_INFNOS.length} interfaces (${NUM_RUNS} per interface and property)\n` +
      [...byProperty].map(([property, count]) => `  ${property}: ${count}`).join('\n'),
  );
});

// --- (a) answers ------------------------------------------------------------------------------------------

function readable(infno: TypedInfno, output: unknown): Record<string, unknown> | undefined {
  const reading = readOutput(infno, output);
  return reading.readable ? (reading.output as Record<string, unknown>) : undefined;
}

type Change = 'keep' | 'remove' | 'empty' | 'null' | 'as-string';

interface AnswerVariant {
  otherChanges: Change[];
  businessChanges: Change[];
  additions: [number, { name: string; value: string | number }][];
  otherForms: boolean[];
  seed: number;
}

function changed(root: unknown, path: Path, change: Change): void {
  const value = at(root, path);
  if (change === 'remove') remove(root, path);
  if (change === 'empty') set(root, path, '');
  if (change === 'null') set(root, path, null);
  if (change === 'as-string' && typeof value === 'number') set(root, path, String(value));
}

const unknownField = fc.record({
  name: fc.stringMatching(/^zz_[a-z]{1,8}$/),
  value: fc.oneof(
    fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== ''),
    fc.integer(),
  ),
});

describe.each(TYPED_INFNOS)('%s answers', (infno) => {
  const answer = INTERFACE_EXAMPLES[infno].output as unknown;
  const original = readable(infno, clone(answer));
  const fields = fieldPaths(answer);
  const business = fields.filter((path) => {
    const without = clone(answer);
    remove(without, path);
    return readable(infno, without) === undefined;
  });
  const others = fields.filter((path) => !business.includes(path));
  const nodes = declaredNodes(INTERFACE_SCHEMAS[infno].outputNodes);

  const variant: fc.Arbitrary<AnswerVariant> = fc.record({
    otherChanges: fc.tuple(
      ...others.map(() => fc.constantFrom<Change>('keep', 'remove', 'empty', 'null', 'as-string')),
    ),
    businessChanges: fc.tuple(...business.map(() => fc.constantFrom<Change>('keep', 'as-string'))),
    additions: fc.array(fc.tuple(fc.nat(), unknownField), { maxLength: 4 }),
    otherForms: fc.tuple(...nodes.map(() => fc.boolean())),
    seed: fc.nat(),
  });

  /** The answer `start` varied as `v` says, and the unknown fields added to it (by path). */
  function vary(start: unknown, v: AnswerVariant): { answer: unknown; added: Map<string, [Path, unknown]> } {
    const mutated = clone(start);
    others.forEach((path, index) => changed(mutated, path, v.otherChanges[index]));
    business.forEach((path, index) => changed(mutated, path, v.businessChanges[index] ?? 'keep'));
    const targets = objectPaths(mutated);
    const added = new Map<string, [Path, unknown]>();
    for (const [pick, { name, value }] of targets.length ? v.additions : []) {
      const path = [...targets[pick % targets.length], name];
      set(mutated, path, value);
      added.set(formatFieldPath(path), [path, value]);
    }
    nodes.forEach((node, index) => v.otherForms[index] && otherForm(mutated, node));
    return { answer: reordered(mutated, v.seed), added };
  }

  it('the example answer is readable', () => {
    expect(original).toBeDefined();
  });

  it('requires exactly the business fields', () => {
    const expected = BUSINESS_FIELDS[infno];
    const found = [...new Set(business.map(fieldName))].sort();
    if (expected) expect(found).toEqual([...expected].sort());
  });

  it('reads any answer varied outside its business fields, with the same business fields and unknown fields kept', () => {
    const run = counted(`${infno} answers varied outside the business fields read the same`);
    fc.assert(
      fc.property(variant, (v) => {
        run();
        const { answer: varied, added } = vary(answer, v);
        const read = readable(infno, varied);
        expect(read).toBeDefined();
        for (const path of business) expect(at(read, path)).toEqual(at(original, path));
        for (const [path, value] of added.values()) expect(at(read, path)).toEqual(value);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  const breaking = business.length
    ? fc.record({
        broken: fc.nat({ max: business.length - 1 }),
        how: fc.constantFrom<Change>('remove', 'empty', 'null'),
        rest: variant,
      })
    : null;

  if (breaking)
    it('finds any answer without a business field unreadable, naming the field', () => {
      const run = counted(`${infno} answers without a business field are unreadable`);
      fc.assert(
        fc.property(breaking, ({ broken, how, rest }) => {
          run();
          const path = business[broken];
          const start = clone(answer);
          changed(start, path, how);
          const { answer: varied } = vary(start, { ...rest, businessChanges: [] });
          const reading = readOutput(infno, varied);
          expect(reading.readable).toBe(false);
          if (!reading.readable)
            expect(reading.problems.map((p) => p.field)).toContain(formatFieldPath(path));
        }),
        { numRuns: NUM_RUNS },
      );
    });
});

// --- (b) inputs -------------------------------------------------------------------------------------------

const wire = (infno: TypedInfno, input: unknown): string => JSON.stringify(validateInput(infno, input));

function accepted(infno: TypedInfno, input: unknown): boolean {
  try {
    validateInput(infno, input);
    return true;
  } catch {
    return false;
  }
}

type Absence = 'keep' | 'remove' | 'empty' | 'blank' | 'null';

/** The spellings a caller may use for a numeric field whose canonical value is `value`. */
function spellings(value: number | string): (number | string)[] {
  if (typeof value === 'number') return [value, String(value), `0${value}`, ` ${value} `];
  const decimal = new Decimal(value);
  return [value, decimal.toNumber(), decimal.toFixed(), value.includes('.') ? `${value}0` : `${value}.00`];
}

describe.each(TYPED_INFNOS)('%s inputs', (infno) => {
  const canonical = INTERFACE_EXAMPLES[infno].input as unknown;
  // Zod writes a node's typed fields first, then the others it keeps: the wire's field order is its own.
  const canonicalWire = wire(infno, clone(canonical));
  const fields = fieldPaths(canonical);
  const optional = fields.filter((path) => {
    const without = clone(canonical);
    remove(without, path);
    return accepted(infno, without);
  });
  const numeric = fields.filter((path) => {
    const value = at(canonical, path);
    if (typeof value === 'number') return true;
    if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value)) return false;
    const asNumber = clone(canonical);
    set(asNumber, path, Number(value));
    return accepted(infno, asNumber) && wire(infno, asNumber) === canonicalWire;
  });
  const nodes = declaredNodes(INTERFACE_SCHEMAS[infno].inputNodes);

  it('sends the canonical example unchanged', () => {
    expect(validateInput(infno, clone(canonical))).toStrictEqual(canonical);
  });

  it('takes numbers as numbers or numeric strings exactly in its numeric fields', () => {
    const expected = NUMERIC_INPUT_FIELDS[infno] ?? [];
    expect([...new Set(numeric.map(fieldName))].sort()).toEqual([...expected].sort());
  });

  it('sends any variant (optional fields "", blank, null or absent; numbers in any spelling; other node forms) as the canonical message without those fields', () => {
    const run = counted(`${infno} inputs normalise to the same wire message`);
    const variant = fc.record({
      absences: fc.tuple(
        ...optional.map(() => fc.constantFrom<Absence>('keep', 'remove', 'empty', 'blank', 'null')),
      ),
      spellings: fc.tuple(...numeric.map(() => fc.nat({ max: 3 }))),
      otherForms: fc.tuple(...nodes.map(() => fc.boolean())),
    });
    fc.assert(
      fc.property(variant, (v) => {
        run();
        const given = clone(canonical);
        const expected = clone(canonical);
        numeric.forEach((path, index) => {
          set(given, path, spellings(at(canonical, path) as number | string)[v.spellings[index]]);
        });
        optional.forEach((path, index) => {
          const absence = v.absences[index];
          if (absence === 'keep') return;
          remove(expected, path);
          if (absence === 'remove') remove(given, path);
          else set(given, path, absence === 'empty' ? '' : absence === 'blank' ? '  ' : null);
        });
        nodes.forEach((node, index) => v.otherForms[index] && otherForm(given, node));
        // The canonical input without the fields not given is itself what goes on the wire.
        expect(validateInput(infno, clone(expected))).toStrictEqual(expected);
        expect(wire(infno, given)).toBe(wire(infno, expected));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
