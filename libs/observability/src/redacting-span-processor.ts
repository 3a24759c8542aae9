import { type Context } from '@opentelemetry/api';
import { type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { isPatientIdentifier, maskIdentifier, maskIdentifiersInText } from './patient-identifiers';

type Attributes = Record<string, unknown>;

function maskAttributes(attributes: Attributes | undefined): void {
  if (!attributes) return;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined) continue;
    if (isPatientIdentifier(key)) {
      attributes[key] = Array.isArray(value) ? value.map(maskIdentifier) : maskIdentifier(value);
    } else if (typeof value === 'string') {
      attributes[key] = maskIdentifiersInText(value);
    }
  }
}

/**
 * Wraps the exporting processor and masks patient identifiers before the span leaves the process, whatever
 * instrumentation set them: attributes named in the identifier list (span and events), and ID or mobile
 * numbers quoted in any other string attribute, exception event or status message (an error that quotes a
 * request).
 */
export class RedactingSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    maskAttributes(span.attributes as Attributes);
    for (const event of span.events) maskAttributes(event.attributes as Attributes | undefined);
    const status = span.status as { message?: string };
    if (status.message) status.message = maskIdentifiersInText(status.message);
    this.next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}
