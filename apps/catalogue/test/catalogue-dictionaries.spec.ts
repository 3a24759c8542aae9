import {
  DeadLetterHeaders,
  dlqTopic,
  parseMessage,
  Topics,
  type MessageOf,
  type MessageType,
} from '@yb/contracts';
import { headersAsText, KafkaPublisher, openEnvelope } from '@yb/messaging';
import { dictionaryCodes } from '@yb/platform-client';
import {
  enrollableCertno,
  HisTestVisit,
  HospitalServices,
  testKafka,
  uniqueName,
  waitFor,
} from '@yb/testing';
import { type Consumer } from 'kafkajs';

// The region's dictionaries, end to end with the platform simulator: the catalogue downloads 1901 and publishes
// each dictionary; admission, started before, extends its lists while it runs, so a 外伤住院 (med_type 22, a code of
// the simulator region's 1901 that the client's built-in list lacks) is registered with 2401, while an admission
// with a code in no list is dead-lettered naming the field and the dictionary.

const WAIT = { timeoutMs: 120_000 };

describe('catalogue → every service: the region’s 1901 dictionaries extend what the platform client accepts', () => {
  let hospital: HospitalServices;
  let publisher: KafkaPublisher;
  const readers: Consumer[] = [];
  const messages: MessageOf<MessageType>[] = [];
  const deadLetters: { key: string; reason: string }[] = [];
  const read = async (topic: string) => {
    const reader = testKafka().consumer({ groupId: uniqueName('dictionaries'), maxWaitTimeInMs: 200 });
    readers.push(reader);
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) =>
        // Our results carry psn_no sealed: opened as a consuming service does.
        void messages.push(parseMessage(openEnvelope(JSON.parse(message.value!.toString())))),
    });
  };

  beforeAll(async () => {
    hospital = await HospitalServices.start({
      label: 'catalogue-dictionaries',
      services: ['admission', 'catalogue'],
      env: { OTEL_SDK_DISABLED: 'true', NHSA_TIMEOUT_MS: '5000' },
      serviceEnv: { catalogue: { CATALOGUE_DOWNLOADS: '1901' }, admission: { LOG_LEVEL: 'info' } },
    });
    publisher = new KafkaPublisher(testKafka());
    await publisher.connect();
    await read(hospital.topic(Topics.catalogueDictionaries));
    await read(hospital.topics.insuranceInpatient);
    const dlq = testKafka().consumer({ groupId: uniqueName('dictionaries-dlq'), maxWaitTimeInMs: 200 });
    readers.push(dlq);
    await dlq.connect();
    await dlq.subscribe({ topic: dlqTopic(hospital.topics.hisInpatient), fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) =>
        void deadLetters.push({
          key: message.key?.toString() ?? '',
          reason: headersAsText(message.headers)[DeadLetterHeaders.reason] ?? '',
        }),
    });
  }, 180_000);

  afterAll(async () => {
    for (const reader of readers) await reader.disconnect();
    await publisher?.disconnect();
    await hospital?.stop();
  });

  it('publishes each downloaded dictionary, and admission registers a visit with the region-local code', async () => {
    expect(dictionaryCodes('med_type')).not.toContain('22');
    const medType = await waitFor(
      'the med_type dictionary published',
      () =>
        messages.find(
          (m): m is MessageOf<'DictionaryPublished'> =>
            m.type === 'DictionaryPublished' && (m.data as { type: string }).type === 'med_type',
        ),
      WAIT,
    );
    expect(medType.key).toBe('med_type');
    expect(medType.data.codes).toContainEqual({ value: '22', label: '外伤住院' });
    // Admission follows the topic on its own: the HIS admits once admission says it has the list.
    await waitFor(
      "admission's copy of med_type",
      () =>
        /"type":"med_type"[^\n]*regional dictionary applied/.test(hospital.service('admission').output) ||
        undefined,
      WAIT,
    );

    const ipt_no = uniqueName('ZY').slice(0, 30);
    const visit = new HisTestVisit(
      publisher,
      hospital.topics.hisInpatient,
      ipt_no,
      '42000019880801000001',
      enrollableCertno(11),
    );
    await visit.admit({ med_type: '22' });
    const registered = await waitFor(
      'the registration',
      () =>
        messages.find(
          (m): m is MessageOf<'AdmissionRegistered'> => m.type === 'AdmissionRegistered' && m.key === ipt_no,
        ),
      WAIT,
    );
    const onPlatform = await hospital.sim.admin<{ med_type?: string; mdtrtinfo?: { med_type?: string } }>(
      'GET',
      `/sim/ledger/visits/${registered.data.mdtrt_id}`,
    );
    expect(JSON.stringify(onPlatform)).toContain('"med_type":"22"');

    const unknown = new HisTestVisit(
      publisher,
      hospital.topics.hisInpatient,
      `${ipt_no.slice(0, 27)}-U`,
      '42000019880801000001',
      enrollableCertno(12),
    );
    await unknown.admit({ med_type: '29' });
    const refused = await waitFor(
      'the admission with an unknown code dead-lettered',
      () => deadLetters.find((d) => d.key === unknown.ipt_no),
      WAIT,
    );
    expect(refused.reason).toContain('med_type "29" is not a code of dictionary med_type 医疗类别');
    expect(refused.reason).toContain('22');
  }, 300_000);
});
