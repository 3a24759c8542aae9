import { PatientAdmittedV1, createEnvelope } from '@yb/contracts';
import { createTestTopics, testKafka, uniqueName, waitFor, type TestTopics } from '@yb/testing';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { KafkaConsumerHost, KafkaPublisher, registerCompressionCodecs } from '../src';

// A crash inside kafkajs that it does not restart from (a non-retriable error: here a record compressed with a codec
// the client cannot decode, as snappy was before the codecs were registered) used to leave a live process consuming
// nothing. The host reports it (health: restarting, with the error) and starts the consumer again, with backoff,
// until it consumes.

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let topics: TestTopics<'inpatient'>;
let host: KafkaConsumerHost | undefined;

beforeAll(async () => {
  topics = await createTestTopics(['inpatient']);
});

afterAll(async () => {
  registerCompressionCodecs();
  await host?.stop();
  await topics?.delete();
});

it('reports a crashed consumer as restarting and starts it again until it consumes', async () => {
  const kafka = testKafka();
  const publisher = new KafkaPublisher(kafka);
  await publisher.connect();
  const admitted = createEnvelope({
    type: 'PatientAdmitted',
    schemaVersion: 1,
    key: 'ZY-CRASH',
    data: { ...PatientAdmittedV1.example, ipt_no: 'ZY-CRASH' },
  });
  registerCompressionCodecs();
  await publisher.publishRecords(
    topics.names.inpatient,
    [{ key: admitted.key, value: JSON.stringify(admitted) }],
    CompressionTypes.LZ4,
  );
  await publisher.disconnect();

  const handled: string[] = [];
  const crashes: Error[] = [];
  host = new KafkaConsumerHost({
    kafka,
    groupId: uniqueName('crash'),
    topics: [topics.names.inpatient],
    logger: quiet,
    onCrash: (error) => crashes.push(error),
  });
  host.handle('PatientAdmitted', async ({ envelope }) => void handled.push(envelope.id));
  const lz4 = CompressionCodecs[CompressionTypes.LZ4];
  // The client cannot decode lz4 any more: its first fetch fails with KafkaJSNotImplemented, which kafkajs does
  // not restart from.
  (CompressionCodecs as Record<number, unknown>)[CompressionTypes.LZ4] = () => {
    throw Object.assign(new Error('LZ4 compression not implemented'), { name: 'KafkaJSNotImplemented' });
  };
  await host.start();

  const crashed = await waitFor('the crash reported', () => {
    const health = host!.health();
    return health.state === 'restarting' ? health : undefined;
  });
  expect(crashed.crash?.error).toMatch(/LZ4/);
  expect(crashes[0]?.message).toMatch(/LZ4/);
  // Started again and crashed again (the cause is still there), never consuming in between.
  await waitFor('a second crash after the restart', () => (crashes.length >= 2 ? true : undefined));
  expect(handled).toEqual([]);
  expect(host.health().state).toBe('restarting');

  CompressionCodecs[CompressionTypes.LZ4] = lz4;
  await waitFor('the record handled after a restart', () =>
    handled.includes(admitted.id) ? true : undefined,
  );
  expect(host.health()).toEqual({ state: 'consuming' });
}, 60_000);
