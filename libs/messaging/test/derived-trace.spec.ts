import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { createEnvelope, PatientAdmittedV1 } from '@yb/contracts';
import { createTestTopics, testKafka, uniqueName, waitFor, type TestTopics, testProducer } from '@yb/testing';
import { type Producer } from 'kafkajs';
import { envelopeSpanContext, KafkaConsumerHost } from '../src';

// A HIS that traces nothing publishes a record with no traceparent; two services (two consumer groups) read it.
// Both consumer spans must land in one trace, derived from the envelope id, instead of two unrelated ones.

const spans = new InMemorySpanExporter();
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
tracerProvider.register();

let topics: TestTopics<'inpatient'>;
let producer: Producer;
const hosts: KafkaConsumerHost[] = [];
const handled: { group: string; id: string; traceId?: string; traceparent?: string | null }[] = [];
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

beforeAll(async () => {
  topics = await createTestTopics(['inpatient']);
  const kafka = testKafka();
  for (const group of ['admission', 'fee-detail']) {
    const host = new KafkaConsumerHost({
      kafka,
      groupId: uniqueName(`derived-${group}`),
      topics: [topics.names.inpatient],
      logger: quiet,
    });
    host.handle('PatientAdmitted', async ({ envelope }) => {
      handled.push({
        group,
        id: envelope.id,
        traceId: trace.getActiveSpan()?.spanContext().traceId,
        traceparent: envelope.traceparent,
      });
    });
    await host.start();
    hosts.push(host);
  }
  producer = testProducer(kafka);
  await producer.connect();
}, 60_000);

afterAll(async () => {
  await producer?.disconnect();
  for (const host of hosts) await host.stop();
  await topics?.delete();
  await tracerProvider.shutdown();
});

it('puts every consumer group’s span for an untraced record in the trace derived from its envelope id', async () => {
  const admitted = createEnvelope({
    type: 'PatientAdmitted',
    schemaVersion: 1,
    key: 'ZY-DERIVED',
    data: { ...PatientAdmittedV1.example, ipt_no: 'ZY-DERIVED' },
  });
  // As a HIS without tracing sends it: plain kafkajs, no traceparent header, none in the payload.
  await producer.send({
    topic: topics.names.inpatient,
    messages: [{ key: admitted.key, value: JSON.stringify({ ...admitted, traceparent: null }) }],
  });
  const both = await waitFor('both groups handled the record', () => {
    const mine = handled.filter((h) => h.id === admitted.id);
    return mine.length === 2 ? mine : undefined;
  });

  const derived = envelopeSpanContext(admitted.id);
  expect(both.map((h) => [h.group, h.traceId])).toEqual(
    expect.arrayContaining([
      ['admission', derived.traceId],
      ['fee-detail', derived.traceId],
    ]),
  );
  const consumerSpans = spans
    .getFinishedSpans()
    .filter((s) => s.attributes['messaging.message.id'] === admitted.id);
  expect(consumerSpans).toHaveLength(2);
  for (const span of consumerSpans) {
    expect(span.spanContext().traceId).toBe(derived.traceId);
    // Both hang from the same stand-in for the HIS's publish.
    expect(span.parentSpanContext?.spanId).toBe(derived.spanId);
  }
  // The handler's envelope names the context it was delivered in, so deferred work joins the same trace.
  for (const h of both) expect(h.traceparent).toBe(`00-${derived.traceId}-${derived.spanId}-01`);
}, 60_000);
