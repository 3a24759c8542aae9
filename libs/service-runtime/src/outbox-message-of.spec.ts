import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { PatientAdmittedV1, Topics, createEnvelope } from '@yb/contracts';
import { outboxMessageOf } from './outbox-message-of';

const envelope = (traceparent?: string) =>
  createEnvelope({
    type: PatientAdmittedV1.type,
    schemaVersion: PatientAdmittedV1.version,
    key: PatientAdmittedV1.example.ipt_no,
    data: PatientAdmittedV1.example,
    traceparent,
  });

const payloadTraceparent = (topic: string, traceparent?: string) =>
  JSON.parse(outboxMessageOf(topic, envelope(traceparent)).payload).traceparent;

describe('outboxMessageOf', () => {
  const tracer = new BasicTracerProvider().getTracer('test');
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => context.disable());

  it("gives an envelope built without a traceparent the handler's, as the record's header descends from it", () => {
    const span = tracer.startSpan('handler');
    const { traceId, spanId } = span.spanContext();
    const traceparent = context.with(trace.setSpan(context.active(), span), () =>
      payloadTraceparent(Topics.insuranceInpatient),
    );
    span.end();
    expect(traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('keeps the traceparent an envelope was built with, and null where nothing is traced', () => {
    const given = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const span = tracer.startSpan('handler');
    const kept = context.with(trace.setSpan(context.active(), span), () =>
      payloadTraceparent(Topics.insuranceInpatient, given),
    );
    span.end();
    expect(kept).toBe(given);
    expect(payloadTraceparent(Topics.insuranceInpatient)).toBeNull();
  });
});
