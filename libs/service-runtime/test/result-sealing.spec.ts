import { randomBytes } from 'node:crypto';
import {
  AdmissionRegisteredV2,
  createEnvelope,
  DeadLetterHeaders,
  dlqTopic,
  parseMessage,
  SettledV1,
  type Envelope,
} from '@yb/contracts';
import { headersAsText, KafkaConsumerHost, KafkaPublisher, openEnvelope } from '@yb/messaging';
import { Keyring, SealedValueError } from '@yb/sealing';
import {
  createTestTopics,
  patientArbitrary,
  testKafka,
  uniqueName,
  waitFor,
  type GeneratedPatient,
  type TestTopics,
} from '@yb/testing';
import fc from 'fast-check';
import { type Consumer, type KafkaMessage } from 'kafkajs';
import { outboxMessageOf } from '../src';

// Our results carry psn_no (AdmissionRegistered, Settled): settlement, quality, reporting, reconciliation and the
// dashboard need it, so it is not removed but sealed where the message is written (the outbox), bound to the
// envelope id, and opened by the consumer host before validation. What lands on insurance.inpatient holds no
// person number in clear; our consumers get it back; a key missing from a consumer's ring dead-letters the record
// (kept whole, to replay) rather than losing it.

const ring = (text: string) => Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: text });
const K1 = ring(`k1:${randomBytes(32).toString('base64')}`);
const K2 = ring(`k2:${randomBytes(32).toString('base64')}`);
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

const results = (p: GeneratedPatient, n: number): Envelope[] => [
  createEnvelope({
    type: 'AdmissionRegistered',
    schemaVersion: 2,
    key: `ZY${n}`,
    data: { ...AdmissionRegisteredV2.example, ipt_no: `ZY${n}`, psn_no: p.psn_no },
  }),
  createEnvelope({
    type: 'Settled',
    schemaVersion: 1,
    key: `ZY${n}`,
    data: { ...SettledV1.example, ipt_no: `ZY${n}`, psn_no: p.psn_no },
  }),
];

describe('result messages written to the outbox', () => {
  it('hold no psn_no in clear, and open back to the message (property)', () => {
    fc.assert(
      fc.property(patientArbitrary, fc.nat(), (p, n) => {
        for (const envelope of results(p, n)) {
          const { payload } = outboxMessageOf('insurance.inpatient', envelope, K1);
          expect(payload).not.toContain(p.psn_no);
          const opened = parseMessage(openEnvelope(JSON.parse(payload), K1));
          expect(opened.data).toEqual(envelope.data);
          // Bound to its envelope: moved into another message, it does not open.
          expect(() => openEnvelope({ ...JSON.parse(payload), id: 'another-message' }, K1)).toThrow(
            SealedValueError,
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('carry psn_no in clear with sealing off (the seeded fault the check above catches)', () => {
    const [p] = fc.sample(patientArbitrary, 1);
    for (const envelope of results(p!, 1)) {
      expect(outboxMessageOf('insurance.inpatient', envelope, Keyring.CLEAR).payload).toContain(p!.psn_no);
    }
  });
});

describe('a consumer of sealed results (real Kafka)', () => {
  let topics: TestTopics<'results' | 'otherKey'>;
  let publisher: KafkaPublisher;
  const hosts: KafkaConsumerHost[] = [];
  let reader: Consumer;
  const received: Envelope[] = [];
  const deadLetters: KafkaMessage[] = [];

  beforeAll(async () => {
    topics = await createTestTopics(['results', 'otherKey']);
    const kafka = testKafka();
    publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    for (const [topic, keyring] of [
      [topics.names.results, K1],
      [topics.names.otherKey, K2],
    ] as const) {
      const host = new KafkaConsumerHost({
        kafka,
        groupId: uniqueName('results'),
        topics: [topic],
        keyring,
        logger: quiet,
      });
      host.handle('AdmissionRegistered', async ({ envelope }) => void received.push(envelope));
      host.handle('Settled', async ({ envelope }) => void received.push(envelope));
      await host.start();
      hosts.push(host);
    }
    reader = kafka.consumer({ groupId: uniqueName('results-dlq'), maxWaitTimeInMs: 200 });
    await reader.connect();
    await reader.subscribe({ topic: dlqTopic(topics.names.otherKey), fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
  });

  afterAll(async () => {
    for (const host of hosts) await host.stop();
    await reader?.disconnect();
    await publisher?.disconnect();
    await topics?.delete();
  });

  const publish = async (topic: string, envelopes: Envelope[]) => {
    const messages = envelopes.map((e) => outboxMessageOf(topic, e, K1));
    await publisher.publishRecords(
      topic,
      messages.map((m) => ({
        key: m.key,
        value: m.payload,
        headers: { ...m.headers, 'message-id': m.messageId },
      })),
    );
  };

  it('hands the handler psn_no in clear', async () => {
    const patients = fc.sample(patientArbitrary, 5);
    const sent = patients.flatMap((p, i) => results(p, i));
    await publish(topics.names.results, sent);
    await waitFor('every result handled', () => (received.length >= sent.length ? true : undefined));
    for (const envelope of sent) {
      expect(received.find((r) => r.id === envelope.id)?.data).toEqual(envelope.data);
    }
  });

  it('dead-letters a result whose sealed field its keyring cannot open, whole, saying why', async () => {
    const [p] = fc.sample(patientArbitrary, 1);
    const [registered] = results(p!, 9);
    await publish(topics.names.otherKey, [registered!]);
    const dead = await waitFor('the dead letter', () => deadLetters[0]);
    expect(headersAsText(dead.headers)[DeadLetterHeaders.reason]).toMatch(
      /a sealed field does not open: a value sealed under key "k1", which NHSA_JOURNAL_KEYS lacks/,
    );
    expect(received.some((r) => r.id === registered!.id)).toBe(false);
  });
});
