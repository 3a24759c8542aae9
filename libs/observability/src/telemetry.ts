import { type SpanProcessor } from '@opentelemetry/sdk-trace-base';

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

/**
 * Starts OpenTelemetry for a service: HTTP, pg and NestJS instrumentations and the exporters chosen by
 * traceExportersFromEnv (batched; OTEL_BSP_* apply). Call it before anything imports the instrumented
 * modules (first line of main.ts). OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turns it off, and then
 * the SDK, its exporters and instrumentations are never loaded (about 20 MiB of a service's RSS).
 *
 * Kafka spans come from @yb/messaging (consumer: a CONSUMER span, child of the record's traceparent) and
 * the event store's relay (an `outbox.publish` PRODUCER span, child of the traceparent stored with the row),
 * not from the kafkajs instrumentation: that one starts its producer span in the sender's active context and
 * overwrites the record's traceparent header with it, which would cut every trace at the outbox.
 * pg spans are recorded only inside a trace (the relay's and projections' polls stay silent).
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const env = options.env ?? process.env;
  const exporters = options.spanProcessor ? [] : traceExportersFromEnv(env);
  if (
    env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' ||
    (!options.spanProcessor && exporters.length === 0)
  ) {
    return { enabled: false, shutdown: async () => undefined };
  }
  // Required here, synchronously, so that a service without tracing never loads the SDK; the instrumentations
  // must still be registered before main.ts imports the modules they patch.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startTracingSdk } = require('./tracing-sdk') as typeof import('./tracing-sdk');
  return startTracingSdk(options.serviceName, env, options.spanProcessor, exporters);
}
