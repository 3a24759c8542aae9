import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type Context,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

// W3C on purpose, whatever propagator the process registered: the outbox column holds a traceparent.
const w3c = new W3CTraceContextPropagator();

/** The W3C traceparent of the active OpenTelemetry context, or null when nothing is being traced. */
export function activeTraceparent(): string | null {
  return traceparentOf(context.active());
}

/** The (remote) context a stored traceparent stands for. */
export function contextFromTraceparent(traceparent: string): Context {
  return w3c.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter);
}

/** The traceparent header of a context. */
export function traceparentOf(ctx: Context): string | null {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return carrier.traceparent ?? null;
}
