import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { startTelemetry, traceExportersFromEnv } from './telemetry';

const CERTNO = '420102199001011234';

describe('traceExportersFromEnv', () => {
  it('exports where an endpoint is set, to the OTLP default when none is', () => {
    expect(traceExportersFromEnv({})).toEqual(['otlp']);
    expect(traceExportersFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' })).toEqual([
      'otlp',
    ]);
    expect(
      traceExportersFromEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
        OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://127.0.0.1:9411/api/v2/spans',
      }),
    ).toEqual(['otlp', 'zipkin']);
    expect(
      traceExportersFromEnv({ OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://127.0.0.1:9411/api/v2/spans' }),
    ).toEqual(['zipkin']);
  });

  it('follows OTEL_TRACES_EXPORTER when it is set, and refuses what it cannot do', () => {
    expect(traceExportersFromEnv({ OTEL_TRACES_EXPORTER: 'otlp, zipkin' })).toEqual(['otlp', 'zipkin']);
    expect(traceExportersFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' })).toEqual(['zipkin']);
    expect(traceExportersFromEnv({ OTEL_TRACES_EXPORTER: 'none' })).toEqual([]);
    expect(() => traceExportersFromEnv({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(
      /unsupported exporter jaeger/,
    );
  });
});

describe('startTelemetry with OTEL_EXPORTER_ZIPKIN_ENDPOINT', () => {
  const received: { name: string; tags?: Record<string, string>; localEndpoint?: { serviceName: string } }[] =
    [];
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        if (request.url === '/api/v2/spans') received.push(...JSON.parse(body));
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2/spans`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("sends the service's spans to Zipkin, with patient identifiers masked", async () => {
    const telemetry = startTelemetry({
      serviceName: 'admission',
      env: { OTEL_EXPORTER_ZIPKIN_ENDPOINT: url },
    });
    trace
      .getTracer('test')
      .startSpan('platform.call 2401', { attributes: { 'nhsa.infno': '2401', 'patient.certno': CERTNO } })
      .end();
    await telemetry.shutdown(); // flushes the batch
    const span = received.find((s) => s.name === 'platform.call 2401');
    expect(span?.localEndpoint?.serviceName).toBe('admission');
    expect(span?.tags).toMatchObject({ 'nhsa.infno': '2401', 'patient.certno': '420***********1234' });
    expect(JSON.stringify(received)).not.toContain(CERTNO);
  });
});
