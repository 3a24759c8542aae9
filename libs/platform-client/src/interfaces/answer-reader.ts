import { NOT_READ, listReader } from '@yb/contracts';
import { type z } from 'zod';

// A platform answer read without zod when it is already in the form zod would give back (every 2301 answer
// the platform sends, line by line: zod's effects, closures and issues cost ≈ 0.4 ms per line on the 2-core
// machine, most of fee-detail's parsing). An output schema is compiled once into plain functions that walk
// the answer as zod would (objects, arrays, optional fields, the answer fields tagged below); at anything they
// are not sure of — a value not already canonical, a field missing, a schema kind they do not know — they give
// up and readOutput asks zod, so the tolerant reading and its problems stay zod's alone.

/** Returned by a reader that leaves the value to zod (the contracts' compiled readers' own mark). */
export const ASK_ZOD: typeof NOT_READ = NOT_READ;

/** Reads one node as its schema would, or gives up (ASK_ZOD). */
export type NodeReader = (value: unknown) => unknown;

const leafReaders = new WeakMap<z.ZodTypeAny, NodeReader>();
const compiled = new WeakMap<z.ZodTypeAny, NodeReader | null>();

/**
 * Tags an answer field's schema with a reader that returns exactly what the schema's parse would for the values
 * it accepts, and ASK_ZOD for every other.
 */
export function withFastReader<S extends z.ZodTypeAny>(schema: S, reader: NodeReader): S {
  leafReaders.set(schema, reader);
  return schema;
}

/** The schema's compiled reader; null when the schema holds a kind the compiler does not know. */
export function fastReaderOf(schema: z.ZodTypeAny): NodeReader | null {
  let reader = compiled.get(schema);
  if (reader === undefined) {
    reader = compile(schema);
    compiled.set(schema, reader);
  }
  return reader;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]';
}

// zod's internals as of zod 3 (_def.typeName and the definitions' fields); an unknown kind is not compiled.
type Def = {
  typeName?: string;
  unknownKeys?: string;
  catchall?: z.ZodTypeAny;
  type?: z.ZodTypeAny;
  innerType?: z.ZodTypeAny;
  minLength?: unknown;
  maxLength?: unknown;
  exactLength?: unknown;
};

function compile(schema: z.ZodTypeAny): NodeReader | null {
  const leaf = leafReaders.get(schema);
  if (leaf) return leaf;
  const def = schema._def as Def;
  switch (def.typeName) {
    case 'ZodUnknown':
    case 'ZodAny':
      return (value) => value;
    case 'ZodOptional': {
      const inner = compile(def.innerType as z.ZodTypeAny);
      return inner && ((value) => (value === undefined ? undefined : inner(value)));
    }
    case 'ZodArray': {
      if (def.minLength != null || def.maxLength != null || def.exactLength != null) return null;
      const item = compile(def.type as z.ZodTypeAny);
      return item && listReader(item);
    }
    case 'ZodObject':
      return objectReader(schema as z.AnyZodObject, def);
    default:
      return null;
  }
}

function objectReader(schema: z.AnyZodObject, def: Def): NodeReader | null {
  if ((def.catchall?._def as Def | undefined)?.typeName !== 'ZodNever') return null;
  const keepUnknown = def.unknownKeys === 'passthrough';
  if (!keepUnknown && def.unknownKeys !== 'strip') return null;
  const fields: { key: string; read: NodeReader }[] = [];
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodTypeAny>)) {
    const read = compile(field);
    if (!read) return null;
    fields.push({ key, read });
  }
  const known = new Set(fields.map((f) => f.key));
  return (value) => {
    if (!isPlainObject(value)) return ASK_ZOD;
    // zod's order: the shape's fields, then (passthrough) the others as they came.
    const read: Record<string, unknown> = {};
    for (const { key, read: readField } of fields) {
      const given = key in value;
      const one = readField(given ? value[key] : undefined);
      if (one === ASK_ZOD) return ASK_ZOD;
      if (one !== undefined || given) read[key] = one;
    }
    for (const key of Object.keys(value)) {
      // zod never sets __proto__: left to it.
      if (key === '__proto__') return ASK_ZOD;
      if (keepUnknown && !known.has(key)) read[key] = value[key];
    }
    return read;
  };
}

/** A decimal in the form Decimal#toFixed() gives it: no sign on zero, no leading or trailing zeros, no exponent. */
const CANONICAL_DECIMAL = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;

/** outDecimal's fast reader: a number or string already canonical is what zod would give; others go to zod. */
export function readCanonicalDecimal(value: unknown): unknown {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : null;
  return text !== null && text !== '-0' && CANONICAL_DECIMAL.test(text) ? text : ASK_ZOD;
}

/** outStr's fast reader: a non-empty string as it is, a number as its text; others go to zod. */
export function readAnswerString(value: unknown): unknown {
  if (typeof value === 'string') return value === '' ? ASK_ZOD : value;
  return typeof value === 'number' && !Number.isNaN(value) ? String(value) : ASK_ZOD;
}
