// The OpenTelemetry SDK, its exporters and instrumentations: loaded by startTelemetry only when tracing is on.
import { type IncomingMessage } from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { PoolWaitFilter } from './pool-wait-filter';
import { RedactingSpanProcessor } from './redacting-span-processor';
import { type Telemetry, type TraceExporterName } from './telemetry';

function exporterOf(name: TraceExporterName, serviceName: string, env: NodeJS.ProcessEnv): SpanExporter {
  // OTLP reads OTEL_EXPORTER_OTLP_* itself; Zipkin defaults to http://localhost:9411/api/v2/spans.
  return name === 'zipkin'
    ? new ZipkinExporter({ serviceName, url: env.OTEL_EXPORTER_ZIPKIN_ENDPOINT || undefined })
    : new OTLPTraceExporter();
}

// Scrapes and probes would otherwise open a trace every few seconds per service.
const UNTRACED_PATHS = /^\/(metrics|health\/(live|ready))(\?|$)/;

/** Starts the SDK with the given span processor (tests) or a batched exporter per name. */
export function startTracingSdk(
  serviceName: string,
  env: NodeJS.ProcessEnv,
  spanProcessor: SpanProcessor | undefined,
  exporters: readonly TraceExporterName[],
): Telemetry {
  const exporting = spanProcessor
    ? [spanProcessor]
    : exporters.map((name) => new BatchSpanProcessor(exporterOf(name, serviceName, env)));
  const sdk = new NodeSDK({
    serviceName,
    spanProcessors: exporting.map((processor) => new RedactingSpanProcessor(new PoolWaitFilter(processor))),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.test(request.url ?? ''),
        // A service's outgoing HTTP is the platform's: its `platform.call` span covers the exchange, and no
        // trace context of ours goes out to the platform in a header.
        ignoreOutgoingRequestHook: () => true,
      }),
      new PgInstrumentation({ requireParentSpan: true }),
      new NestInstrumentation(),
    ],
  });
  sdk.start();
  return { enabled: true, shutdown: () => sdk.shutdown() };
}
