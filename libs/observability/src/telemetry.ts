import { type IncomingMessage } from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { RedactingSpanProcessor } from './redacting-span-processor';

export interface TelemetryOptions {
  serviceName: string;
  /** Replaces the exporters chosen from the environment (tests use an in-memory one); identifiers are masked before it. */
  spanProcessor?: SpanProcessor;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface Telemetry {
  readonly enabled: boolean;
  /** Flushes pending spans; call on shutdown. */
  shutdown(): Promise<void>;
}

/** The span exporters a service sends to. */
export type TraceExporterName = 'otlp' | 'zipkin';

/**
 * OTEL_TRACES_EXPORTER (comma-separated: otlp, zipkin, none) when set; otherwise each exporter whose endpoint
 * is set (OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT: the compose collector; OTEL_EXPORTER_ZIPKIN_ENDPOINT: the local
 * stack's Zipkin), and otlp, the SDK's default, when none is.
 */
export function traceExportersFromEnv(env: NodeJS.ProcessEnv = process.env): TraceExporterName[] {
  const listed = env.OTEL_TRACES_EXPORTER?.split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (!listed || listed.length === 0) {
    const configured: TraceExporterName[] = [];
    if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) configured.push('otlp');
    if (env.OTEL_EXPORTER_ZIPKIN_ENDPOINT) configured.push('zipkin');
    return configured.length > 0 ? configured : ['otlp'];
  }
  if (listed.includes('none')) return [];
  const unknown = listed.filter((name) => name !== 'otlp' && name !== 'zipkin');
  if (unknown.length > 0) {
    throw new Error(
      `OTEL_TRACES_EXPORTER: unsupported exporter ${unknown.join(', ')} (use otlp, zipkin or none)`,
    );
  }
  return [...new Set(listed as TraceExporterName[])];
}

function exporterOf(name: TraceExporterName, serviceName: string, env: NodeJS.ProcessEnv): SpanExporter {
  // OTLP reads OTEL_EXPORTER_OTLP_* itself; Zipkin defaults to http://localhost:9411/api/v2/spans.
  return name === 'zipkin'
    ? new ZipkinExporter({ serviceName, url: env.OTEL_EXPORTER_ZIPKIN_ENDPOINT || undefined })
    : new OTLPTraceExporter();
}

// Scrapes and probes would otherwise open a trace every few seconds per service.
const UNTRACED_PATHS = /^\/(metrics|health\/(live|ready))(\?|$)/;

/**
 * Starts OpenTelemetry for a service: HTTP, pg and NestJS instrumentations and the exporters chosen by
 * traceExportersFromEnv (batched; OTEL_BSP_* apply). Call it before anything imports the instrumented
 * modules (first line of main.ts). OTEL_SDK_DISABLED=true turns it off cleanly.
 *
 * Kafka spans come from @yb/messaging (consumer: a CONSUMER span, child of the record's traceparent) and
 * the event store's relay (an `outbox.publish` PRODUCER span, child of the traceparent stored with the row),
 * not from the kafkajs instrumentation: that one starts its producer span in the sender's active context and
 * overwrites the record's traceparent header with it, which would cut every trace at the outbox.
 * pg spans are recorded only inside a trace (the relay's and projections' polls stay silent).
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const env = options.env ?? process.env;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') {
    return { enabled: false, shutdown: async () => undefined };
  }
  const exporting = options.spanProcessor
    ? [options.spanProcessor]
    : traceExportersFromEnv(env).map(
        (name) => new BatchSpanProcessor(exporterOf(name, options.serviceName, env)),
      );
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    spanProcessors: exporting.map((processor) => new RedactingSpanProcessor(processor)),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.test(request.url ?? ''),
      }),
      new PgInstrumentation({ requireParentSpan: true }),
      new NestInstrumentation(),
    ],
  });
  sdk.start();
  return { enabled: true, shutdown: () => sdk.shutdown() };
}
