import { createHash } from 'node:crypto';
import {
  ROOT_CONTEXT,
  type Context,
  type SpanContext,
  TraceFlags,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

// W3C trace context on Kafka headers. The propagator is used directly rather than through the global
// API so that messages carry trace context even where no SDK registered a global propagator.
const propagator = new W3CTraceContextPropagator();

/** The context whose parent is the span that produced the message (root when it carries none). */
export function contextFromTraceparent(traceparent: string | undefined | null): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter);
}

/**
 * The traceparent a record is consumed in: its own when valid; else, for a record whose producer traces nothing
 * (a HIS), one derived from the envelope id alone, so that every consumer group of the same record joins one
 * trace instead of each starting its own.
 */
export function deliveredTraceparent(
  traceparent: string | undefined | null,
  envelopeId: string | undefined,
): string | undefined {
  if (traceparent && trace.getSpanContext(contextFromTraceparent(traceparent))) return traceparent;
  if (!envelopeId) return undefined;
  const { traceId, spanId } = envelopeSpanContext(envelopeId);
  return `00-${traceId}-${spanId}-01`;
}

/**
 * The stand-in for the untraced producer's span: trace id and span id are the first 16 and next 8 bytes of
 * SHA-256 over the envelope id, the same in every process.
 */
export function envelopeSpanContext(envelopeId: string): SpanContext {
  const digest = createHash('sha256').update(`yb.envelope:${envelopeId}`).digest('hex');
  const derived = {
    traceId: digest.slice(0, 32),
    spanId: digest.slice(32, 48),
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  };
  // An all-zero id is invalid in W3C terms; one digest in 2^64 would give it: take the next bytes then.
  return isSpanContextValid(derived) ? derived : { ...derived, spanId: digest.slice(48, 64) };
}

/** The traceparent of the active span, for a message or outbox row written inside it. */
export function currentTraceparent(active: Context = context.active()): string | null {
  const carrier: Record<string, string> = {};
  propagator.inject(active, carrier, defaultTextMapSetter);
  return carrier.traceparent ?? null;
}
