import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ExpectedVersionConflictError } from './errors';
import { asStoreEvent, inStoreSpan } from './store-span';

// What the pg instrumentation does for each statement: a span under the active context.
const exported = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exported)] });
provider.register();
const tracer = trace.getTracer('test');
const statement = async (sql: string) => tracer.startSpan(`pg.query:${sql}`).end();

afterEach(() => exported.reset());
afterAll(() => provider.shutdown());

describe('the event store in a trace', () => {
  it('is one span per append, its statements untraced', async () => {
    await tracer.startActiveSpan('handler', async (handler) => {
      await inStoreSpan('event-store append', { 'yb.event_store.events': 2 }, async () => {
        await statement('BEGIN');
        await statement('event-store:0a1b');
        await statement('COMMIT');
      });
      handler.end();
    });
    const spans = exported.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['event-store append', 'handler']);
    expect(spans[0]!.parentSpanContext?.spanId).toBe(spans[1]!.spanContext().spanId);
    expect(spans[0]!.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'yb.event_store.events': 2,
    });
  });

  it('marks a failed append and passes the error on', async () => {
    await tracer.startActiveSpan('handler', async (handler) => {
      await expect(
        inStoreSpan('event-store append', {}, async () => {
          throw new Error('connection reset');
        }),
      ).rejects.toThrow('connection reset');
      handler.end();
    });
    expect(exported.getFinishedSpans()[0]!.status).toMatchObject({ code: 2, message: 'connection reset' });
  });

  it('leaves an append that met another writer unmarked: the caller retries it', async () => {
    await tracer.startActiveSpan('handler', async (handler) => {
      await expect(
        inStoreSpan('event-store append', {}, async () => {
          throw new ExpectedVersionConflictError('visit-1', 3, 4);
        }),
      ).rejects.toThrow(ExpectedVersionConflictError);
      handler.end();
    });
    const [append] = exported.getFinishedSpans();
    expect(append!.status.code).toBe(0);
    expect(append!.events.map((e) => e.name)).toEqual(['expected version conflict']);
  });

  it('makes a read an event of the span it serves, with its duration', async () => {
    await tracer.startActiveSpan('handler', async (handler) => {
      expect(
        await asStoreEvent('event-store read', { 'yb.event_store.stream_id': 'visit-1' }, async () => 3),
      ).toBe(3);
      await statement('ignored');
      handler.end();
    });
    const spans = exported.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['pg.query:ignored', 'handler']);
    expect(spans[1]!.events).toEqual([
      expect.objectContaining({
        name: 'event-store read',
        attributes: { 'yb.event_store.stream_id': 'visit-1', 'yb.duration_ms': expect.any(Number) },
      }),
    ]);
  });

  it('opens no span outside a trace (a background poll)', async () => {
    expect(await inStoreSpan('event-store append', {}, async () => 'appended')).toBe('appended');
    expect(exported.getFinishedSpans()).toEqual([]);
  });
});
