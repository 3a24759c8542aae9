import { BadRequestException } from '@nestjs/common';
import { SETTLEMENT_SAGA_STATES } from '@yb/contracts';
import { z } from 'zod';
import { VISIT_STATES } from '../read-model/visits.read-model';

/** A calendar date that exists (2024-02-30 does not: PostgreSQL would refuse it with a 500). */
export const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date yyyy-MM-dd' })
  .refine(
    (value) => {
      const date = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) && value >= '1900';
    },
    { message: 'must be a date that exists' },
  );

/** Whether `value` holds a control character (line breaks and tabs allowed when asked for). */
export function hasControlCharacter(value: string, allowLineBreaks = false): boolean {
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (
      (code < 0x20 || code === 0x7f) &&
      !(allowLineBreaks && (char === '\n' || char === '\r' || char === '\t'))
    )
      return true;
  }
  return false;
}

/** Free text of a filter or an id: bounded, and no control character (PostgreSQL refuses NUL in text). */
export const text = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((value) => !hasControlCharacter(value), { message: 'must not hold control characters' });

export const pageSchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(20),
});

/** Filters shared by the lists: date range (inclusive), department, insurance type, state. */
export const listFilterSchema = pageSchema.extend({
  from: day.optional(),
  to: day.optional(),
  department: text(30).optional(),
  insutype: text(6).optional(),
});

export const visitFilterSchema = listFilterSchema.extend({
  state: z.enum(VISIT_STATES).optional(),
  in_hospital: z.enum(['true', 'false']).optional(),
});

export const sagaFilterSchema = pageSchema.extend({
  state: z.enum(SETTLEMENT_SAGA_STATES).optional(),
});

export const findingFilterSchema = listFilterSchema.extend({
  status: z.enum(['open', 'acknowledged']).optional(),
  blocking: z.enum(['true', 'false']).optional(),
});

export const reportFilterSchema = pageSchema.extend({
  state: z.enum(['PENDING', 'UPLOADED', 'REJECTED']).optional(),
  infno: text(5).optional(),
});

export const healthFilterSchema = z.object({ from: day.optional(), to: day.optional() });
export const overviewSchema = z.object({
  date: day.optional(),
  days: z.coerce.number().int().min(1).max(92).default(14),
});

export const reconciliationFilterSchema = pageSchema.extend({ from: day.optional(), to: day.optional() });

export const clearingFilterSchema = z.object({
  setlym: z
    .string()
    .regex(/^\d{4}(0[1-9]|1[0-2])$/, { message: 'must be a month yyyyMM' })
    .optional(),
});

export const heldLineFilterSchema = pageSchema.extend({
  status: z.enum(['held', 'released']).default('held'),
});

export const HOSPITAL_ITEM_STATUSES = ['unmapped', 'mapped', 'withdrawn'] as const;
export const hospitalItemFilterSchema = pageSchema.extend({
  status: z.enum(HOSPITAL_ITEM_STATUSES).optional(),
  list_type: text(3).optional(),
  /** Code or name, by prefix (the catalogue's mapping screen searches the same way). */
  q: text(100).optional(),
});

/** 目录查询: a downloaded kind's rows by code prefix, name prefix and validity on a day (catalogue answers). */
export const catalogueLookupSchema = pageSchema.extend({
  code: text(50).optional(),
  name: text(50).optional(),
  date: day.optional(),
});

export type Page = z.output<typeof pageSchema>;

/** Parses query or body input; a 400 names the field. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new BadRequestException(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '),
    );
  }
  return parsed.data;
}

/** Today in Beijing time (the hospital's business day), yyyy-MM-dd. */
export function todayInShanghai(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
