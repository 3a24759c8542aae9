import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** W3C trace context header, version 00: `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`. */
export const TRACEPARENT_PATTERN = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The envelope every message carries. `data` is validated separately against the contract named by
 * (type, schemaVersion), so that an unknown type or version is reported as such.
 */
export const envelopeSchema = z
  .object({
    id: z.string().uuid().describe('Unique message id (UUID); consumers deduplicate on it'),
    type: z.string().min(1).describe('Message type, e.g. PatientAdmitted'),
    schemaVersion: z.number().int().min(1).describe('Version of the data schema of this type'),
    occurredAt: z.string().datetime({ offset: true }).describe('When it happened, ISO 8601 with zone'),
    key: z
      .string()
      .min(1)
      .max(30)
      .describe(
        "The Kafka record's key, equal to it: the HIS visit id (ipt_no) unless the message says otherwise",
      ),
    correlationId: z.string().min(1).describe('Id shared by every message of one business flow'),
    // Absent reads as null: a HIS starting a flow has no cause, and one without tracing no trace context.
    causationId: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe('Id of the message that caused this one; null (or absent) for a first cause'),
    traceparent: z
      .string()
      .regex(TRACEPARENT_PATTERN, { message: 'must be a W3C traceparent 00-<trace id>-<span id>-<flags>' })
      .nullable()
      .default(null)
      .describe(
        "W3C trace context of the step that produced the message; null (or absent) when not traced. The record's " +
          'traceparent header, when present, names the publishing span (a child of this one, same trace id)',
      ),
    data: z.unknown().describe('The payload; its schema is given by type and schemaVersion'),
  })
  .strict();

export interface Envelope<T = unknown> {
  id: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  key: string;
  correlationId: string;
  causationId: string | null;
  traceparent: string | null;
  data: T;
}

export interface CreateEnvelopeInput<T> {
  type: string;
  schemaVersion: number;
  /** The HIS visit id (ipt_no). */
  key: string;
  data: T;
  /** The message this one answers; its id becomes the causation id and its correlation id is kept. */
  causedBy?: Pick<Envelope, 'id' | 'correlationId'>;
  correlationId?: string;
  traceparent?: string | null;
  id?: string;
  occurredAt?: Date | string;
}

/**
 * Builds an envelope. A message caused by another inherits its correlation id; a first cause starts a
 * new correlation equal to its own id.
 */
export function createEnvelope<T>(input: CreateEnvelopeInput<T>): Envelope<T> {
  const id = input.id ?? randomUUID();
  const occurredAt = input.occurredAt ?? new Date();
  return {
    id,
    type: input.type,
    schemaVersion: input.schemaVersion,
    occurredAt: typeof occurredAt === 'string' ? occurredAt : occurredAt.toISOString(),
    key: input.key,
    correlationId: input.correlationId ?? input.causedBy?.correlationId ?? id,
    causationId: input.causedBy?.id ?? null,
    traceparent: input.traceparent ?? null,
    data: input.data,
  };
}
