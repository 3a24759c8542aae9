import { PatientAdmittedV1, createEnvelope } from '@yb/contracts';
import {
  createTestTopics,
  kafkaLibs,
  runConsoleProducer,
  testKafka,
  uniqueName,
  waitFor,
  type TestTopics,
} from '@yb/testing';
import { KafkaConsumerHost } from '../src';

// A HIS producer may compress with any codec Kafka has; kafkajs decodes gzip only, and one record in another codec
// used to crash every consumer of its partition's broker. Records produced by Kafka's own console producer with
// snappy, lz4 and zstd (and gzip) must reach the handler, valid and in order, none dead-lettered.

const CODECS = ['snappy', 'lz4', 'zstd', 'gzip'] as const;
const RECORDS_PER_CODEC = 20;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let topics: TestTopics<'inpatient'>;
let libs: string;
let host: KafkaConsumerHost | undefined;

beforeAll(() => {
  libs = kafkaLibs();
}, 600_000);

beforeAll(async () => {
  topics = await createTestTopics(['inpatient']);
});

afterAll(async () => {
  await host?.stop();
  await topics?.delete();
});

it('consumes records Kafka’s console producer compressed with snappy, lz4, zstd and gzip', async () => {
  const topic = topics.names.inpatient;
  const sent = new Map<string, string[]>();
  for (const codec of CODECS) {
    // Twenty records in one line-up: the producer compresses them as one batch.
    const key = `ZY-${codec.toUpperCase()}`;
    const envelopes = Array.from({ length: RECORDS_PER_CODEC }, (_, n) =>
      createEnvelope({
        type: 'PatientAdmitted',
        schemaVersion: 1,
        key,
        data: { ...PatientAdmittedV1.example, ipt_no: key, medrcdno: `${codec}-${n}` },
      }),
    );
    sent.set(
      codec,
      envelopes.map((e) => e.id),
    );
    const produced = runConsoleProducer(
      libs,
      topic,
      envelopes.map((e) => `message-id:${e.id},message-type:${e.type}\t${e.key}\t${JSON.stringify(e)}`),
      codec,
    );
    expect({ codec, ...produced }).toEqual({ codec, status: 0, errors: null });
  }

  const handled: { id: string; key: string }[] = [];
  const deadLettered: string[] = [];
  host = new KafkaConsumerHost({
    kafka: testKafka(),
    groupId: uniqueName('codecs'),
    topics: [topic],
    logger: quiet,
    onDeadLetter: ({ reason }) => deadLettered.push(reason),
  });
  host.handle('PatientAdmitted', async ({ envelope }) => void handled.push(envelope));
  await host.start();

  await waitFor('every record handled', () =>
    handled.length >= RECORDS_PER_CODEC * CODECS.length ? true : undefined,
  );
  for (const codec of CODECS) {
    expect(handled.filter((h) => h.key === `ZY-${codec.toUpperCase()}`).map((h) => h.id)).toEqual(
      sent.get(codec),
    );
  }
  expect(deadLettered).toEqual([]);
  expect(host.health().state).toBe('consuming');
}, 120_000);
