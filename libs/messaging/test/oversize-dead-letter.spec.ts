import { randomBytes } from 'node:crypto';
import {
  DeadLetterHeaders,
  DeadLetterPayloadHeaders,
  PatientAdmittedV1,
  createEnvelope,
  dlqTopic,
} from '@yb/contracts';
import { createTestTopics, testKafka, uniqueName, waitFor, type TestTopics } from '@yb/testing';
import { type Consumer, type KafkaMessage } from 'kafkajs';
import {
  KafkaConsumerHost,
  KafkaPublisher,
  ORIGINAL_RECORD_LOCATION,
  deadLetterPayload,
  deadLetterRecord,
  headersAsText,
  isMessageTooLarge,
} from '../src';

// A record near the broker's size limit (message.max.bytes, 1,048,588 bytes by default) cannot be copied to the
// dead-letter topic as it was: the copy adds the reason and where it came from. The send failed, the offset was
// never committed and the group looped on the record forever. The copy now goes gzip-compressed, and when even that
// is too large (an incompressible payload) as a headers-only record pointing at where the payload is.

/** Leaves room for the record's own framing under the broker's default limit, but not for the dead letter's headers. */
const NEAR_LIMIT_BYTES = 1_048_400;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let topics: TestTopics<'inpatient'>;
let publisher: KafkaPublisher;
let host: KafkaConsumerHost;
let dlqReader: Consumer;
const deadLetters: KafkaMessage[] = [];
const handled: string[] = [];

beforeAll(async () => {
  topics = await createTestTopics(['inpatient']);
  const kafka = testKafka();
  publisher = new KafkaPublisher(kafka);
  await publisher.connect();
  host = new KafkaConsumerHost({
    kafka,
    groupId: uniqueName('oversize'),
    topics: [topics.names.inpatient],
    logger: quiet,
  });
  host.handle('PatientAdmitted', async ({ envelope }) => void handled.push(envelope.id));
  await host.start();
  dlqReader = kafka.consumer({ groupId: uniqueName('oversize-dlq'), maxWaitTimeInMs: 200 });
  await dlqReader.connect();
  await dlqReader.subscribe({ topics: [dlqTopic(topics.names.inpatient)], fromBeginning: true });
  await dlqReader.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
});

afterAll(async () => {
  await host?.stop();
  await dlqReader?.disconnect();
  await publisher?.disconnect();
  await topics?.delete();
});

function deadLetterMarked(marker: string) {
  return waitFor('the dead letter', () =>
    deadLetters
      .map((m) => ({ m, headers: headersAsText(m.headers) }))
      .find((d) => d.headers.marker === marker),
  );
}

it('is refused by the broker as a plain copy: the records below are near the limit', async () => {
  const value = Buffer.alloc(NEAR_LIMIT_BYTES, 'a');
  const [original] = await publisher.publishRecords(topics.names.inpatient, [
    { key: 'ZY-PLAIN', value, headers: { marker: 'plain-copy-probe' } },
  ]);
  const copy = deadLetterRecord({
    topic: topics.names.inpatient,
    partition: original!.partition,
    offset: original!.baseOffset!,
    key: Buffer.from('ZY-PLAIN'),
    value,
    headers: { marker: 'plain-copy-probe' },
    groupId: 'probe',
    reason: 'payload is not JSON',
    attempts: 0,
    failedAt: new Date(),
  });
  // Sent to the test's own topic, not the dead-letter topic the host writes to.
  const refused = await publisher
    .publishRecords(topics.names.inpatient, [copy.message])
    .catch((e: unknown) => e);
  expect(isMessageTooLarge(refused)).toBe(true);
});

it('dead-letters a compressible record near the size limit whole, gzip-compressed, and moves on', async () => {
  const value = Buffer.alloc(NEAR_LIMIT_BYTES, '{"pad":"0123456789"}');
  await publisher.publishRecords(topics.names.inpatient, [
    { key: 'ZY-BIG-JSON', value, headers: { marker: 'compressible' } },
  ]);
  const after = createEnvelope({
    type: 'PatientAdmitted',
    schemaVersion: 1,
    key: 'ZY-BIG-JSON',
    data: { ...PatientAdmittedV1.example, ipt_no: 'ZY-BIG-JSON' },
  });
  await publisher.publish(topics.names.inpatient, after);

  const { m, headers } = await deadLetterMarked('compressible');
  expect(deadLetterPayload(m)?.equals(value)).toBe(true);
  expect(m.key?.toString()).toBe('ZY-BIG-JSON');
  expect(headers[DeadLetterHeaders.reason]).toMatch(/^payload is not JSON/);
  expect(headers[DeadLetterPayloadHeaders.location]).toBeUndefined();
  await waitFor('the record after it handled', () => (handled.includes(after.id) ? true : undefined));
});

it('dead-letters an incompressible record near the size limit as headers pointing at the original record', async () => {
  const value = randomBytes(NEAR_LIMIT_BYTES);
  const [original] = await publisher.publishRecords(topics.names.inpatient, [
    { key: 'ZY-BIG-BYTES', value, headers: { marker: 'incompressible' } },
  ]);
  const after = createEnvelope({
    type: 'PatientAdmitted',
    schemaVersion: 1,
    key: 'ZY-BIG-BYTES',
    data: { ...PatientAdmittedV1.example, ipt_no: 'ZY-BIG-BYTES' },
  });
  await publisher.publish(topics.names.inpatient, after);

  const { m, headers } = await deadLetterMarked('incompressible');
  expect(m.value).toBeNull();
  expect(m.key?.toString()).toBe('ZY-BIG-BYTES');
  expect(headers).toMatchObject({
    [DeadLetterPayloadHeaders.location]: ORIGINAL_RECORD_LOCATION,
    [DeadLetterPayloadHeaders.bytes]: String(NEAR_LIMIT_BYTES),
    [DeadLetterHeaders.originalTopic]: topics.names.inpatient,
    [DeadLetterHeaders.originalPartition]: String(original!.partition),
    [DeadLetterHeaders.originalOffset]: original!.baseOffset,
  });
  expect(headers[DeadLetterHeaders.reason]).toMatch(/^payload is not JSON/);
  await waitFor('the record after it handled', () => (handled.includes(after.id) ? true : undefined));
});
