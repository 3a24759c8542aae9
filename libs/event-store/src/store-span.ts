import { type Attributes, context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { ExpectedVersionConflictError } from './errors';

const tracer = trace.getTracer('@yb/event-store');

/**
 * Runs one store operation in one span with its PostgreSQL statements untraced: an SRE reads "appended 2 events
 * and 1 outbox row to visit-ZY1 in 3 ms", not a pool checkout, BEGIN, lock, prepared statement and COMMIT each.
 * Outside any trace (a background poll) it opens none, as the pg instrumentation does (requireParentSpan).
 */
export function inStoreSpan<T>(
  name: string,
  attributes: Attributes,
  operation: () => Promise<T>,
): Promise<T> {
  if (!trace.getActiveSpan()) return operation();
  return tracer.startActiveSpan(
    name,
    { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', ...attributes } },
    async (span) => {
      try {
        return await context.with(suppressTracing(context.active()), operation);
      } catch (err) {
        // A version conflict is the store working as meant (the caller reads again and retries): not a failure.
        if (err instanceof ExpectedVersionConflictError) span.addEvent('expected version conflict');
        else {
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        }
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Runs a read in the active span without a span of its own: a handler and the platform worker read a stream a
 * dozen times per admission, each a 1 ms statement. The read is an event on the span it serves (with how long it
 * took), so that a slow one still shows.
 */
export async function asStoreEvent<T>(
  name: string,
  attributes: Attributes,
  operation: () => Promise<T>,
): Promise<T> {
  const span = trace.getActiveSpan();
  if (!span) return operation();
  const started = performance.now();
  const result = await context.with(suppressTracing(context.active()), operation);
  span.addEvent(name, { ...attributes, 'yb.duration_ms': Math.round(performance.now() - started) });
  return result;
}
