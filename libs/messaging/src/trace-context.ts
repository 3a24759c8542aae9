import {
  ROOT_CONTEXT,
  type Context,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
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

/** The traceparent of the active span, for a message or outbox row written inside it. */
export function currentTraceparent(active: Context = context.active()): string | null {
  const carrier: Record<string, string> = {};
  propagator.inject(active, carrier, defaultTextMapSetter);
  return carrier.traceparent ?? null;
}
