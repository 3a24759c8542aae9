import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { RedactingSpanProcessor } from './redacting-span-processor';

export interface TelemetryOptions {
  serviceName: string;
  /** Replaces the OTLP exporter (tests use an in-memory one); identifiers are masked before it. */
  spanProcessor?: SpanProcessor;
}

export interface Telemetry {
  readonly enabled: boolean;
  /** Flushes pending spans; call on shutdown. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry for a service: HTTP, pg, kafkajs and NestJS instrumentations and an OTLP/HTTP
 * exporter configured by the standard OTEL_EXPORTER_OTLP_* variables. Call it before anything imports
 * the instrumented modules (first line of main.ts). OTEL_SDK_DISABLED=true turns it off cleanly.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') {
    return { enabled: false, shutdown: async () => undefined };
  }
  const exporting = options.spanProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter());
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    spanProcessors: [new RedactingSpanProcessor(exporting)],
    instrumentations: [
      new HttpInstrumentation(),
      new PgInstrumentation(),
      new KafkaJsInstrumentation(),
      new NestInstrumentation(),
    ],
  });
  sdk.start();
  return { enabled: true, shutdown: () => sdk.shutdown() };
}
