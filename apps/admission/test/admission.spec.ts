import { randomUUID } from 'node:crypto';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  commandTopic,
  createEnvelope,
  DeadLetterHeaders,
  dlqTopic,
  FeeLinesUploadedV1,
  parseMessage,
  PatientAdmittedV1,
  Topics,
  type DataOf,
  type Envelope,
  type MessageOf,
  type MessageType,
} from '@yb/contracts';
import { deadLetterPayload, ensureTopics, KafkaPublisher, openEnvelope } from '@yb/messaging';
import { CommandHandler, EventStore } from '@yb/event-store';
import { serviceConfigFromEnv, type ServiceConfig } from '@yb/service-runtime';
import {
  createTestSchema,
  kafkaBrokers,
  testKafka,
  uniqueName,
  waitFor,
  type TestSchema,
  PlatformSimProcess,
  testHospitalEnv,
} from '@yb/testing';
import { type Consumer, type KafkaMessage } from 'kafkajs';
import { AdmissionModule } from '../src/admission.module';
import { visitDecider } from '../src/visit/visit.decider';
import { visitStreamId, VisitWorkflow } from '../src/visit/visit-workflow';

// Seeded persons of the simulator (fictitious).
const ZHANG = {
  psn_no: '42000019800101123456',
  certno: '420102198001011234',
  insutype: '310',
  admdvs: '420100',
};
const LI = { psn_no: '42000000000000000000023456', certno: '420106195202280024' };
const IN_ARREARS = { psn_no: '42000000000000000000056789', certno: '420104198807070057' };
const WANG = {
  psn_no: '42000000000000000000034567',
  certno: '420502199011110036',
  insutype: '390',
  admdvs: '420500',
};

interface Registration {
  mdtrt_id: string;
  psn_no: string;
  ipt_no: string;
  msgid: string;
  status: string;
  history: { infno: string; msgid: string }[];
}
interface Ledger {
  registrations: Registration[];
  reversals: { msgid: string; omsgid: string; oinfno: string }[];
  messages: { msgid: string; infno: string; infcode: number }[];
}

/** The saga's discharge command (2402) for a visit. */
const dischargeOf = (ipt_no: string) => ({
  ipt_no,
  endtime: '2024-05-08 10:00:00',
  dscg_way: '1',
  dscg_dept_codg: 'A03.01',
  dscg_dept_name: '呼吸内科',
  diagnoses: PatientAdmittedV1.example.diagnoses,
});
describe('admission over Kafka, PostgreSQL and the platform simulator', () => {
  const prefix = `${uniqueName('adm')}.`.replace(/_/g, '-');
  const topics = {
    his: `${prefix}${Topics.hisInpatient}`,
    commands: `${prefix}${commandTopic('admission')}`,
    insurance: `${prefix}${Topics.insuranceInpatient}`,
  };
  const results: MessageOf<MessageType>[] = [];
  const deadLetters: KafkaMessage[] = [];
  let sim: PlatformSimProcess;
  let schema: TestSchema;
  let app: INestApplication;
  let config: ServiceConfig;
  let publisher: KafkaPublisher;
  let readers: Consumer[] = [];

  const ledger = () => sim.admin<Ledger>('GET', '/sim/ledger');
  const resultsOf = <T extends MessageType>(type: T, ipt_no: string) =>
    results.filter((m): m is MessageOf<T> => m.type === type && m.key === ipt_no);
  const awaitResult = <T extends MessageType>(type: T, ipt_no: string) =>
    waitFor(`${type} for ${ipt_no}`, () => resultsOf(type, ipt_no)[0], { timeoutMs: 45_000 });

  async function publish(
    type: MessageType,
    ipt_no: string,
    data: unknown,
    topic = topics.his,
  ): Promise<Envelope> {
    const envelope = createEnvelope({ type, schemaVersion: 1, key: ipt_no, data });
    await publisher.publish(topic, envelope);
    return envelope;
  }

  /** The contract's example admission for another visit and person (the example's own psn_no left out). */
  function admission(ipt_no: string, person: Record<string, unknown>) {
    const { psn_no: _examplePerson, ...example } = PatientAdmittedV1.example;
    return { ...example, ipt_no, mdtrt_cert_type: '02', ...person };
  }

  beforeAll(async () => {
    sim = await PlatformSimProcess.start();
    schema = await createTestSchema('admission');
    const kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(
      admin,
      Object.values(topics).map((topic) => ({ topic, numPartitions: 1 })),
    );
    await admin.disconnect();

    config = serviceConfigFromEnv(
      { serviceName: 'admission', httpPort: 0 },
      {
        KAFKA_BROKERS: kafkaBrokers().join(','),
        KAFKA_CONSUMER_GROUP: uniqueName('admission'),
        KAFKA_TOPIC_PREFIX: prefix,
        DATABASE_URL: schema.databaseUrl,
        SERVICE_SCHEMA: schema.schema,
        HTTP_HOST: '127.0.0.1',
        ...testHospitalEnv(sim.url, schema.schema),
        NHSA_TIMEOUT_MS: '1500',
      },
    );
    app = await startAdmission();

    publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    const resultReader = kafka.consumer({ groupId: uniqueName('results'), maxWaitTimeInMs: 200 });
    const dlqReader = kafka.consumer({ groupId: uniqueName('dlq'), maxWaitTimeInMs: 200 });
    readers = [resultReader, dlqReader];
    await resultReader.connect();
    await resultReader.subscribe({ topic: topics.insurance, fromBeginning: true });
    await resultReader.run({
      eachMessage: async ({ message }) => {
        results.push(parseMessage(openEnvelope(JSON.parse(message.value!.toString()))));
      },
    });
    await waitFor('the dead-letter topic', async () => {
      const a = kafka.admin();
      await a.connect();
      const names = await a.listTopics().finally(() => a.disconnect());
      return names.includes(dlqTopic(topics.his)) || undefined;
    });
    await dlqReader.connect();
    await dlqReader.subscribe({ topic: dlqTopic(topics.his), fromBeginning: true });
    await dlqReader.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
  }, 120_000);

  async function startAdmission(): Promise<INestApplication> {
    const started = await NestFactory.create(AdmissionModule.forRoot(config), { logger: ['error', 'warn'] });
    started.enableShutdownHooks();
    await started.listen(0, '127.0.0.1');
    return started;
  }

  afterAll(async () => {
    for (const reader of readers) await reader.disconnect();
    await publisher?.disconnect();
    await app?.close();
    await sim?.stop();
    await schema?.drop();
  }, 60_000);

  const iptA = `ZA${Date.now()}`.slice(0, 20);
  const iptB = `ZB${Date.now()}`.slice(0, 20);
  const iptC = `ZC${Date.now()}`.slice(0, 20);
  const sent: Envelope[] = [];

  it('is ready: database, Kafka and the 9001 sign-in', async () => {
    const url = await app.getUrl();
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', kafka: 'ok', platform: 'ok', consumer: 'ok' },
    });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
  });

  it('registers an admission that names the person (2401), as the ledger shows', async () => {
    sent.push(
      await publish(
        'PatientAdmitted',
        iptA,
        admission(iptA, {
          psn_no: ZHANG.psn_no,
          mdtrt_cert_no: ZHANG.certno,
          insutype: ZHANG.insutype,
          insuplc_admdvs: ZHANG.admdvs,
        }),
      ),
    );
    const registered = await awaitResult('AdmissionRegistered', iptA);
    expect(registered.causationId).toBe(sent[0]!.id);
    // The HIS named the area and the person: 1101 was not asked, so psn_type is not known.
    expect(registered.data).toMatchObject({ insuplc_admdvs: ZHANG.admdvs, insutype: ZHANG.insutype });
    expect(registered.data).not.toHaveProperty('psn_type');
    const onPlatform = (await ledger()).registrations.filter((r) => r.ipt_no === iptA);
    expect(onPlatform).toEqual([
      expect.objectContaining({
        mdtrt_id: registered.data.mdtrt_id,
        psn_no: ZHANG.psn_no,
        msgid: registered.data.msgid,
        status: 'admitted',
      }),
    ]);
    expect((await ledger()).messages.some((m) => m.infno === '1101')).toBe(false);
  });

  it('looks the person up with 1101 when the HIS sent only a certificate, then registers', async () => {
    sent.push(
      await publish('PatientAdmitted', iptB, admission(iptB, { mdtrt_cert_no: LI.certno, insutype: '310' })),
    );
    const registered = await awaitResult('AdmissionRegistered', iptB);
    expect(registered.data.psn_no).toBe(LI.psn_no);
    // Who the person is, as 1101 said and the 2401 was sent: what every later call of the visit carries.
    expect(registered.schemaVersion).toBe(2);
    expect(registered.data).toMatchObject({
      insuplc_admdvs: '420100',
      insutype: '310',
      med_type: PatientAdmittedV1.example.med_type,
      psn_type: '1201',
    });
    const snapshot = await ledger();
    expect(snapshot.messages.filter((m) => m.infno === '1101' && m.infcode === 0)).toHaveLength(1);
    expect(snapshot.registrations.filter((r) => r.ipt_no === iptB)).toEqual([
      expect.objectContaining({ psn_no: LI.psn_no, status: 'admitted', mdtrt_id: registered.data.mdtrt_id }),
    ]);
  });

  it('changes an admission (2403), discharges on the saga command (2402), cancels another visit (2404)', async () => {
    sent.push(
      await publish(
        'AdmissionChanged',
        iptA,
        admission(iptA, {
          psn_no: ZHANG.psn_no,
          mdtrt_cert_no: ZHANG.certno,
          insutype: ZHANG.insutype,
          insuplc_admdvs: ZHANG.admdvs,
          adm_bed: '15床',
        }),
      ),
    );
    const changed = await awaitResult('AdmissionChangeRegistered', iptA);
    sent.push(await publish('DischargePatient', iptA, dischargeOf(iptA), topics.commands));
    const discharged = await awaitResult('DischargeRegistered', iptA);
    sent.push(await publish('AdmissionCancelled', iptB, { ipt_no: iptB, reason: '误登记' }));
    const cancelled = await awaitResult('AdmissionCancellationRegistered', iptB);

    const snapshot = await ledger();
    const a = snapshot.registrations.find((r) => r.ipt_no === iptA)!;
    expect(a.status).toBe('discharged');
    expect(a.history.map((h) => [h.infno, h.msgid])).toEqual([
      ['2403', changed.data.msgid],
      ['2402', discharged.data.msgid],
    ]);
    expect(snapshot.registrations.find((r) => r.ipt_no === iptB)!.status).toBe('cancelled');
    expect(cancelled.data.msgid).toBe(
      snapshot.registrations.find((r) => r.ipt_no === iptB)!.history[0]!.msgid,
    );
  });

  it('refuses what the platform would refuse, with a published reason', async () => {
    await publish('DischargePatient', iptA, dischargeOf(iptA), topics.commands);
    const refusal = await awaitResult('AdmissionRequestRefused', iptA);
    expect(refusal.data).toMatchObject({
      request: 'DischargePatient',
      infno: '2402',
      reason: expect.stringMatching(/already registered/),
    });
  });

  it('gives the same HIS events published twice no second effect', async () => {
    const before = await ledger();
    const resultCount = results.length;
    for (const envelope of sent) {
      const topic = envelope.type === 'DischargePatient' ? topics.commands : topics.his;
      await publisher.publish(topic, envelope);
    }
    // A fresh message behind the duplicates (one partition: handled after them) marks when they are done.
    await publish('SpecialAttributeRecorded', iptA, {
      ipt_no: iptA,
      ipt_psn_sp_flag_type: '01',
      ipt_psn_sp_flag: '1',
    });
    await awaitResult('SpecialAttributeRegistered', iptA);
    await publish('QuerySpecialAttributes', iptA, { ipt_no: iptA }, topics.commands);
    const queried = await awaitResult('SpecialAttributesQueried', iptA);
    expect(queried.data.attributes).toEqual([
      expect.objectContaining({ ipt_psn_sp_flag_type: '01', ipt_psn_sp_flag: '1' }),
    ]);

    const after = await ledger();
    expect(
      after.registrations.map(
        ({ history: _h, specialAttributes: _s, ...r }: Registration & { specialAttributes?: unknown }) => r,
      ),
    ).toEqual(
      before.registrations.map(
        ({ history: _h, specialAttributes: _s, ...r }: Registration & { specialAttributes?: unknown }) => r,
      ),
    );
    const newMessages = after.messages.slice(before.messages.length).map((m) => m.infno);
    expect(newMessages).toEqual(['2406', '2407']);
    expect(results.slice(resultCount).map((r) => r.type)).toEqual([
      'SpecialAttributeRegistered',
      'SpecialAttributesQueried',
    ]);
  });

  it('reverses a 2401 whose answer timed out (2601), registers again, and leaves exactly one registration', async () => {
    await sim.admin('POST', '/sim/faults', {
      infno: '2401',
      mode: 'timeout-after-apply',
      times: 1,
      latencyMs: 5_000,
    });
    await publish(
      'PatientAdmitted',
      iptC,
      admission(iptC, {
        psn_no: WANG.psn_no,
        mdtrt_cert_no: WANG.certno,
        insutype: WANG.insutype,
        insuplc_admdvs: WANG.admdvs,
      }),
    );
    const registered = await awaitResult('AdmissionRegistered', iptC);
    const reversed = resultsOf('AdmissionRegistrationReversed', iptC);
    expect(reversed).toHaveLength(1);

    const snapshot = await ledger();
    const visits = snapshot.registrations.filter((r) => r.ipt_no === iptC);
    expect(visits.filter((r) => r.status === 'admitted')).toEqual([
      expect.objectContaining({ mdtrt_id: registered.data.mdtrt_id, msgid: registered.data.msgid }),
    ]);
    expect(visits.filter((r) => r.status !== 'admitted').map((r) => [r.status, r.msgid])).toEqual([
      ['reversed', reversed[0]!.data.omsgid],
    ]);
    expect(snapshot.reversals).toEqual([
      expect.objectContaining({
        oinfno: '2401',
        omsgid: reversed[0]!.data.omsgid,
        msgid: reversed[0]!.data.reversal_msgid,
      }),
    ]);
  });

  it('sends a malformed HIS event to his.inpatient.dlq with the reason', async () => {
    const id = randomUUID();
    await publisher.publishRecords(topics.his, [
      {
        key: 'ZBAD',
        value: JSON.stringify({ id, type: 'PatientAdmitted', schemaVersion: 1, key: 'ZBAD', data: {} }),
      },
    ]);
    const dead = await waitFor('the dead letter', () =>
      deadLetters.find((m) => deadLetterPayload(m)?.toString().includes(id)),
    );
    expect(dead.headers?.[DeadLetterHeaders.reason]?.toString()).toMatch(/invalid envelope: .*occurredAt/);
  });

  it('serves Prometheus metrics with the platform calls it made', async () => {
    const text = await (await fetch(`${await app.getUrl()}/metrics`)).text();
    expect(text).toMatch(/yb_platform_calls_total\{[^}]*infno="2401"[^}]*outcome="succeeded"[^}]*\} 3/);
    expect(text).toMatch(/yb_outbox_backlog\{[^}]*\} \d+/);
  });

  // Seeded persons: 赵六 is suspended (暂停参保), 钱七 has no inpatient entitlement to the pool (arrears).
  const SUSPENDED = { certno: '420103197503150049' };
  const twoFourOhOnes = (snapshot: Ledger) => snapshot.messages.filter((m) => m.infno === '2401').length;

  it('refuses a suspended person after 1101, naming the status, and sends no 2401', async () => {
    const ipt_no = `ZS${Date.now()}`.slice(0, 20);
    const before = await ledger();
    await publish(
      'PatientAdmitted',
      ipt_no,
      admission(ipt_no, { mdtrt_cert_no: SUSPENDED.certno, insutype: '310' }),
    );
    const refusal = await awaitResult('AdmissionRequestRefused', ipt_no);
    expect(refusal.data).toMatchObject({
      request: 'PatientAdmitted',
      infno: '1101',
      reason: expect.stringMatching(/暂停参保 \(suspended\) \(psn_insu_stas 2\) since 2024-03-01/),
    });
    const after = await ledger();
    expect(after.messages.slice(before.messages.length).map((m) => [m.infno, m.infcode])).toEqual([
      ['1101', 0],
    ]);
    expect(after.registrations.filter((r) => r.ipt_no === ipt_no)).toEqual([]);
    expect(resultsOf('AdmissionRegistered', ipt_no)).toEqual([]);
  });

  it("refuses a person without inpatient entitlement after 2001, with the platform's reason, and sends no 2401", async () => {
    const ipt_no = `ZE${Date.now()}`.slice(0, 20);
    const before = await ledger();
    await publish(
      'PatientAdmitted',
      ipt_no,
      admission(ipt_no, {
        psn_no: IN_ARREARS.psn_no,
        mdtrt_cert_no: IN_ARREARS.certno,
        insutype: '310',
        insuplc_admdvs: '420100',
      }),
    );
    const refusal = await awaitResult('AdmissionRequestRefused', ipt_no);
    expect(refusal.data).toMatchObject({
      request: 'PatientAdmitted',
      infno: '2001',
      reason: expect.stringMatching(/310100: 灵活就业人员欠缴职工医保费，暂停享受住院统筹基金待遇/),
    });
    const after = await ledger();
    expect(after.messages.slice(before.messages.length).map((m) => [m.infno, m.infcode])).toEqual([
      ['2001', 0],
    ]);
    expect(twoFourOhOnes(after)).toBe(twoFourOhOnes(before));
    expect(after.registrations.filter((r) => r.ipt_no === ipt_no)).toEqual([]);
  });

  it('identifies by a social security card with its card_sn (1101), checks entitlement (2001), then registers', async () => {
    const ipt_no = `ZK${Date.now()}`.slice(0, 20);
    const before = await ledger();
    await publish(
      'PatientAdmitted',
      ipt_no,
      admission(ipt_no, {
        mdtrt_cert_type: '03',
        mdtrt_cert_no: 'H42010600002',
        card_sn: '420100D15600000600D4E5F6',
        insutype: '310',
      }),
    );
    const registered = await awaitResult('AdmissionRegistered', ipt_no);
    expect(registered.data.psn_no).toBe(LI.psn_no);
    const after = await ledger();
    expect(after.messages.slice(before.messages.length).map((m) => [m.infno, m.infcode])).toEqual([
      ['1101', 0],
      ['2001', 0],
      ['2401', 0],
    ]);
  });

  /** The person in arrears' admission data (psn_no and area named: no 1101). */
  const inArrears = (ipt_no: string, extra: Record<string, unknown> = {}) =>
    admission(ipt_no, {
      psn_no: IN_ARREARS.psn_no,
      mdtrt_cert_no: IN_ARREARS.certno,
      insutype: '310',
      insuplc_admdvs: '420100',
      ...extra,
    }) as DataOf<'PatientAdmitted'>;
  /** Admitted without 2001 (the command as a handler passes it without the check). */
  const admitInArrears = (ipt_no: string) =>
    app
      .get(VisitWorkflow)
      .handle(
        ipt_no,
        { type: 'AdmitPatient', admission: inArrears(ipt_no) },
        { envelope: { id: randomUUID(), correlationId: randomUUID() }, consumer: 'test' },
      );

  it("notes fee-detail's lines on the platform (a visit's notes of a batch in one append) and refuses 2404 until they are revoked", async () => {
    const ipt_no = `ZF${Date.now()}`.slice(0, 20);
    // The person in arrears, the one seeded person the tests above leave without a visit (2001 refused theirs).
    await admitInArrears(ipt_no);
    const { mdtrt_id } = (await awaitResult('AdmissionRegistered', ipt_no)).data;
    const example = FeeLinesUploadedV1.example;
    const uploaded = (feedetl_sns: string[]) =>
      createEnvelope({
        type: 'FeeLinesUploaded',
        schemaVersion: 1,
        key: ipt_no,
        data: {
          ...example,
          ipt_no,
          mdtrt_id,
          lines: feedetl_sns.map((feedetl_sn) => ({ ...example.lines[0], feedetl_sn })),
        },
      });
    const first = uploaded(['F1', 'F2']);
    // Three notes at once (one of them twice), then the cancellation behind them on the same partition.
    await publisher.publishAll(topics.insurance, [first, uploaded(['F3']), first]);
    await publish('AdmissionCancelled', ipt_no, { ipt_no, reason: '误登记' });
    const refusal = await awaitResult('AdmissionRequestRefused', ipt_no);
    expect(refusal.data).toMatchObject({
      request: 'AdmissionCancelled',
      infno: '2404',
      reason: expect.stringMatching(/^3 fee line\(s\) are still on the platform/),
    });
    const noted = (await app.get(EventStore).readStream(visitStreamId(ipt_no))).filter(
      (e) => e.type === 'FeeLinesNoted',
    );
    // The repeated message has no second event.
    expect(noted.map((e) => e.data)).toEqual([
      { uploaded: ['F1', 'F2'], revoked: [] },
      { uploaded: ['F3'], revoked: [] },
    ]);

    await publish(
      'FeeLinesRevoked',
      ipt_no,
      { ipt_no, mdtrt_id, msgid: example.msgid, cause: 'VOID', feedetl_sns: ['0000'] },
      topics.insurance,
    );
    await publish('AdmissionCancelled', ipt_no, { ipt_no, reason: '误登记' });
    await awaitResult('AdmissionCancellationRegistered', ipt_no);
  });

  it("holds a message back while the visit's request is unanswered, then decides it after the answer, in order", async () => {
    const ipt_no = `ZW${Date.now()}`.slice(0, 20);
    // The person the test above admitted and cancelled; the 2401 answered a second late.
    await sim.admin('POST', '/sim/faults', { infno: '2401', mode: 'latency', times: 1, latencyMs: 1_000 });
    await admitInArrears(ipt_no);
    // Consumed while the 2401 is on its way: it waits for its answer instead of queuing over it.
    await publish('AdmissionChanged', ipt_no, inArrears(ipt_no, { adm_bed: '16床' }));
    const registered = await awaitResult('AdmissionRegistered', ipt_no);
    const changed = await awaitResult('AdmissionChangeRegistered', ipt_no);
    const events = await app.get(EventStore).readStream(visitStreamId(ipt_no));
    expect(
      events
        .filter((e) => e.type === 'RequestQueued' || e.type === 'Registered' || e.type === 'Changed')
        .map((e) => [e.type, (e.data as { request?: { infno: string } }).request?.infno]),
    ).toEqual([
      ['RequestQueued', '2401'],
      ['Registered', undefined],
      ['RequestQueued', '2403'],
      ['Changed', undefined],
    ]);
    const history = (await ledger()).registrations.find((r) => r.mdtrt_id === registered.data.mdtrt_id)!;
    expect(history.history.map((h) => [h.infno, h.msgid])).toEqual([['2403', changed.data.msgid]]);
    expect(deadLetters.filter((m) => deadLetterPayload(m)?.toString().includes(ipt_no))).toEqual([]);
  });

  // Last: it restarts the service.
  it('sends, after a restart, the request a process recorded but had not sent, in the name of its message', async () => {
    const ipt_no = `ZM${Date.now()}`.slice(0, 20);
    const cause = { id: randomUUID(), correlationId: randomUUID() };
    // What the handler records before the process stops: the command, the request it queues (2001), the mark.
    const visits = new CommandHandler(app.get(EventStore), visitDecider);
    await visits.handle(
      visitStreamId(ipt_no),
      {
        type: 'AdmitPatient',
        admission: admission(ipt_no, {
          psn_no: '11000000000000000000067890',
          mdtrt_cert_no: '110101198203040066',
          insutype: '310',
          insuplc_admdvs: '110000',
        }) as DataOf<'PatientAdmitted'>,
        cause,
      },
      { owesWork: (state) => state.pending !== null },
    );
    await app.close();
    app = await startAdmission();

    const registered = await awaitResult('AdmissionRegistered', ipt_no);
    expect(registered).toMatchObject({ causationId: cause.id, correlationId: cause.correlationId });
    expect(await app.get(EventStore).pendingWork(visitStreamId(ipt_no))).toEqual([]);
  });
});
