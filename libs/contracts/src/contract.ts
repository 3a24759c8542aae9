import { type z } from 'zod';

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
  /**
   * Lifts the data of the previous version (already valid against it) to this version's shape; required from
   * version 2 on. Consumers see every message in its newest version (see registry.validateData).
   */
  readonly upcast?: (previous: unknown) => z.input<Schema>;
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
