import { type z } from 'zod';

// A schema compiled once into plain functions that read a value exactly as the schema's parse would, without
// zod's per-node contexts, status objects and issue arrays: the HIS's and our own messages (registry), the
// platform's answers and the requests we send it (platform-client's validation). zod was 5.5 % of fee-detail's
// busy time in the profile, most of it reading the HIS's fee messages; 1.0 % with the readers. The schema stays
// the single source: the reader is made from it, and where the reader is not sure — a value zod might refuse, a
// schema kind it does not know — it gives up (NOT_READ) and the caller asks zod, so zod alone words every
// problem. Kinds it does not know are not a reason to give up the whole value: that part is read by its own
// schema's safeParse. A leaf whose compiled reading is slow for the values it most often takes (a tolerant
// answer field's transform) can carry a reader for those (withLeafReader).
// compiled-reader.spec.ts holds reader ≡ zod on generated inputs; platform-client's answer-reader.spec.ts on the
// platform's schemas. `npm run bench:compiled-readers` prints the readers' cost beside zod's.

/** Returned by a reader that leaves the value to zod (zod may refuse it). */
export const NOT_READ: unique symbol = Symbol('not read');

/** Reads a value as its schema's parse would, or gives up (NOT_READ). */
export type CompiledReader = (value: unknown) => unknown;

const compiled = new WeakMap<z.ZodTypeAny, CompiledReader>();
const leafReaders = new WeakMap<z.ZodTypeAny, CompiledReader>();

/**
 * Tags a schema with a reader written for the values most often given, asked first wherever the schema appears:
 * it must return exactly what the schema's parse returns for every value it reads, and NOT_READ for every other
 * (those are read as the schema is compiled, and by zod where that gives up).
 */
export function withLeafReader<S extends z.ZodTypeAny>(schema: S, reader: CompiledReader): S {
  leafReaders.set(schema, reader);
  return schema;
}

/** The schema's reader, compiled on first use. */
export function compiledReaderOf(schema: z.ZodTypeAny): CompiledReader {
  let reader = compiled.get(schema);
  if (!reader) {
    reader = withLeafReaderFirst(schema, compile(schema));
    compiled.set(schema, reader);
  }
  return reader;
}

function withLeafReaderFirst(schema: z.ZodTypeAny, reader: CompiledReader): CompiledReader {
  const leaf = leafReaders.get(schema);
  if (!leaf) return reader;
  return (value) => {
    const read = leaf(value);
    return read === NOT_READ ? reader(value) : read;
  };
}

/** The schema's parse of `value`: the compiled reader's output, or zod's when the reader gave up. */
export function readWith<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
): z.SafeParseReturnType<unknown, z.output<S>> {
  const read = compiledReaderOf(schema)(value);
  return read === NOT_READ ? schema.safeParse(value) : { success: true, data: read as z.output<S> };
}

// zod 3's internals (_def.typeName and the definitions' fields, as of zod 3.25); anything else is zod's to read.
interface Check {
  kind: string;
  value?: unknown;
  inclusive?: boolean;
  regex?: RegExp;
}
interface Def {
  typeName?: string;
  coerce?: boolean;
  checks?: Check[];
  innerType?: z.ZodTypeAny;
  schema?: z.ZodTypeAny;
  type?: z.ZodTypeAny;
  values?: readonly unknown[];
  value?: unknown;
  unknownKeys?: string;
  catchall?: z.ZodTypeAny;
  discriminator?: string;
  minLength?: { value: number } | null;
  maxLength?: { value: number } | null;
  exactLength?: { value: number } | null;
  defaultValue?: () => unknown;
  effect?: {
    type: 'refinement' | 'transform' | 'preprocess';
    refinement?: (value: unknown, ctx: z.RefinementCtx) => unknown;
    transform?: (value: unknown, ctx: z.RefinementCtx) => unknown;
  };
}

function compile(schema: z.ZodTypeAny): CompiledReader {
  const def = schema._def as Def;
  switch (def.typeName) {
    case 'ZodUnknown':
    case 'ZodAny':
      return (value) => value;
    case 'ZodString':
      return def.coerce ? byZod(schema) : stringReader(schema, def.checks ?? []);
    case 'ZodNumber':
      return def.coerce ? byZod(schema) : numberReader(schema, def.checks ?? []);
    case 'ZodBoolean':
      return def.coerce ? byZod(schema) : (value) => (typeof value === 'boolean' ? value : NOT_READ);
    case 'ZodNull':
      return (value) => (value === null ? null : NOT_READ);
    case 'ZodLiteral': {
      const literal = def.value;
      return (value) => (value === literal ? value : NOT_READ);
    }
    case 'ZodEnum': {
      const options = new Set(def.values);
      return (value) => (typeof value === 'string' && options.has(value) ? value : NOT_READ);
    }
    case 'ZodOptional': {
      const inner = compiledReaderOf(def.innerType!);
      return (value) => (value === undefined ? undefined : inner(value));
    }
    case 'ZodNullable': {
      const inner = compiledReaderOf(def.innerType!);
      return (value) => (value === null ? null : inner(value));
    }
    case 'ZodDefault': {
      const inner = compiledReaderOf(def.innerType!);
      const defaultValue = def.defaultValue!;
      return (value) => inner(value === undefined ? defaultValue() : value);
    }
    case 'ZodArray':
      return arrayReader(compiledReaderOf(def.type!), def);
    case 'ZodObject':
      return objectReader(schema as z.AnyZodObject, def);
    case 'ZodDiscriminatedUnion':
      return discriminatedReader(schema, def);
    case 'ZodEffects':
      return effectsReader(compiledReaderOf(def.schema!), def);
    default:
      return byZod(schema);
  }
}

/** A part of the schema the compiler does not know, read by zod itself (exact by definition). */
function byZod(schema: z.ZodTypeAny): CompiledReader {
  return (value) => {
    const result = schema.safeParse(value);
    return result.success ? result.data : NOT_READ;
  };
}

function stringReader(schema: z.ZodTypeAny, checks: readonly Check[]): CompiledReader {
  const tests: ((text: string) => boolean)[] = [];
  for (const check of checks) {
    const n = check.value as number;
    switch (check.kind) {
      case 'min':
        tests.push((text) => text.length >= n);
        break;
      case 'max':
        tests.push((text) => text.length <= n);
        break;
      case 'length':
        tests.push((text) => text.length === n);
        break;
      case 'regex': {
        const regex = check.regex!;
        // As zod does: a global or sticky pattern starts from the beginning every time.
        tests.push((text) => {
          regex.lastIndex = 0;
          return regex.test(text);
        });
        break;
      }
      default:
        // uuid, datetime, trim, …: the whole string is zod's to read (some change the value).
        return byZod(schema);
    }
  }
  return (value) => {
    if (typeof value !== 'string') return NOT_READ;
    for (const test of tests) if (!test(value)) return NOT_READ;
    return value;
  };
}

function numberReader(schema: z.ZodTypeAny, checks: readonly Check[]): CompiledReader {
  const tests: ((n: number) => boolean)[] = [];
  for (const check of checks) {
    const bound = check.value as number;
    switch (check.kind) {
      case 'int':
        tests.push((n) => Number.isInteger(n));
        break;
      case 'min':
        tests.push(check.inclusive ? (n) => n >= bound : (n) => n > bound);
        break;
      case 'max':
        tests.push(check.inclusive ? (n) => n <= bound : (n) => n < bound);
        break;
      case 'finite':
        tests.push((n) => Number.isFinite(n));
        break;
      default:
        return byZod(schema);
    }
  }
  return (value) => {
    if (typeof value !== 'number' || Number.isNaN(value)) return NOT_READ;
    for (const test of tests) if (!test(value)) return NOT_READ;
    return value;
  };
}

/** A list within the array schema's bounds, each item read by `item`; NOT_READ when one is not (or no list). */
function arrayReader(item: CompiledReader, def: Def): CompiledReader {
  // zod checks each bound it has: exact, then min, then max.
  const min = Math.max(def.exactLength?.value ?? 0, def.minLength?.value ?? 0);
  const max = Math.min(def.exactLength?.value ?? Infinity, def.maxLength?.value ?? Infinity);
  return (value) => {
    if (!Array.isArray(value) || value.length < min || value.length > max) return NOT_READ;
    const read = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const one = item(value[i]);
      if (one === NOT_READ) return NOT_READ;
      read[i] = one;
    }
    return read;
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function objectReader(schema: z.AnyZodObject, def: Def): CompiledReader {
  if ((def.catchall?._def as Def | undefined)?.typeName !== 'ZodNever') return byZod(schema);
  const unknownKeys = def.unknownKeys;
  if (unknownKeys !== 'strip' && unknownKeys !== 'strict' && unknownKeys !== 'passthrough')
    return byZod(schema);
  const fields = Object.entries(schema.shape as Record<string, z.ZodTypeAny>).map(([key, field]) => ({
    key,
    read: compiledReaderOf(field),
  }));
  const known = new Set(fields.map((f) => f.key));
  return (value) => {
    if (!isPlainObject(value)) return NOT_READ;
    // zod's order: the shape's fields (set when read as defined or given at all), then (passthrough) the others.
    const read: Record<string, unknown> = {};
    for (const { key, read: readField } of fields) {
      const one = readField(value[key]);
      if (one === NOT_READ) return NOT_READ;
      if (one !== undefined || key in value) read[key] = one;
    }
    if (unknownKeys !== 'strip') {
      for (const key of Object.keys(value)) {
        if (known.has(key)) continue;
        // strict refuses it; zod never sets __proto__: both are zod's to say.
        if (unknownKeys === 'strict' || key === '__proto__') return NOT_READ;
        read[key] = value[key];
      }
    }
    return read;
  };
}

function discriminatedReader(schema: z.ZodTypeAny, def: Def): CompiledReader {
  const options = (schema as z.ZodDiscriminatedUnion<string, z.AnyZodObject[]>).optionsMap;
  const readers = new Map([...options].map(([tag, option]) => [tag, compiledReaderOf(option)]));
  const discriminator = def.discriminator!;
  return (value) => {
    if (!isPlainObject(value)) return NOT_READ;
    const reader = readers.get(value[discriminator] as z.Primitive);
    return reader ? reader(value) : NOT_READ;
  };
}

/**
 * A refinement, transform or preprocess run as zod runs it, with a context that only notes whether an issue was
 * added (then zod words it). An async effect is zod's.
 */
function effectsReader(inner: CompiledReader, def: Def): CompiledReader {
  const effect = def.effect!;
  let issues = 0;
  const ctx = {
    addIssue: () => void issues++,
    path: [],
  } as unknown as z.RefinementCtx;
  const run = (fn: (value: unknown, ctx: z.RefinementCtx) => unknown, value: unknown) => {
    issues = 0;
    const result = fn(value, ctx);
    return issues > 0 || result instanceof Promise ? NOT_READ : result;
  };
  switch (effect.type) {
    case 'preprocess':
      return (value) => {
        const processed = run(effect.transform!, value);
        return processed === NOT_READ ? NOT_READ : inner(processed);
      };
    case 'transform':
      return (value) => {
        const base = inner(value);
        return base === NOT_READ ? NOT_READ : run(effect.transform!, base);
      };
    case 'refinement':
      return (value) => {
        const base = inner(value);
        return base === NOT_READ || run(effect.refinement!, base) === NOT_READ ? NOT_READ : base;
      };
    default:
      return () => NOT_READ;
  }
}

/** The schema's parse of `value`, throwing zod's error when it refuses it (the reader first, as readWith). */
export function parseWith<S extends z.ZodTypeAny>(schema: S, value: unknown): z.output<S> {
  const read = compiledReaderOf(schema)(value);
  return read === NOT_READ ? (schema.parse(value) as z.output<S>) : (read as z.output<S>);
}
