import { createEnvelope, PatientAdmittedV1, type Envelope } from '@yb/contracts';
import { dictionaryCodes, validateInput } from '@yb/platform-client';
import { INTERFACE_EXAMPLES } from '@yb/platform-client/testing';
import { testKafka, uniqueName, waitFor, testProducer } from '@yb/testing';
import pino from 'pino';
import { RegionalDictionaries } from '../src';

// A service's copy of the region's dictionaries on the real broker: read whole before the service sends, followed
// while it runs; a local code the built-in list lacks is accepted once its dictionary is published, a code in
// neither list is still refused naming the dictionary, and a broken or foreign record changes nothing.

const dictionary = (type: string, values: string[]) =>
  createEnvelope({
    type: 'DictionaryPublished',
    schemaVersion: 1,
    key: type,
    data: {
      type,
      admdvs: '420100',
      codes: values.map((value) => ({ value, label: `label ${value}` })),
      downloaded_at: new Date().toISOString(),
    },
  });

describe('RegionalDictionaries', () => {
  const topic = uniqueName('t.dictionaries');
  const producer = testProducer();
  const send = (value: string | Envelope) =>
    producer.send({
      topic,
      messages: [{ value: typeof value === 'string' ? value : JSON.stringify(value) }],
    });
  const dictionaries = new RegionalDictionaries(
    testKafka(),
    topic,
    uniqueName('g'),
    pino({ level: 'silent' }),
  );

  afterAll(async () => {
    await dictionaries.stop();
    await producer.disconnect();
  });

  it('adds the published codes of the dictionaries the client checks, before start() resolves and after', async () => {
    const example = INTERFACE_EXAMPLES['2401'].input;
    const registration = (med_type: string) => ({
      ...example,
      mdtrtinfo: { ...example.mdtrtinfo, med_type },
    });
    expect(() => validateInput('2401', registration('22'))).toThrow(/med_type 医疗类别/);

    await producer.connect();
    await send(dictionary('MED_TYPE', ['21', '22']));
    await send('{"not": "a message"');
    await send(
      createEnvelope({
        type: 'PatientAdmitted',
        schemaVersion: 1,
        key: 'ZY1',
        data: PatientAdmittedV1.example,
      }),
    );
    await send(dictionary('not_checked_by_the_client', ['X']));
    await dictionaries.start();

    expect(dictionaryCodes('med_type')).toContain('22');
    expect(() => validateInput('2401', registration('22'))).not.toThrow();
    expect(() => validateInput('2401', registration('29'))).toThrow(
      /is not a code of dictionary med_type 医疗类别/,
    );

    await send(dictionary('psn_setlway', ['0203']));
    await waitFor(
      'the later record applied',
      () => dictionaryCodes('psn_setlway').includes('0203') || undefined,
    );
  });

  it('starts with an empty copy, making the topic, when nothing was published yet', async () => {
    const empty = new RegionalDictionaries(
      testKafka(),
      uniqueName('t.dictionaries-none'),
      uniqueName('g'),
      pino({ level: 'silent' }),
    );
    try {
      await empty.start();
    } finally {
      await empty.stop();
    }
  });
});
