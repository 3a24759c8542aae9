import {
  commandTopic,
  createEnvelope,
  parseMessage,
  Topics,
  type MessageOf,
  type MessageType,
} from '@yb/contracts';
import { KafkaPublisher, openEnvelope } from '@yb/messaging';
import {
  enrollableCertno,
  HisTestVisit,
  HospitalServices,
  testFeeLine,
  testKafka,
  uniqueName,
  waitFor,
} from '@yb/testing';
import { type Consumer } from 'kafkajs';

// The catalogue, admission and fee-detail as production runs them, with the platform simulator: a hospital item
// mapped by a person (3301) reaches fee-detail on the compacted mapping topic; the HIS then charges lines that
// carry only the hospital's code: the one within the price limit goes up with the national code, the one above
// it is held with its finding (the limit and the price) until a person decides, then goes up as decided.

const AMOXICILLIN = 'XJ01CAA040A001010101445';
const WAIT = { timeoutMs: 90_000 };

describe('catalogue → fee-detail: lines with the hospital code only, mapped and checked before 2301', () => {
  let hospital: HospitalServices;
  let publisher: KafkaPublisher;
  let reader: Consumer;
  const results: MessageOf<MessageType>[] = [];
  const resultsOf = <T extends MessageType>(type: T, ipt_no: string) =>
    results.filter((m): m is MessageOf<T> => m.type === type && m.key === ipt_no);
  const publish = (topic: string, type: MessageType, key: string, data: unknown) =>
    publisher.publish(topic, createEnvelope({ type, schemaVersion: 1, key, data }));

  beforeAll(async () => {
    hospital = await HospitalServices.start({
      label: 'catalogue-fees',
      services: ['catalogue', 'admission', 'fee-detail'],
      env: { OTEL_SDK_DISABLED: 'true', NHSA_TIMEOUT_MS: '5000' },
      simEnv: { PLATFORM_SIM_CATALOGUE_ITEMS: '2000' },
      serviceEnv: {
        catalogue: { CATALOGUE_DOWNLOADS: '1312A,1318', CATALOGUE_PAGE_SIZE: '1000' },
      },
    });
    publisher = new KafkaPublisher(testKafka());
    await publisher.connect();
    reader = testKafka().consumer({ groupId: uniqueName('catalogue-fees'), maxWaitTimeInMs: 200 });
    await reader.connect();
    await reader.subscribe({ topic: hospital.topics.insuranceInpatient, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) =>
        void results.push(parseMessage(openEnvelope(JSON.parse(message.value!.toString())))),
    });
  }, 180_000);

  afterAll(async () => {
    await reader?.disconnect();
    await publisher?.disconnect();
    await hospital?.stop();
  });

  it('uploads a line with the mapped national code and holds one above the price limit until a person lets it go up', async () => {
    const platformMappings = async () =>
      (await hospital.sim.admin<{ itemMappings: { fixmedins_hilist_id: string }[] }>('GET', '/sim/ledger'))
        .itemMappings;
    // The 医保目录 and its limits are downloaded at the catalogue's start; the HIS publishes its item, a person maps it.
    await publish(hospital.topic(Topics.hisCatalogue), 'HospitalItemsPublished', 'items-1', {
      list_id: 'items-1',
      items: [
        { fixmedins_hilist_id: 'YP-AMOX-025', fixmedins_hilist_name: '阿莫西林胶囊', list_type: '101' },
      ],
    });
    await waitFor(
      'the mapping on the platform',
      async () => {
        await publish(hospital.topic(commandTopic('catalogue')), 'ConfirmItemMapping', 'YP-AMOX-025', {
          fixmedins_hilist_id: 'YP-AMOX-025',
          med_list_codg: AMOXICILLIN,
          requested_by: { username: 'zhangli', role: 'operator' },
        });
        return (await platformMappings()).length > 0 || undefined;
      },
      { ...WAIT, intervalMs: 3_000 },
    );

    const ipt_no = uniqueName('ZY').slice(0, 30);
    const visit = new HisTestVisit(
      publisher,
      hospital.topics.hisInpatient,
      ipt_no,
      '42000019880801000001',
      enrollableCertno(7),
    );
    await visit.admit();
    const registered = await waitFor(
      'the registration',
      () => resultsOf('AdmissionRegistered', ipt_no)[0],
      WAIT,
    );
    const hospitalCodeOnly = (feedetl_sn: string, cnt: string, pric: string) => {
      const { med_list_codg: _national, ...line } = testFeeLine(feedetl_sn, 3, AMOXICILLIN, cnt, pric);
      return { ...line, medins_list_codg: 'YP-AMOX-025' };
    };
    await publish(hospital.topics.hisInpatient, 'FeeLinesCharged', ipt_no, {
      ipt_no,
      lines: [hospitalCodeOnly(`${ipt_no}-1`, '2', '25'), hospitalCodeOnly(`${ipt_no}-2`, '1', '35')],
    });

    const held = await waitFor('the hold', () => resultsOf('FeeLinesHeld', ipt_no)[0], WAIT);
    expect(held.data.lines).toEqual([
      {
        feedetl_sn: `${ipt_no}-2`,
        medins_list_codg: 'YP-AMOX-025',
        reason: `单价35超过医保限价30.00（医保目录编码[${AMOXICILLIN}]）：明细暂挂，待人工决定仍上传或作废`,
        finding: {
          kind: 'OVER_PRICE_LIMIT',
          med_list_codg: AMOXICILLIN,
          pric: '35',
          pric_uplmt_amt: '30.00',
        },
      },
    ]);
    const uploaded = await waitFor('the upload', () => resultsOf('FeeLinesUploaded', ipt_no)[0], WAIT);
    expect(uploaded.data.lines.map((l) => l.feedetl_sn)).toEqual([`${ipt_no}-1`]);
    expect(resultsOf('FeeLinesRejected', ipt_no)).toEqual([]);
    const platformLines = async () =>
      (
        await hospital.sim.admin<{
          feeLines: { feedetl_sn: string; med_list_codg: string; status: string }[];
        }>('GET', `/sim/ledger/visits/${registered.data.mdtrt_id}`)
      ).feeLines;
    expect(await platformLines()).toEqual([
      expect.objectContaining({
        feedetl_sn: `${ipt_no}-1`,
        med_list_codg: AMOXICILLIN,
        status: 'uploaded',
      }),
    ]);

    // A person lets it go up anyway (the excess is self-pay): recorded with who and why, then on the platform.
    const requested_by = { username: 'zhangli', role: 'operator' as const };
    await publish(hospital.topic(commandTopic('fee-detail')), 'DecideHeldFeeLines', ipt_no, {
      ipt_no,
      feedetl_sns: [`${ipt_no}-2`],
      decision: 'UPLOAD_ANYWAY',
      comment: '患者知情同意，超限价部分自费',
      requested_by,
    });
    const decided = await waitFor('the decision', () => resultsOf('HeldFeeLinesDecided', ipt_no)[0], WAIT);
    expect(decided.data).toMatchObject({ decision: 'UPLOAD_ANYWAY', decided_by: requested_by });
    await waitFor(
      'the line uploaded anyway',
      () => resultsOf('FeeLinesUploaded', ipt_no).find((m) => m.data.lines[0].feedetl_sn === `${ipt_no}-2`),
      WAIT,
    );
    expect((await platformLines()).map((l) => [l.feedetl_sn, l.med_list_codg, l.status])).toEqual([
      [`${ipt_no}-1`, AMOXICILLIN, 'uploaded'],
      [`${ipt_no}-2`, AMOXICILLIN, 'uploaded'],
    ]);
  });
});
