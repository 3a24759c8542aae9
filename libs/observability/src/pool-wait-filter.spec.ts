import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { PoolWaitFilter } from './pool-wait-filter';

describe('PoolWaitFilter', () => {
  const exported = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    spanProcessors: [new PoolWaitFilter(new SimpleSpanProcessor(exported))],
  });
  const tracer = provider.getTracer('test');
  afterAll(() => provider.shutdown());

  /** A span that lasted `ms` milliseconds. */
  function span(name: string, ms: number): void {
    const start = Date.now();
    tracer.startSpan(name, { startTime: start }).end(start + ms);
  }

  it('drops connection checkouts that did not wait and keeps those that did, and every other span', () => {
    span('pg-pool.connect', 0);
    span('pg.connect', 2);
    span('pg-pool.connect', 40);
    span('pg.query:INSERT postgres', 0);
    span('platform.call 2401', 1);
    expect(exported.getFinishedSpans().map((s) => s.name)).toEqual([
      'pg-pool.connect',
      'pg.query:INSERT postgres',
      'platform.call 2401',
    ]);
    expect(exported.getFinishedSpans()[0]!.duration[1]).toBeGreaterThan(0);
  });
});
