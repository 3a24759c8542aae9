import fc from 'fast-check';
import { z } from 'zod';
import { type Contract } from './contract';
import { createEnvelope } from './envelope';
import { decimalFormOf } from './field-formats';
import { FeeLinesChargedV1, PatientAdmittedV1 } from './his-inpatient';
import { CONTRACTS, HIS_TOPICS, MessageValidationError, acceptedSchemaOf, parseMessage } from './registry';

// The HIS edge, property-tested over every contract the HIS writes: whatever a HIS makes of a contract's
// example ("" / null / absent for optional fields, numbers as strings, decimals as JSON numbers, one object
// for a one-element list), the services read the same data as from the canonical example.

const HIS_CONTRACTS = (CONTRACTS as readonly Contract[]).filter((c) => HIS_TOPICS.has(c.topic));
const RUNS_PER_CONTRACT = 300;

type Path = readonly (string | number)[];
type Json = Record<string, unknown>;

/** One place of the example a HIS may write differently, with the ways it may. */
interface Site {
  readonly path: Path;
  /** The variants, each with whether the field then counts as "not given". */
  readonly variants: readonly { readonly value: unknown; readonly notGiven: boolean }[];
}

const ABSENT = Symbol('absent');
const KEEP = Symbol('as in the example');
const UNWRAP = Symbol('one element as itself');

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return unwrap(schema.unwrap());
  if (schema instanceof z.ZodEffects) return unwrap(schema.innerType());
  return schema;
}

function isOptional(schema: z.ZodTypeAny): boolean {
  if (schema instanceof z.ZodOptional) return true;
  return schema instanceof z.ZodEffects && isOptional(schema.innerType());
}

/** Every site of `value` (valid against `schema`) and of the optional fields it leaves out. */
function sitesOf(schema: z.ZodTypeAny, value: unknown, path: Path = []): Site[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    const object = value as Json;
    return Object.entries<z.ZodTypeAny>(inner.shape).flatMap(([name, field]) => {
      const here = [...path, name];
      const given = name in object;
      const own: Site[] = isOptional(field)
        ? [
            {
              path: here,
              variants: [
                ...(given ? [{ value: KEEP, notGiven: false }] : []),
                { value: ABSENT, notGiven: true },
                { value: '', notGiven: true },
                { value: null, notGiven: true },
              ],
            },
          ]
        : [];
      // The field's own forms before its presence: "not given" must be applied last, over a number written as text.
      return given ? [...valueSites(field, object[name], here), ...own] : own;
    });
  }
  return [];
}

/** The sites of a given value: its number, decimal, code and list forms, then what it contains. */
function valueSites(schema: z.ZodTypeAny, value: unknown, path: Path): Site[] {
  const inner = unwrap(schema);
  const same = { value: KEEP, notGiven: false };
  if (inner instanceof z.ZodNumber && typeof value === 'number') {
    return [{ path, variants: [same, { value: String(value), notGiven: false }] }];
  }
  if (inner instanceof z.ZodString && typeof value === 'string' && decimalFormOf(inner)) {
    const padded = value.includes('.') ? `${value}00` : `${value}.00`;
    return [
      {
        path,
        variants: [same, { value: Number(value), notGiven: false }, { value: padded, notGiven: false }],
      },
    ];
  }
  if (inner instanceof z.ZodEnum && typeof value === 'string' && String(Number(value)) === value) {
    return [{ path, variants: [same, { value: Number(value), notGiven: false }] }];
  }
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    const elements = value.flatMap((element, i) => valueSites(inner.element, element, [...path, i]));
    // One element may come as the element itself; its own sites then apply to the list's first element.
    const single: Site[] =
      value.length === 1 ? [{ path, variants: [same, { value: UNWRAP, notGiven: false }] }] : [];
    return [...elements, ...single];
  }
  return sitesOf(inner, value, path);
}

function setAt(root: Json, path: Path, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === ABSENT) delete node[last];
  else node[last] = value;
}

/** The example written with the chosen variants, and the canonical example without the fields not given. */
function apply(example: unknown, sites: readonly Site[], choices: readonly number[]) {
  const written = structuredClone(example) as Json;
  const canonical = structuredClone(example) as Json;
  // Innermost first, so that a list unwrapped last still carries its element's variants.
  const chosen = sites.map((site, i) => ({ site, variant: site.variants[choices[i]!]! }));
  for (const { site, variant } of [...chosen].sort((a, b) => b.site.path.length - a.site.path.length)) {
    if (variant.value === KEEP) continue;
    if (variant.value === UNWRAP) {
      const list = site.path.reduce<unknown>((node, step) => (node as Json)[step], written) as unknown[];
      setAt(written, site.path, list[0]);
    } else setAt(written, site.path, variant.value);
    if (variant.notGiven) setAt(canonical, site.path, ABSENT);
  }
  return { written, canonical };
}

function envelopeOf(contract: Contract, data: unknown) {
  return createEnvelope({ type: contract.type, schemaVersion: contract.version, key: 'ZY20240501001', data });
}

/** The data a service reads, or the issues it is refused with. */
function read(contract: Contract, data: unknown): { data: unknown } | { issues: readonly string[] } {
  try {
    return { data: parseMessage(envelopeOf(contract, data)).data };
  } catch (err) {
    if (err instanceof MessageValidationError) return { issues: err.issues };
    throw err;
  }
}

const runs = { total: 0, accepted: 0 };

afterAll(() => {
  // The figures the issue asks for; printed so that a run shows them.
  console.log(
    `HIS edge properties: ${HIS_CONTRACTS.length} contracts, ${runs.total} runs, ${runs.accepted} read as the canonical example`,
  );
});

describe('the HIS edge reads what a HIS writes as its canonical form', () => {
  it('covers every contract the HIS writes', () => {
    expect(HIS_CONTRACTS.map((c) => c.type)).toEqual(
      expect.arrayContaining(['PatientAdmitted', 'FeeLinesCharged', 'MedicalRecordHomepageRecorded']),
    );
  });

  it.each(HIS_CONTRACTS.map((c) => [`${c.type} v${c.version}`, c] as const))(
    '%s: optional fields as ""/null/absent, numbers as strings, decimals as numbers, one object for a list',
    (_name, contract) => {
      // A contract of required text fields only (AdmissionCancelled) has nothing to vary but its example.
      const sites = sitesOf(contract.data, contract.example);
      const choices = fc.tuple(...sites.map((site) => fc.nat({ max: site.variants.length - 1 })));
      fc.assert(
        fc.property(choices, (chosen) => {
          const { written, canonical } = apply(contract.example, sites, chosen);
          const expected = read(contract, canonical);
          runs.total += 1;
          if ('data' in expected) runs.accepted += 1;
          expect(read(contract, written)).toEqual(expected);
        }),
        { numRuns: RUNS_PER_CONTRACT },
      );
    },
  );
});

/** Paths of the required fields of the example's objects (each list's first element stands for the list). */
function requiredPaths(schema: z.ZodTypeAny, value: unknown, path: Path = []): Path[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodArray && Array.isArray(value) && value.length > 0) {
    return requiredPaths(inner.element, value[0], [...path, 0]);
  }
  if (!(inner instanceof z.ZodObject)) return [];
  return Object.entries<z.ZodTypeAny>(inner.shape).flatMap(([name, field]) => {
    const given = (value as Json)[name];
    const here = [...path, name];
    const nested = given === undefined ? [] : requiredPaths(field, given, here);
    return isOptional(field) ? nested : [here, ...nested];
  });
}

const pathText = (path: Path) =>
  ['data', ...path].map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

describe('a required field stays required', () => {
  it.each(HIS_CONTRACTS.map((c) => [`${c.type} v${c.version}`, c] as const))(
    '%s: "" or null in any required field is refused, naming the field',
    (_name, contract) => {
      const paths = requiredPaths(contract.data, contract.example);
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) {
        for (const empty of ['', null]) {
          const data = structuredClone(contract.example) as Json;
          setAt(data, path, empty);
          const result = read(contract, data);
          expect({ path, result }).toEqual({
            path,
            result: {
              issues: expect.arrayContaining([
                `${pathText(path)}: Required (${JSON.stringify(empty)} means not given)`,
              ]),
            },
          });
        }
      }
    },
  );
});

describe('decimals at the HIS edge', () => {
  const line = FeeLinesChargedV1.example.lines[0];
  const charged = (changes: Json) =>
    read(FeeLinesChargedV1, { ipt_no: 'ZY1', lines: [{ ...line, ...changes }] });

  it('reads money as a number or a numeric string into its 16,2 form', () => {
    for (const amount of [36.6, '36.6', '036.60', ' 36.6 ', '36.6000']) {
      expect(charged({ det_item_fee_sumamt: amount })).toMatchObject({
        data: { lines: [{ det_item_fee_sumamt: '36.60' }] },
      });
    }
  });

  it('refuses more decimals than the precision instead of rounding', () => {
    for (const amount of [36.601, '36.601']) {
      expect(charged({ det_item_fee_sumamt: amount })).toEqual({
        issues: [
          expect.stringMatching(/^data\.lines\[0\]\.det_item_fee_sumamt: must be a signed decimal string/),
        ],
      });
    }
    expect(charged({ pric: 18.1234567 })).toEqual({
      issues: [
        expect.stringMatching(
          /^data\.lines\[0\]\.pric: must be a decimal string with at most 10 integer and 6/,
        ),
      ],
    });
  });

  it('refuses a JSON number too large to be exact, asking for a string', () => {
    // The float nearest to this amount is not it: as a JSON number it cannot stand for 16,2 money.
    const tooLarge = Number('98765432109876.54');
    expect(charged({ det_item_fee_sumamt: tooLarge })).toEqual({
      issues: expect.arrayContaining([
        `data.lines[0].det_item_fee_sumamt: ${tooLarge} cannot be read exactly as a JSON number: send it as a decimal string`,
      ]),
    });
    expect(charged({ det_item_fee_sumamt: '98765432109876.54' })).toMatchObject({
      data: { lines: [{ det_item_fee_sumamt: '98765432109876.54' }] },
    });
  });

  it('keeps free codes sent as numbers refused: 0301 read as 301 would be another department', () => {
    expect(charged({ bilg_dept_codg: 301 })).toEqual({
      issues: ['data.lines[0].bilg_dept_codg: Expected string, received number'],
    });
  });
});

describe('what stays strict at the HIS edge', () => {
  it('still refuses a field the contract does not know, even empty', () => {
    expect(read(PatientAdmittedV1, { ...PatientAdmittedV1.example, med_tpye: '' })).toEqual({
      issues: ["data: Unrecognized key(s) in object: 'med_tpye'"],
    });
  });

  it('reads what our services write as strictly as it is written', () => {
    const ours = (CONTRACTS as readonly Contract[]).filter((c) => !HIS_TOPICS.has(c.topic));
    expect(ours.length).toBeGreaterThan(0);
    for (const contract of ours) expect(acceptedSchemaOf(contract)).toBe(contract.data);
  });
});
