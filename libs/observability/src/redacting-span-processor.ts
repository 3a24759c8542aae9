import { type Context } from '@opentelemetry/api';
import { type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { isPatientIdentifier, maskIdentifier } from './patient-identifiers';

type Attributes = Record<string, unknown>;

function maskAttributes(attributes: Attributes | undefined): void {
  if (!attributes) return;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined || !isPatientIdentifier(key)) continue;
    attributes[key] = Array.isArray(value) ? value.map(maskIdentifier) : maskIdentifier(value);
  }
}

/**
 * Wraps the exporting processor and masks patient identifiers in span and event attributes before
 * the span leaves the process, whatever instrumentation set them.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    maskAttributes(span.attributes as Attributes);
    for (const event of span.events) maskAttributes(event.attributes as Attributes | undefined);
    this.next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}
