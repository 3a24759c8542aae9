import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  DeadLetterHeaders,
  DischargeRequestedV1,
  FeeLinesChargedV1,
  PatientAdmittedV1,
  SettlementRequestedV1,
  AdmissionCancelledV1,
  FeeLinesVoidedV1,
  createEnvelope,
  dlqTopic,
} from '@yb/contracts';
import {
  createTestSchema,
  createTestTopics,
  testKafka,
  uniqueName,
  waitFor,
  withClient,
  type TestSchema,
  type TestTopics,
} from '@yb/testing';
import { type Consumer, type KafkaMessage } from 'kafkajs';
import { Pool } from 'pg';
import {
  KafkaConsumerHost,
  KafkaPublisher,
  deadLetterPayload,
  PermanentHandlerError,
  consumerGroupLag,
  headersAsText,
  type DeadLetterReason,
} from '../src';
import { visitEnvelope } from './support/visit-envelope';

// One consumer group and one dead-letter reader for the whole file: joining a group takes seconds here.

const spans = new InMemorySpanExporter();
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
tracerProvider.register();

let topics: TestTopics<'inpatient'>;
let schema: TestSchema;
let pool: Pool;
let publisher: KafkaPublisher;
let host: KafkaConsumerHost;
let dlqReader: Consumer;
const deadLetters: KafkaMessage[] = [];
const groupId = uniqueName('svc');

const attemptsById = new Map<string, number>();
const seen: { id: string; key: string; type: string }[] = [];
const discharges: string[] = [];
let releaseSettlement: () => void = () => undefined;
const settlementGate = new Promise<void>((resolve) => (releaseSettlement = resolve));
let settlementStarted = false;
let settlementFinished = false;
const handlerTrace: { traceId?: string; spanId?: string; envelopeTraceparent?: string | null } = {};
const deadLettersCounted: { topic: string; reason: DeadLetterReason }[] = [];
const counted = (reason: DeadLetterReason) =>
  deadLettersCounted.filter((d) => d.topic === topics.names.inpatient && d.reason === reason).length;

function count(id: string): number {
  const n = (attemptsById.get(id) ?? 0) + 1;
  attemptsById.set(id, n);
  return n;
}

function deadLetterFor(predicate: (headers: Record<string, string>, value: string) => boolean) {
  return waitFor('the dead letter', () =>
    deadLetters
      .map((m) => ({ headers: headersAsText(m.headers), value: deadLetterPayload(m)?.toString() ?? '' }))
      .find((m) => predicate(m.headers, m.value)),
  );
}

beforeAll(async () => {
  topics = await createTestTopics(['inpatient'], { partitions: 3 });
  schema = await createTestSchema('messaging');
  pool = new Pool({ connectionString: schema.databaseUrl, max: 3 });
  await pool.query(`
    CREATE TABLE "${schema.schema}".inbox (message_id uuid PRIMARY KEY);
    CREATE TABLE "${schema.schema}".discharges (ipt_no text NOT NULL, message_id uuid NOT NULL);`);

  const kafka = testKafka();
  publisher = new KafkaPublisher(kafka);
  await publisher.connect();
  host = new KafkaConsumerHost({
    kafka,
    groupId,
    topics: [topics.names.inpatient],
    retry: { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 100 },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    onDeadLetter: (deadLetter) => deadLettersCounted.push(deadLetter),
  });
  host
    .handle('PatientAdmitted', async ({ envelope: e }) => {
      const span = trace.getActiveSpan()?.spanContext();
      if (e.data.medrcdno === 'transient') {
        Object.assign(handlerTrace, {
          traceId: span?.traceId,
          spanId: span?.spanId,
          envelopeTraceparent: e.traceparent,
        });
      }
      // Fails twice, as a platform timeout would, then succeeds.
      if (e.data.medrcdno === 'transient' && count(e.id) < 3) throw new Error('connection reset');
      seen.push({ id: e.id, key: e.key, type: e.type });
    })
    .handle('FeeLinesCharged', async ({ envelope: e }) => {
      count(e.id);
      throw new Error('platform answered 500');
    })
    .handle('DischargeRequested', async ({ envelope: e }) => {
      count(e.id);
      // The inbox pattern: the message id and the effect commit in one transaction.
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const inserted = await client.query(
          `INSERT INTO "${schema.schema}".inbox (message_id) VALUES ($1) ON CONFLICT DO NOTHING`,
          [e.id],
        );
        if (inserted.rowCount === 1) {
          await client.query(
            `INSERT INTO "${schema.schema}".discharges (ipt_no, message_id) VALUES ($1, $2)`,
            [e.key, e.id],
          );
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
      discharges.push(e.id);
    })
    .handle('FeeLinesVoided', async () => {
      throw new PermanentHandlerError('no such fee line');
    })
    .handle('SettlementRequested', async () => {
      settlementStarted = true;
      await settlementGate;
      settlementFinished = true;
    });
  await host.start();

  dlqReader = kafka.consumer({ groupId: uniqueName('dlq-reader') });
  await dlqReader.connect();
  await dlqReader.subscribe({ topics: [dlqTopic(topics.names.inpatient)], fromBeginning: true });
  await dlqReader.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
});

afterAll(async () => {
  releaseSettlement();
  await host?.stop();
  await dlqReader?.disconnect();
  await publisher?.disconnect();
  await pool?.end();
  await schema?.drop();
  await topics?.delete();
  await tracerProvider.shutdown();
});

describe('KafkaConsumerHost', () => {
  it('dead-letters malformed messages with the reason and goes on to the next one', async () => {
    const topic = topics.names.inpatient;
    const valid = visitEnvelope(PatientAdmittedV1, 'ZY-MALFORMED');
    const { insutype: _insutype, ...withoutInsutype } = PatientAdmittedV1.example;
    await publisher.publishRecords(topic, [
      { key: 'ZY-MALFORMED', value: '{"id": not json', headers: { marker: 'bad-json' } },
      {
        key: 'ZY-MALFORMED',
        value: JSON.stringify(visitEnvelope(PatientAdmittedV1, 'ZY-MALFORMED', withoutInsutype)),
      },
      {
        key: 'ZY-MALFORMED',
        value: JSON.stringify({
          ...valid,
          id: '0b6e7a6e-62a4-4b8e-9b8f-3f4d8e8c0001',
          type: 'PatientTeleported',
        }),
      },
      {
        key: 'ZY-MALFORMED',
        value: JSON.stringify({ ...valid, id: '0b6e7a6e-62a4-4b8e-9b8f-3f4d8e8c0002', schemaVersion: 9 }),
      },
      { key: 'ZY-MALFORMED', value: JSON.stringify(valid) },
    ]);

    const badJson = await deadLetterFor((h) => h.marker === 'bad-json');
    expect(badJson.value).toBe('{"id": not json');
    expect(badJson.headers[DeadLetterHeaders.reason]).toMatch(/^payload is not JSON: /);
    expect(badJson.headers[DeadLetterHeaders.originalTopic]).toBe(topic);
    expect(badJson.headers[DeadLetterHeaders.consumerGroup]).toBe(groupId);
    expect(badJson.headers[DeadLetterHeaders.attempts]).toBe('0');
    expect(badJson.headers[DeadLetterHeaders.originalOffset]).toMatch(/^\d+$/);

    const wrongSchema = await deadLetterFor((h) =>
      /data\.insutype: Required/.test(h[DeadLetterHeaders.reason] ?? ''),
    );
    expect(wrongSchema.headers[DeadLetterHeaders.reason]).toBe(
      'invalid PatientAdmitted v1: data.insutype: Required',
    );
    const unknownType = await deadLetterFor((_h, v) => v.includes('PatientTeleported'));
    expect(unknownType.headers[DeadLetterHeaders.reason]).toBe('unknown message type "PatientTeleported"');
    const unknownVersion = await deadLetterFor((_h, v) => v.includes('"schemaVersion":9'));
    expect(unknownVersion.headers[DeadLetterHeaders.reason]).toMatch(
      /^unknown schemaVersion 9 of message type "PatientAdmitted"/,
    );
    // Counted (the service's yb_dead_letters_total) as refused at the edge.
    await waitFor('the four counted', () => (counted('invalid') === 4 ? true : undefined));

    await waitFor('the valid message after the malformed ones', () => seen.find((s) => s.id === valid.id));
  });

  it('dead-letters a message whose data.ipt_no is not its key, naming both, and goes on to the next one', async () => {
    const stray = createEnvelope({
      type: 'PatientAdmitted',
      schemaVersion: 1,
      key: 'ZY-STRAY',
      data: { ...PatientAdmittedV1.example, ipt_no: 'ZY-ELSEWHERE' },
    });
    const next = visitEnvelope(PatientAdmittedV1, 'ZY-STRAY');
    const invalidBefore = counted('invalid');
    await publisher.publish(topics.names.inpatient, stray);
    await publisher.publish(topics.names.inpatient, next);

    const dead = await deadLetterFor((_h, v) => v.includes(stray.id));
    expect(dead.headers[DeadLetterHeaders.reason]).toBe(
      'PatientAdmitted: data.ipt_no ZY-ELSEWHERE is not the message key ZY-STRAY, which the services file it under',
    );
    // Permanent: refused at the edge, never handed to the handler nor retried.
    expect(dead.headers[DeadLetterHeaders.attempts]).toBe('0');
    await waitFor('the next message of the key', () => seen.find((s) => s.id === next.id));
    expect(seen.some((s) => s.id === stray.id)).toBe(false);
    expect(counted('invalid')).toBe(invalidBefore + 1);
  });

  it('skips types the service does not handle, without dead-lettering them', async () => {
    const skipped = visitEnvelope(AdmissionCancelledV1, 'ZY-SKIP');
    const after = visitEnvelope(PatientAdmittedV1, 'ZY-SKIP');
    await publisher.publish(topics.names.inpatient, skipped);
    await publisher.publish(topics.names.inpatient, after);
    await waitFor('the message after the skipped one', () => seen.find((s) => s.id === after.id));
    expect(deadLetters.some((m) => m.value?.toString().includes(skipped.id))).toBe(false);
  });

  it('retries a transient failure and succeeds, inside a span child of the producer trace', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const transient = visitEnvelope(
      PatientAdmittedV1,
      'ZY-RETRY',
      { ...PatientAdmittedV1.example, medrcdno: 'transient' },
      traceparent,
    );
    await publisher.publish(topics.names.inpatient, transient);
    await waitFor('the retried message', () => seen.find((s) => s.id === transient.id));
    expect(attemptsById.get(transient.id)).toBe(3);
    expect(deadLetters.some((m) => m.value?.toString().includes(transient.id))).toBe(false);

    // producer's span b7ad… → the publisher's `publish` span → the handler's consumer span, one trace.
    expect(handlerTrace.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    const finished = spans.getFinishedSpans();
    const consumerSpan = finished.find((s) => s.spanContext().spanId === handlerTrace.spanId);
    expect(consumerSpan?.attributes['messaging.message.id']).toBe(transient.id);
    const publishSpan = finished.find(
      (s) => s.spanContext().spanId === consumerSpan?.parentSpanContext?.spanId,
    );
    expect(publishSpan?.name).toBe(`${topics.names.inpatient} publish`);
    expect(publishSpan?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    // The handler's envelope names the context it was delivered in (the record's header), for deferred work.
    expect(handlerTrace.envelopeTraceparent).toBe(
      `00-0af7651916cd43dd8448eb211c80319c-${publishSpan?.spanContext().spanId}-01`,
    );
  });

  it('dead-letters a message whose handler keeps failing after the configured attempts', async () => {
    const fees = visitEnvelope(FeeLinesChargedV1, 'ZY-FAIL');
    await publisher.publish(topics.names.inpatient, fees);
    const dead = await deadLetterFor((_h, v) => v.includes(fees.id));
    expect(dead.headers[DeadLetterHeaders.reason]).toBe(
      'handler failed 3 times; last error: platform answered 500',
    );
    expect(dead.headers[DeadLetterHeaders.attempts]).toBe('3');
    // As published: the envelope, with the publish span's trace context the record also carries.
    expect(JSON.parse(dead.value)).toEqual({ ...fees, traceparent: dead.headers.traceparent });
    expect(dead.headers['message-type']).toBe('FeeLinesCharged');
    expect(attemptsById.get(fees.id)).toBe(3);
    expect(counted('exhausted')).toBe(1);
  });

  it('dead-letters at once, without retrying, a message its handler refuses', async () => {
    const voided = visitEnvelope(FeeLinesVoidedV1, 'ZY-REFUSED');
    await publisher.publish(topics.names.inpatient, voided);
    const dead = await deadLetterFor((_h, v) => v.includes(voided.id));
    expect(dead.headers[DeadLetterHeaders.reason]).toBe('handler refused the message: no such fee line');
    expect(dead.headers[DeadLetterHeaders.attempts]).toBe('1');
    expect(counted('refused')).toBe(1);
  });

  it('has one effect for a message delivered twice to an idempotent handler', async () => {
    const discharge = visitEnvelope(DischargeRequestedV1, 'ZY-TWICE');
    await publisher.publish(topics.names.inpatient, discharge);
    await publisher.publish(topics.names.inpatient, discharge);
    await waitFor('both deliveries', () =>
      discharges.filter((id) => id === discharge.id).length === 2 ? true : undefined,
    );
    const rows = await withClient(schema.databaseUrl, (c) =>
      c.query(`SELECT count(*)::int AS n FROM "${schema.schema}".discharges WHERE message_id = $1`, [
        discharge.id,
      ]),
    );
    expect(rows.rows[0].n).toBe(1);
  });

  it("keeps a visit's messages in order while partitions run concurrently", async () => {
    const keys = ['ZY-ORDER-A', 'ZY-ORDER-B', 'ZY-ORDER-C', 'ZY-ORDER-D'];
    const sent = keys.flatMap((key) =>
      [1, 2, 3, 4].map((n) => ({
        key,
        e: visitEnvelope(PatientAdmittedV1, key, { ...PatientAdmittedV1.example, medrcdno: `n${n}` }),
      })),
    );
    for (const { e } of sent) await publisher.publish(topics.names.inpatient, e);
    await waitFor('all ordered messages', () =>
      sent.every(({ e }) => seen.some((s) => s.id === e.id)) ? true : undefined,
    );
    for (const key of keys) {
      expect(seen.filter((s) => s.key === key).map((s) => s.id)).toEqual(
        sent.filter((s) => s.key === key).map((s) => s.e.id),
      );
    }
  });

  it('on stop finishes the message in hand and commits it before disconnecting', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    const lagOf = async (partition: number) =>
      (await consumerGroupLag(admin, groupId, [topics.names.inpatient])).find(
        (p) => p.partition === partition,
      )?.lag;
    const settlement = visitEnvelope(SettlementRequestedV1, 'ZY-STOP');
    const [{ partition, baseOffset }] = await publisher.publish(topics.names.inpatient, settlement);
    await waitFor('the settlement handler to start', () => (settlementStarted ? true : undefined));
    // The message in hand is not committed yet: the group's lag on its partition counts it (and only it,
    // once the commits of the earlier messages landed).
    await waitFor('a lag of one', async () => ((await lagOf(partition)) === 1 ? true : undefined));

    const order: string[] = [];
    const stopped = host.stop().then(() => order.push('stopped'));
    expect(settlementFinished).toBe(false);
    order.push('released');
    releaseSettlement();
    await stopped;
    expect(settlementFinished).toBe(true);
    expect(order).toEqual(['released', 'stopped']);

    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topics.names.inpatient] });
      const offset = committed.partitions.find((p) => p.partition === partition)?.offset;
      expect(offset).toBe((BigInt(baseOffset ?? '0') + 1n).toString());
      expect(await lagOf(partition)).toBe(0);
    } finally {
      await admin.disconnect();
    }
  });
});
