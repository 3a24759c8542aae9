import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  type Envelope,
  AdmissionCancelledV1,
  DeadLetterHeaders,
  DischargeRequestedV1,
  FeeLinesChargedV1,
  MessageHeaders,
  PatientAdmittedV1,
  dlqTopic,
} from '@yb/contracts';
import {
  createTestSchema,
  createTestTopics,
  testKafka,
  uniqueName,
  waitFor,
  type TestSchema,
  type TestTopics,
} from '@yb/testing';
import { type Admin, type Consumer, type Kafka, type KafkaMessage, type Message } from 'kafkajs';
import { Pool } from 'pg';
import {
  type DeadLetterReason,
  type GroupedMessage,
  KafkaConsumerHost,
  KafkaPublisher,
  PermanentHandlerError,
  deadLetterPayload,
  headersAsText,
} from '../src';
import { visitEnvelope } from './support/visit-envelope';

// Key groups on one partition (every key shares it, and a send is fetched as one batch). The handlers write
// their effects to PostgreSQL, a group's in one transaction, so the order of effects is the database's.

const spans = new InMemorySpanExporter();
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
tracerProvider.register();

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let topics: TestTopics<'grouped'>;
let schema: TestSchema;
let pool: Pool;
let kafka: Kafka;
let publisher: KafkaPublisher;
let host: KafkaConsumerHost;
let dlqReader: Consumer;
let admin: Admin;
const groupId = uniqueName('grouped');
const deadLetters: KafkaMessage[] = [];
const deadLettersCounted: DeadLetterReason[] = [];

/** Each call of the group handler: the ids it was given, and the active span while it ran. */
const groupCalls: { ids: string[]; activeSpanId?: string; traceSpanIds: string[] }[] = [];
/** Keys whose next multi-record group fails before reporting anything done (a transaction rolled back). */
const failNextGroupOf = new Set<string>();

const poisoned = (key: string) =>
  visitEnvelope(FeeLinesChargedV1, key, {
    lines: [{ ...FeeLinesChargedV1.example.lines[0]!, feedetl_sn: 'POISON' }],
  });
const isPoisoned = ({ envelope: e }: GroupedMessage<'PatientAdmitted' | 'FeeLinesCharged'>) =>
  'lines' in e.data && e.data.lines.some((line) => line.feedetl_sn === 'POISON');

/** As the outbox relay and KafkaPublisher send it: keyed by the visit, with the type header. */
function recordOf(e: Envelope): Message {
  return { key: e.key, value: JSON.stringify(e), headers: { [MessageHeaders.messageType]: e.type } };
}

/** The effects of messages in one transaction, in the order given. */
async function recordEffects(handler: 'group' | 'one', messages: readonly { envelope: Envelope }[]) {
  await pool.query(
    `INSERT INTO "${schema.schema}".effects (message_id, ipt_no, handler)
     SELECT u.id, u.key, $3 FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS u(id, key, n)
     ORDER BY u.n ON CONFLICT DO NOTHING`,
    [messages.map((m) => m.envelope.id), messages.map((m) => m.envelope.key), handler],
  );
}

/** The messages of a key with effects, in the order they were recorded. */
async function effectsOf(key: string): Promise<string[]> {
  const { rows } = await pool.query(
    `SELECT message_id FROM "${schema.schema}".effects WHERE ipt_no = $1 ORDER BY seq`,
    [key],
  );
  return rows.map((r: { message_id: string }) => r.message_id);
}

function deadLetterOf(id: string) {
  return waitFor('the dead letter', () =>
    deadLetters
      .map((m) => ({ headers: headersAsText(m.headers), value: deadLetterPayload(m)?.toString() ?? '' }))
      .find((m) => m.value.includes(id)),
  );
}

const callsWith = (ids: string[]) => groupCalls.filter((c) => c.ids.some((id) => ids.includes(id)));

beforeAll(async () => {
  topics = await createTestTopics(['grouped'], { partitions: 1 });
  schema = await createTestSchema('messaging_group');
  pool = new Pool({ connectionString: schema.databaseUrl, max: 4 });
  await pool.query(`CREATE TABLE "${schema.schema}".effects (
    seq bigserial, message_id uuid PRIMARY KEY, ipt_no text NOT NULL, handler text NOT NULL)`);
  kafka = testKafka();
  admin = kafka.admin();
  await admin.connect();
  publisher = new KafkaPublisher(kafka);
  await publisher.connect();
  host = new KafkaConsumerHost({
    kafka,
    publisher,
    groupId,
    topics: [topics.names.grouped],
    retry: { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 100 },
    logger: quiet,
    onDeadLetter: ({ reason }) => void deadLettersCounted.push(reason),
  });
  host
    .handleGroup(['PatientAdmitted', 'FeeLinesCharged'], async (messages, done) => {
      groupCalls.push({
        ids: messages.map((m) => m.envelope.id),
        activeSpanId: trace.getActiveSpan()?.spanContext().spanId,
        traceSpanIds: messages.map((m) => trace.getSpan(m.traceContext)?.spanContext().spanId ?? ''),
      });
      const key = messages[0].envelope.key;
      if (messages.length > 1 && failNextGroupOf.delete(key)) throw new Error('connection reset');
      // As CommandHandler.handleAll does: those before a refused one are committed, it is reported.
      const refused = messages.findIndex(isPoisoned);
      await recordEffects('group', refused === -1 ? messages : messages.slice(0, refused));
      if (refused === -1) return;
      done(refused);
      throw new PermanentHandlerError('fee batch poison refused');
    })
    .handle('DischargeRequested', async (message) => recordEffects('one', [message]));
  await host.start();

  dlqReader = kafka.consumer({ groupId: uniqueName('grouped-dlq'), maxWaitTimeInMs: 200 });
  await dlqReader.connect();
  await dlqReader.subscribe({ topics: [dlqTopic(topics.names.grouped)], fromBeginning: true });
  await dlqReader.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
});

afterAll(async () => {
  await host?.stop();
  await dlqReader?.disconnect();
  await admin?.disconnect();
  await publisher?.disconnect();
  await pool?.end();
  await schema?.drop();
  await topics?.delete();
  await tracerProvider.shutdown();
});

describe('KafkaConsumerHost, key groups', () => {
  it("hands a key's consecutive records of a batch to its group handler in one call, in offset order, each in its own consumer span", async () => {
    const key = 'ZY-GROUP-ONE';
    const traceparentOf = (n: number) => `00-${n.toString(16).padStart(32, 'a')}-b7ad6b716920333${n}-01`;
    const handled = [1, 2, 3, 4, 5].map((n) =>
      visitEnvelope(
        n % 2 ? PatientAdmittedV1 : FeeLinesChargedV1,
        key,
        n % 2 ? PatientAdmittedV1.example : FeeLinesChargedV1.example,
        traceparentOf(n),
      ),
    );
    const invalidBefore = deadLettersCounted.length;
    const [{ baseOffset }] = await publisher.publishRecords(topics.names.grouped, [
      recordOf(handled[0]),
      recordOf(handled[1]),
      // Another service's type between them: skipped by its header, it does not end the group.
      recordOf(visitEnvelope(AdmissionCancelledV1, key)),
      recordOf(handled[2]),
      // A grouped type whose payload is not JSON: dead-lettered, it does not enter the group.
      { key, value: '{not json', headers: { [MessageHeaders.messageType]: 'PatientAdmitted' } },
      recordOf(handled[3]),
      recordOf(handled[4]),
    ]);
    const ids = handled.map((e) => e.id);
    await waitFor('the group handled', async () =>
      (await effectsOf(key)).length === ids.length ? true : undefined,
    );
    expect(await effectsOf(key)).toEqual(ids);
    expect(callsWith(ids).map((c) => c.ids)).toEqual([ids]);
    await waitFor('the invalid record dead-lettered', () =>
      deadLettersCounted.slice(invalidBefore).includes('invalid') ? true : undefined,
    );
    // The whole batch committed: the group's records, the skipped and the dead-lettered one.
    const end = (BigInt(baseOffset ?? '0') + 7n).toString();
    await waitFor('the batch committed', async () => {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topics.names.grouped] });
      return committed?.partitions[0]?.offset === end ? true : undefined;
    });

    // One consumer span per record, the child of its own producer's context; the handler ran in the first's.
    const [call] = callsWith(ids);
    const finished = spans.getFinishedSpans();
    const spanOf = (spanId: string) => finished.find((s) => s.spanContext().spanId === spanId);
    handled.forEach((e, n) => {
      const span = spanOf(call.traceSpanIds[n]);
      expect(span?.name).toBe(`${topics.names.grouped} process`);
      expect(span?.attributes['messaging.message.id']).toBe(e.id);
      expect(span?.spanContext().traceId).toBe(traceparentOf(n + 1).split('-')[1]);
      expect(span?.parentSpanContext?.spanId).toBe(traceparentOf(n + 1).split('-')[2]);
    });
    expect(call.activeSpanId).toBe(call.traceSpanIds[0]);
  });

  it('a record the group fails on is handled alone and dead-lettered; the records before it stay done, those after it are handled alone, in order', async () => {
    const key = 'ZY-GROUP-POISON';
    const [a, b, poison, c, d] = [
      visitEnvelope(PatientAdmittedV1, key),
      visitEnvelope(FeeLinesChargedV1, key),
      poisoned(key),
      visitEnvelope(FeeLinesChargedV1, key),
      visitEnvelope(PatientAdmittedV1, key),
    ];
    await publisher.publishRecords(topics.names.grouped, [a, b, poison, c, d].map(recordOf));
    await waitFor('the records after the poisoned one', async () =>
      (await effectsOf(key)).length === 4 ? true : undefined,
    );
    expect(await effectsOf(key)).toEqual([a.id, b.id, c.id, d.id]);
    // The group once; then, one at a time, the poisoned record (refused at once, not retried) and the later ones.
    expect(callsWith([a.id, b.id, poison.id, c.id, d.id]).map((call) => call.ids)).toEqual([
      [a.id, b.id, poison.id, c.id, d.id],
      [poison.id],
      [c.id],
      [d.id],
    ]);
    const dead = await deadLetterOf(poison.id);
    expect(dead.headers[DeadLetterHeaders.reason]).toBe(
      'handler refused the message: fee batch poison refused',
    );
    expect(dead.headers[DeadLetterHeaders.attempts]).toBe('1');
  });

  it('a group handler failing before anything was done: every record is handled alone, in order', async () => {
    const key = 'ZY-GROUP-TRANSIENT';
    const sent = [PatientAdmittedV1, FeeLinesChargedV1, PatientAdmittedV1].map((c) => visitEnvelope(c, key));
    const ids = sent.map((e) => e.id);
    failNextGroupOf.add(key);
    await publisher.publishRecords(topics.names.grouped, sent.map(recordOf));
    await waitFor('every record handled', async () =>
      (await effectsOf(key)).length === 3 ? true : undefined,
    );
    expect(await effectsOf(key)).toEqual(ids);
    expect(callsWith(ids).map((call) => call.ids)).toEqual([ids, [ids[0]], [ids[1]], [ids[2]]]);
    expect(deadLetters.some((m) => ids.some((id) => deadLetterPayload(m)?.toString().includes(id)))).toBe(
      false,
    );
  });

  it("keeps each key's order: a record for another handler ends its key's group, keys' groups apart", async () => {
    const [k1, k2] = ['ZY-GROUP-ORDER-1', 'ZY-GROUP-ORDER-2'];
    const sent = [
      visitEnvelope(PatientAdmittedV1, k1),
      visitEnvelope(PatientAdmittedV1, k2),
      visitEnvelope(FeeLinesChargedV1, k1),
      visitEnvelope(DischargeRequestedV1, k1),
      visitEnvelope(FeeLinesChargedV1, k2),
      visitEnvelope(FeeLinesChargedV1, k1),
      visitEnvelope(DischargeRequestedV1, k2),
    ];
    await publisher.publishRecords(topics.names.grouped, sent.map(recordOf));
    const idsOf = (key: string) => sent.filter((e) => e.key === key).map((e) => e.id);
    await waitFor('every record handled', async () =>
      (await effectsOf(k1)).length === 4 && (await effectsOf(k2)).length === 3 ? true : undefined,
    );
    expect(await effectsOf(k1)).toEqual(idsOf(k1));
    expect(await effectsOf(k2)).toEqual(idsOf(k2));
    const [one1, one2, one3, one4] = idsOf(k1);
    expect(callsWith(idsOf(k1)).map((c) => c.ids)).toEqual([[one1, one2], [one4]]);
    expect(one3).toBe(sent[3].id);
    const [two1, two2] = idsOf(k2);
    expect(callsWith(idsOf(k2)).map((c) => c.ids)).toEqual([[two1, two2]]);
  });

  it('refuses a type registered twice', () => {
    const other = new KafkaConsumerHost({ kafka, groupId: uniqueName('refuse'), topics: ['t'] });
    other.handle('DischargeRequested', async () => undefined);
    expect(() => other.handleGroup(['PatientAdmitted', 'DischargeRequested'], async () => undefined)).toThrow(
      'a handler for DischargeRequested is already registered',
    );
    expect(() => other.handleGroup(['FeeLinesCharged', 'FeeLinesCharged'], async () => undefined)).toThrow(
      'a handler for FeeLinesCharged is already registered',
    );
    // Nothing of a refused registration stays.
    expect(other.handledTypes).toEqual(['DischargeRequested']);
  });
});
