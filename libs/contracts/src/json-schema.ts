import { z } from 'zod';
import { jsonSchemaExtraOf } from './contract';

export type JsonSchema = Record<string, unknown>;

/**
 * Converts the zod features the contracts use into JSON Schema (draft-07, as AsyncAPI 2.6 embeds it).
 * Anything else throws, so that a new zod feature cannot silently vanish from the published document.
 */
export function toJsonSchema(schema: z.ZodTypeAny): JsonSchema {
  const converted = convert(schema);
  const extra = jsonSchemaExtraOf(schema);
  const description = schema.description;
  return {
    ...converted,
    ...(description !== undefined && { description }),
    ...extra,
  };
}

function convert(schema: z.ZodTypeAny): JsonSchema {
  if (schema instanceof z.ZodObject) return convertObject(schema);
  if (schema instanceof z.ZodString) return convertString(schema);
  if (schema instanceof z.ZodNumber) return convertNumber(schema);
  if (schema instanceof z.ZodBoolean) return { type: 'boolean' };
  if (schema instanceof z.ZodArray) {
    const def = schema._def;
    return {
      type: 'array',
      items: toJsonSchema(def.type),
      ...(def.minLength && { minItems: def.minLength.value }),
      ...(def.maxLength && { maxItems: def.maxLength.value }),
    };
  }
  if (schema instanceof z.ZodEnum) return { type: 'string', enum: [...schema.options] };
  if (schema instanceof z.ZodLiteral) return { const: schema.value };
  if (schema instanceof z.ZodNullable) {
    const inner = toJsonSchema(schema.unwrap());
    return { anyOf: [inner, { type: 'null' }] };
  }
  // Optionality is expressed by the parent object's `required` list.
  if (schema instanceof z.ZodOptional) return toJsonSchema(schema.unwrap());
  if (schema instanceof z.ZodDefault) {
    return { ...toJsonSchema(schema.removeDefault()), default: schema._def.defaultValue() };
  }
  // A refinement keeps its inner shape; its rule is stated through withJsonSchema where it matters.
  if (schema instanceof z.ZodEffects) return toJsonSchema(schema.innerType());
  if (schema instanceof z.ZodUnknown) return {};
  throw new Error(`toJsonSchema: unsupported zod type ${(schema._def as { typeName?: string }).typeName}`);
}

function convertObject(schema: z.AnyZodObject): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries<z.ZodTypeAny>(schema.shape)) {
    properties[name] = toJsonSchema(field);
    if (!field.isOptional()) required.push(name);
  }
  return {
    type: 'object',
    properties,
    ...(required.length > 0 && { required }),
    ...(schema._def.unknownKeys === 'strict' && { additionalProperties: false }),
  };
}

function convertString(schema: z.ZodString): JsonSchema {
  const result: JsonSchema = { type: 'string' };
  for (const check of schema._def.checks) {
    switch (check.kind) {
      case 'min':
        result.minLength = check.value;
        break;
      case 'max':
        result.maxLength = check.value;
        break;
      case 'length':
        result.minLength = check.value;
        result.maxLength = check.value;
        break;
      case 'regex':
        result.pattern = check.regex.source;
        break;
      case 'uuid':
        result.format = 'uuid';
        break;
      case 'datetime':
        result.format = 'date-time';
        break;
      default:
        throw new Error(`toJsonSchema: unsupported string check ${check.kind}`);
    }
  }
  return result;
}

function convertNumber(schema: z.ZodNumber): JsonSchema {
  const result: JsonSchema = { type: 'number' };
  for (const check of schema._def.checks) {
    switch (check.kind) {
      case 'int':
        result.type = 'integer';
        break;
      case 'min':
        result[check.inclusive ? 'minimum' : 'exclusiveMinimum'] = check.value;
        break;
      case 'max':
        result[check.inclusive ? 'maximum' : 'exclusiveMaximum'] = check.value;
        break;
      default:
        throw new Error(`toJsonSchema: unsupported number check ${check.kind}`);
    }
  }
  return result;
}
