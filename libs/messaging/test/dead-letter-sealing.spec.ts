import { randomBytes } from 'node:crypto';
import {
  createEnvelope,
  DeadLetterHeaders,
  DeadLetterPayloadHeaders,
  dlqTopic,
  PatientAdmittedV2,
} from '@yb/contracts';
import { Keyring, SealedValueError } from '@yb/sealing';
import {
  createTestTopics,
  identifierValues,
  patientArbitrary,
  testKafka,
  uniqueName,
  waitFor,
  type GeneratedPatient,
  type TestTopics,
} from '@yb/testing';
import fc from 'fast-check';
import { type Consumer, type KafkaMessage } from 'kafkajs';
import {
  KafkaConsumerHost,
  KafkaPublisher,
  PermanentHandlerError,
  deadLetterPayload,
  headersAsText,
} from '../src';

// Dead-letter topics are read by the HIS's people and the hospital's operators: a HIS record refused there holds
// the patient's certificate, name, phone and birth date. Given generated patients whose records are refused (at
// the edge, and by a handler whose error quotes them), no identifier is in clear anywhere in what lands on the
// dead-letter topic (payload and every header), and the payload opens back to the record as it was sent.

const keyring = (text: string) => Keyring.fromEnv('NHSA_JOURNAL_KEYS', { NHSA_JOURNAL_KEYS: text });
const K1 = keyring(`k1:${randomBytes(32).toString('base64')}`);
const PATIENTS = 25;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Every identifier of `p` found in clear in the dead letter as a consumer of its topic receives it. */
export function identifiersInClear(record: KafkaMessage, p: GeneratedPatient): string[] {
  const text = [
    record.key?.toString('utf8') ?? '',
    record.value?.toString('utf8') ?? '',
    ...Object.entries(headersAsText(record.headers)).map(([k, v]) => `${k}: ${v}`),
  ].join('\n');
  return [...identifierValues(p), p.brdy].filter((v) => text.includes(v));
}

function admitted(p: GeneratedPatient, ipt_no: string, invalid: boolean) {
  const envelope = createEnvelope({
    type: 'PatientAdmitted',
    schemaVersion: 2,
    key: ipt_no,
    data: {
      ...PatientAdmittedV2.example,
      ipt_no,
      psn_no: p.psn_no,
      mdtrt_cert_no: p.certno,
      psn_name: p.psn_name,
      tel: p.mobile,
      coner_name: p.psn_name,
      brdy: p.brdy,
    },
  });
  // Refused at the edge: a field the contract does not know, beside the identifiers.
  return invalid ? { ...envelope, data: { ...envelope.data, emp_name: p.emp_name } } : envelope;
}

let topics: TestTopics<'sealed' | 'clear'>;
let publisher: KafkaPublisher;
const hosts: KafkaConsumerHost[] = [];
let reader: Consumer;
const deadLetters = new Map<string, KafkaMessage[]>();

beforeAll(async () => {
  topics = await createTestTopics(['sealed', 'clear']);
  const kafka = testKafka();
  publisher = new KafkaPublisher(kafka);
  await publisher.connect();
  for (const [topic, ring] of [
    [topics.names.sealed, K1],
    // The seeded fault: sealing switched off (no keys).
    [topics.names.clear, Keyring.CLEAR],
  ] as const) {
    const host = new KafkaConsumerHost({
      kafka,
      groupId: uniqueName('dlq-sealing'),
      topics: [topic],
      keyring: ring,
      logger: quiet,
    });
    host.handle('PatientAdmitted', async ({ envelope }) => {
      const d = envelope.data;
      throw new PermanentHandlerError(
        `参保人${d.psn_name ?? ''}证件号${d.mdtrt_cert_no}不存在，联系电话${d.tel ?? ''}，人员编号${d.psn_no ?? ''}`,
      );
    });
    await host.start();
    hosts.push(host);
  }
  reader = kafka.consumer({ groupId: uniqueName('dlq-sealing-reader'), maxWaitTimeInMs: 200 });
  await reader.connect();
  await reader.subscribe({
    topics: [dlqTopic(topics.names.sealed), dlqTopic(topics.names.clear)],
    fromBeginning: true,
  });
  await reader.run({
    eachMessage: async ({ topic, message }) =>
      void deadLetters.set(topic, [...(deadLetters.get(topic) ?? []), message]),
  });
});

afterAll(async () => {
  for (const host of hosts) await host.stop();
  await reader?.disconnect();
  await publisher?.disconnect();
  await topics?.delete();
});

/** Publishes a refused record per generated patient to `topic`; its dead letters with their patients. */
async function refuse(topic: string, patients: readonly GeneratedPatient[]) {
  const sent = patients.map((p, i) => admitted(p, `ZY${i}`, i % 2 === 0));
  await publisher.publishRecords(
    topic,
    sent.map((e) => ({ key: e.key, value: JSON.stringify(e), headers: { 'message-id': e.id } })),
  );
  const records = await waitFor(`${patients.length} dead letters`, () => {
    const got = deadLetters.get(dlqTopic(topic)) ?? [];
    return got.length >= patients.length ? got : undefined;
  });
  return records.map((record) => {
    const i = sent.findIndex((e) => e.id === headersAsText(record.headers)['message-id']);
    return { record, patient: patients[i]!, sent: sent[i]! };
  });
}

it('lands no identifier in clear on the dead-letter topic, and the payload opens back (property)', async () => {
  const patients = fc.sample(patientArbitrary, PATIENTS);
  const dead = await refuse(topics.names.sealed, patients);
  expect(dead).toHaveLength(PATIENTS);
  for (const { record, patient, sent } of dead) {
    expect(identifiersInClear(record, patient)).toEqual([]);
    const headers = headersAsText(record.headers);
    expect(headers[DeadLetterPayloadHeaders.sealed]).toBe('k1');
    // The reason stays readable, the patient masked in it.
    expect(headers[DeadLetterHeaders.reason]).toMatch(
      /^(invalid PatientAdmitted v2|handler refused the message: 参保人.*证件号\d{3}\*+)/,
    );
    expect(JSON.parse(deadLetterPayload(record, K1)!.toString('utf8'))).toEqual(sent);
  }
  // Bound to its own dead letter: the payload copied onto another one does not open.
  const [a, b] = dead;
  expect(() => deadLetterPayload({ value: a!.record.value, headers: b!.record.headers }, K1)).toThrow(
    SealedValueError,
  );
});

it('finds the identifiers when sealing is off (the seeded fault)', async () => {
  const patients = fc.sample(patientArbitrary, 4);
  const dead = await refuse(topics.names.clear, patients);
  for (const { record, patient } of dead) {
    expect(record.headers?.[DeadLetterPayloadHeaders.sealed]).toBeUndefined();
    expect(identifiersInClear(record, patient)).toEqual(
      expect.arrayContaining([patient.certno, patient.psn_name, patient.mobile, patient.brdy]),
    );
  }
});
