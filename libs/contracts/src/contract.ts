import { z } from 'zod';
import { canonicalDecimal, decimalFormOf, inexactNumber } from './field-formats';

/** One message type at one schema version: where it travels, what its data looks like, an example. */
export interface Contract<Type extends string = string, Schema extends z.ZodTypeAny = z.ZodTypeAny> {
  readonly type: Type;
  readonly version: number;
  readonly topic: string;
  /** One line for the AsyncAPI document: what happened, in the business's words. */
  readonly summary: string;
  readonly data: Schema;
  /** A valid payload, validated when the registry is built and shown to integrators. */
  readonly example: z.input<Schema>;
  /** The data field whose value is the Kafka record's key and envelope.key: ipt_no (the visit) when not given. */
  readonly key?: string;
  /**
   * Lifts the data of the previous version (already valid against it) to this version's shape; required from
   * version 2 on. Consumers see every message in its newest version (see registry.validateData).
   */
  readonly upcast?: (previous: unknown) => z.input<Schema>;
}

/** The data field a contract's messages are keyed by. */
export function keyFieldOf(contract: Pick<Contract, 'key'>): string {
  return contract.key ?? 'ipt_no';
}

export function defineContract<const Type extends string, Schema extends z.ZodTypeAny>(
  contract: Contract<Type, Schema>,
): Contract<Type, Schema> {
  return contract;
}

/**
 * Extra JSON Schema keywords for a zod schema whose refinement the converter cannot read
 * (e.g. "psn_no or the certificate"), so that the AsyncAPI document states the same rule.
 */
const jsonSchemaExtras = new WeakMap<z.ZodTypeAny, Record<string, unknown>>();

export function withJsonSchema<S extends z.ZodTypeAny>(schema: S, extra: Record<string, unknown>): S {
  jsonSchemaExtras.set(schema, extra);
  return schema;
}

export function jsonSchemaExtraOf(schema: z.ZodTypeAny): Record<string, unknown> | undefined {
  return jsonSchemaExtras.get(schema);
}

/**
 * `path` is where the value sits, one array for the whole document: a normaliser pushes a key before it goes in and
 * pops it after, and an issue takes a copy. A new path per field was 5 % of what fee-detail allocated under load (6 Dec).
 */
type Normalise = (value: unknown, path: (string | number)[], ctx: z.RefinementCtx) => unknown;

const normalisers = new WeakMap<z.ZodTypeAny, Normalise>();

const keep: Normalise = (value) => value;

/**
 * The schema of `schema` as a HIS may fill it, normalised before the schema's own checks (which stay as they
 * are, so a service reads the canonical form and nothing downstream changes):
 * - `""` or null in an optional field means "not given": the field is dropped. In a required field it is
 *   dropped too, so that the field is reported as required;
 * - a whole number sent as a numeric string ("1") becomes the number;
 * - money, quantity and price sent as a JSON number or a numeric string become the canonical decimal string
 *   (see canonicalDecimal); more fraction digits than the precision are refused, never rounded;
 * - a code of a closed list sent as a JSON number (maindiag_flag: 1) becomes the code when it is one;
 * - one object (or value) where a list is expected becomes a one-element list.
 * Free codes sent as numbers stay refused: 0301 read as 301 would be another department.
 */
export function tolerantOf<S extends z.ZodTypeAny>(schema: S): z.ZodEffects<S, z.output<S>, unknown> {
  const normalise = normaliserOf(schema);
  return z.preprocess((value, ctx) => normalise(value, [], ctx), schema);
}

function normaliserOf(schema: z.ZodTypeAny): Normalise {
  let normalise = normalisers.get(schema);
  if (!normalise) {
    normalise = compile(schema);
    normalisers.set(schema, normalise);
  }
  return normalise;
}

function compile(schema: z.ZodTypeAny): Normalise {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
    return normaliserOf(schema.unwrap());
  if (schema instanceof z.ZodDefault) return normaliserOf(schema.removeDefault());
  if (schema instanceof z.ZodEffects) return normaliserOf(schema.innerType());
  if (schema instanceof z.ZodObject) return objectNormaliser(schema);
  if (schema instanceof z.ZodArray) return arrayNormaliser(schema);
  if (schema instanceof z.ZodNumber) return wholeNumberOf;
  if (schema instanceof z.ZodEnum) return enumCodeOf(schema.options as string[]);
  if (schema instanceof z.ZodString) {
    const form = decimalFormOf(schema);
    if (form) {
      return (value, path, ctx) => {
        const inexact = typeof value === 'number' ? inexactNumber(value, form) : undefined;
        if (inexact) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...path], message: inexact });
        return typeof value === 'number' || typeof value === 'string' ? canonicalDecimal(value, form) : value;
      };
    }
  }
  return keep;
}

function objectNormaliser(schema: z.AnyZodObject): Normalise {
  const fields = Object.entries<z.ZodTypeAny>(schema.shape).map(
    ([name, field]) =>
      [
        name,
        { normalise: normaliserOf(field), nullable: acceptsNull(field), optional: isOptionalField(field) },
      ] as const,
  );
  const byName = new Map(fields);
  return (value, path, ctx) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const result: Record<string, unknown> = {};
    for (const name of Object.keys(value)) {
      const given = (value as Record<string, unknown>)[name];
      const field = byName.get(name);
      // An unknown field is kept, so that the strict schema names it.
      if (!field) result[name] = given;
      else if (given === '' || (given === null && !field.nullable)) {
        if (!field.optional) {
          const message = `Required (${JSON.stringify(given)} means not given)`;
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...path, name], message, params: NOT_GIVEN });
        }
      } else {
        path.push(name);
        result[name] = field.normalise(given, path, ctx);
        path.pop();
      }
    }
    return result;
  };
}

function arrayNormaliser(schema: z.ZodArray<z.ZodTypeAny>): Normalise {
  const item = normaliserOf(schema.element);
  return (value, path, ctx) => {
    if (value === undefined || value === null) return value;
    const list = Array.isArray(value) ? value : [value];
    return list.map((element, i) => {
      path.push(i);
      const normalised = item(element, path, ctx);
      path.pop();
      return normalised;
    });
  };
}

const wholeNumberOf: Normalise = (value) => {
  if (typeof value !== 'string' || !/^\s*-?\d+\s*$/.test(value)) return value;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value;
};

function enumCodeOf(options: readonly string[]): Normalise {
  return (value) => (typeof value === 'number' && options.includes(String(value)) ? String(value) : value);
}

const NOT_GIVEN = { notGiven: true };

/** The issue of a required field given as "" or null (reported instead of the field's "Required"). */
export function isNotGiven(issue: z.ZodIssue): boolean {
  return issue.code === z.ZodIssueCode.custom && issue.params?.notGiven === true;
}

function isOptionalField(schema: z.ZodTypeAny): boolean {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) return true;
  if (schema instanceof z.ZodNullable) return isOptionalField(schema.unwrap());
  return schema instanceof z.ZodEffects && isOptionalField(schema.innerType());
}

function acceptsNull(schema: z.ZodTypeAny): boolean {
  if (schema instanceof z.ZodNullable) return true;
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault)
    return acceptsNull(schema._def.innerType);
  if (schema instanceof z.ZodEffects) return acceptsNull(schema.innerType());
  return false;
}
