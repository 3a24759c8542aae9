import { SpanKind } from '@opentelemetry/api';
import { inFreshProcess } from '@yb/testing';
import { startTelemetry } from './telemetry';

/** In a fresh Node process (Jest's module registry is not Node's): whether startTelemetry loaded the SDK. */
function sdkLoadedAfterStart(env: Record<string, string>): boolean {
  const script = `
    const { startTelemetry } = require('./libs/observability/src/telemetry.ts');
    const telemetry = startTelemetry({ serviceName: 'probe' });
    const loaded = Object.keys(require.cache).some((file) => file.includes('@opentelemetry/sdk-node'));
    console.log(JSON.stringify({ enabled: telemetry.enabled, loaded }));
    telemetry.shutdown().then(() => process.exit(0));`;
  const { enabled, loaded } = inFreshProcess<{ enabled: boolean; loaded: boolean }>(script, env);
  expect(loaded).toBe(enabled);
  return loaded;
}

describe('startTelemetry', () => {
  it('is off, and shuts down cleanly, when OTEL_SDK_DISABLED=true', async () => {
    const previous = process.env.OTEL_SDK_DISABLED;
    process.env.OTEL_SDK_DISABLED = 'true';
    try {
      const telemetry = startTelemetry({ serviceName: 'test' });
      expect(telemetry.enabled).toBe(false);
      await expect(telemetry.shutdown()).resolves.toBeUndefined();
    } finally {
      if (previous === undefined) delete process.env.OTEL_SDK_DISABLED;
      else process.env.OTEL_SDK_DISABLED = previous;
    }
  });

  it('loads the SDK only when tracing is on (off: OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none)', () => {
    expect(sdkLoadedAfterStart({ OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(sdkLoadedAfterStart({ OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(sdkLoadedAfterStart({ OTEL_TRACES_EXPORTER: 'zipkin' })).toBe(true);
  });

  it('sends no trace context to the platform and records no span of its own for outgoing HTTP', () => {
    const script = `
      const { trace } = require('@opentelemetry/api');
      const { InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
      const { startTelemetry } = require('./libs/observability/src/telemetry.ts');
      const exporter = new InMemorySpanExporter();
      const processor = new SimpleSpanProcessor(exporter);
      const telemetry = startTelemetry({ serviceName: 'probe', spanProcessor: processor });
      // Required after the start, as a service's modules are (the instrumentation patches it then).
      const http = require('node:http');
      const received = [];
      const platform = http.createServer((request, response) => {
        received.push(request.headers);
        request.resume();
        request.on('end', () => response.end('{"infcode":0}'));
      });
      platform.listen(0, '127.0.0.1', () => {
        trace.getTracer('probe').startActiveSpan('platform.call', (span) => {
          const request = http.request({ host: '127.0.0.1', port: platform.address().port, method: 'POST' }, (answer) => {
            answer.resume();
            answer.on('end', async () => {
              span.end();
              platform.close();
              await processor.forceFlush();
              const spans = exporter.getFinishedSpans().map((s) => ({ name: s.name, kind: s.kind }));
              await telemetry.shutdown();
              console.log(JSON.stringify({ traceparent: received[0].traceparent ?? null, spans }));
            });
          });
          request.end('{}');
        });
      });`;
    const { traceparent, spans } = inFreshProcess<{
      traceparent: string | null;
      spans: { name: string; kind: number }[];
    }>(script);
    expect(traceparent).toBeNull();
    expect(spans).toContainEqual({ name: 'platform.call', kind: SpanKind.INTERNAL });
    expect(spans.filter((span) => span.kind === SpanKind.CLIENT)).toEqual([]);
  });
});
