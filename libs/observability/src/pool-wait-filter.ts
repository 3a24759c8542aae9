import { type Context } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** The pg instrumentation's spans for taking a connection (from the pool, or a new one). */
const CHECKOUT_SPANS = new Set(['pg-pool.connect', 'pg.connect']);

/**
 * Drops the spans of connection checkouts that did not wait: a handler takes a pooled connection for each
 * statement, and a trace of one admission held some sixty of these 0–1 ms spans, which say nothing. A checkout
 * that waited (a starved pool, a new connection) is kept: that is when an SRE wants to see it. A checkout span
 * has no children, so dropping one leaves no span without its parent.
 */
export class PoolWaitFilter implements SpanProcessor {
  constructor(
    private readonly next: SpanProcessor,
    private readonly thresholdMs = 5,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if (CHECKOUT_SPANS.has(span.name) && hrTimeToMilliseconds(span.duration) < this.thresholdMs) return;
    this.next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}
