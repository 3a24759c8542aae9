import { Inject, Injectable, Module, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import {
  createEnvelope,
  DeadLetterHeaders,
  DeadLetterPayloadHeaders,
  dlqTopic,
  FeeLinesVoidedV1,
  parseMessage,
  PatientAdmittedV1,
  Topics,
  type MessageOf,
} from '@yb/contracts';
import {
  ensureTopics,
  headersAsText,
  KafkaConsumerHost,
  KafkaPublisher,
  PermanentHandlerError,
  registerCompressionCodecs,
} from '@yb/messaging';
import { PlatformClient } from '@yb/platform-client';
import {
  createTestSchema,
  PlatformSimProcess,
  testHospitalEnv,
  testKafka,
  uniqueName,
  waitFor,
  kafkaBrokers,
  type TestSchema,
} from '@yb/testing';
import { CompressionCodecs, CompressionTypes, type Consumer, type KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  InboxAndJournalRetention,
  parseDeadLetterPayloadLocation,
  type ReadinessReport,
  SagaStateMetrics,
  ServiceRuntimeModule,
  serviceConfigFromEnv,
  topicName,
  keptPayloadAad,
} from '../src';
import { isSealedBytes, Keyring } from '@yb/sealing';

// What every service gets from the runtime, on a minimal service over the real Kafka, PostgreSQL and simulator:
// each settled platform call reported on insurance.platform-calls, dead letters counted by reason class,
// consumer lag from the broker, and the saga-state hook in /metrics.

const prefix = `${uniqueName('rt')}.`.replace(/_/g, '-');
const topics = {
  his: `${prefix}${Topics.hisInpatient}`,
  platformCalls: `${prefix}${Topics.platformCalls}`,
};
const CERTNO = '420102198001011234';

@Injectable()
class ProbeService implements OnModuleInit {
  constructor(
    @Inject(KafkaConsumerHost) private readonly host: KafkaConsumerHost,
    @Inject(PlatformClient) private readonly platform: PlatformClient,
    @Inject(SagaStateMetrics) private readonly sagaStates: SagaStateMetrics,
  ) {}

  onModuleInit(): void {
    this.sagaStates
      .register('discharge-settlement', async () => ({ AWAITING_AUDIT: 2, SETTLED: 5 }))
      .register('broken', () => Promise.reject(new Error('read model missing')));
    this.host
      .handle('PatientAdmitted', async ({ envelope }) => {
        const { mdtrt_cert_type, mdtrt_cert_no } = envelope.data;
        await this.platform.call(
          '1101',
          { data: { mdtrt_cert_type, mdtrt_cert_no } },
          { visitKey: envelope.key },
        );
      })
      .handle('FeeLinesVoided', async () => {
        throw new PermanentHandlerError('no such fee line');
      });
  }
}

describe('the service runtime', () => {
  const reports: MessageOf<'PlatformCallCompleted'>[] = [];
  const rawReports: string[] = [];
  let sim: PlatformSimProcess;
  let schema: TestSchema;
  let app: INestApplication;
  let publisher: KafkaPublisher;
  let reader: Consumer;
  let dlqReader: Consumer;
  const deadLetters: KafkaMessage[] = [];
  let baseUrl: string;

  const metricsText = async () => (await fetch(`${baseUrl}/metrics`)).text();
  const readiness = async () => {
    const response = await fetch(`${baseUrl}/health/ready`);
    return { status: response.status, body: (await response.json()) as ReadinessReport };
  };

  beforeAll(async () => {
    // The probe's own logs (a saga count failing at every scrape, on purpose) are not the test's output.
    process.env.LOG_LEVEL = 'error';
    const kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, Object.values(topics)).finally(() => admin.disconnect());
    [sim, schema] = await Promise.all([
      PlatformSimProcess.start({ PLATFORM_SIM_ENROL_UNKNOWN: 'true' }),
      createTestSchema('runtime'),
    ]);
    const config = serviceConfigFromEnv(
      { serviceName: 'runtime-probe', httpPort: 0 },
      {
        ...testHospitalEnv(sim.url, schema.schema),
        KAFKA_BROKERS: kafkaBrokers().join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_CONSUMER_GROUP: uniqueName('runtime-probe'),
        DATABASE_URL: schema.databaseUrl,
        SERVICE_SCHEMA: schema.schema,
      },
    );

    @Module({
      imports: [ServiceRuntimeModule.forRoot({ config, consumes: [topicName(config, Topics.hisInpatient)] })],
      providers: [ProbeService],
    })
    class ProbeModule {}

    app = await NestFactory.create(ProbeModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();

    publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    reader = kafka.consumer({ groupId: uniqueName('rt-reports'), maxWaitTimeInMs: 250 });
    await reader.connect();
    await reader.subscribe({ topic: topics.platformCalls, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        rawReports.push(message.value!.toString());
        reports.push(
          parseMessage(JSON.parse(message.value!.toString())) as MessageOf<'PlatformCallCompleted'>,
        );
      },
    });
    dlqReader = kafka.consumer({ groupId: uniqueName('rt-dlq'), maxWaitTimeInMs: 250 });
    await dlqReader.connect();
    await dlqReader.subscribe({ topic: dlqTopic(topics.his), fromBeginning: true });
    await dlqReader.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
  }, 120_000);

  afterAll(async () => {
    registerCompressionCodecs();
    await reader?.disconnect();
    await dlqReader?.disconnect();
    await publisher?.disconnect();
    await app?.close();
    await sim?.stop();
    await schema?.drop();
    const admin = testKafka().admin();
    await admin.connect();
    const ours = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    await admin.deleteTopics({ topics: ours }).finally(() => admin.disconnect());
  }, 60_000);

  it('reports each settled platform call on insurance.platform-calls, without the patient', async () => {
    const ipt_no = `ZY${Date.now()}`.slice(0, 20);
    const admitted = createEnvelope({
      type: 'PatientAdmitted',
      schemaVersion: 1,
      key: ipt_no,
      data: { ...PatientAdmittedV1.example, ipt_no, mdtrt_cert_no: CERTNO },
    });
    await publisher.publish(topics.his, admitted);

    const report = await waitFor('the 1101 report', () => reports.find((r) => r.key === ipt_no));
    expect(report.data).toMatchObject({
      service: 'runtime-probe',
      infno: '1101',
      outcome: 'SUCCEEDED',
      ipt_no,
    });
    expect(report.data.duration_ms).toBeGreaterThan(0);
    // The msgid is the journal's, and the report never carries the ID number the request did.
    const journal = await app.get(PlatformClient).journalEntry(report.data.msgid);
    expect(journal).toMatchObject({ infno: '1101', status: 'SUCCEEDED', visitKey: ipt_no });
    expect(JSON.stringify(journal!.request)).toContain(CERTNO);
    expect(rawReports.join('\n')).not.toContain(CERTNO);

    const text = await metricsText();
    expect(text).toMatch(/^yb_platform_calls_total\{[^}]*infno="1101"[^}]*outcome="succeeded"[^}]*\} 1$/m);
    expect(text).toMatch(/^yb_platform_call_duration_seconds_bucket\{le="60",[^}]*infno="1101"[^}]*\} 1$/m);
  });

  it('counts dead letters by topic and reason class, and reads the lag from the broker', async () => {
    const voided = { ...FeeLinesVoidedV1.example, ipt_no: 'ZYDLQ1' };
    await publisher.publish(
      topics.his,
      createEnvelope({ type: 'FeeLinesVoided', schemaVersion: 1, key: 'ZYDLQ1', data: voided }),
    );
    const deadLetter = new RegExp(
      `^yb_dead_letters_total\\{topic="${topics.his}",reason="refused"[^}]*\\} 1$`,
      'm',
    );
    await waitFor('the dead letter counted', async () =>
      deadLetter.test(await metricsText()) ? true : undefined,
    );
    // Both messages handled and committed: nothing left behind on the partition.
    const noLag = new RegExp(`^yb_kafka_consumer_lag\\{topic="${topics.his}",partition="0"[^}]*\\} 0$`, 'm');
    await waitFor('a lag of zero', async () => (noLag.test(await metricsText()) ? true : undefined));
  });

  it('is ready with the consumer consuming, and says so in /metrics', async () => {
    expect(await readiness()).toEqual({
      status: 200,
      body: { status: 'ready', checks: { database: 'ok', kafka: 'ok', platform: 'ok', consumer: 'ok' } },
    });
    const text = await metricsText();
    expect(text).toMatch(/^yb_consumer_up\{[^}]*\} 1$/m);
    expect(text).toMatch(/^yb_consumer_waiting_records\{[^}]*\} 0$/m);
    expect(text).toMatch(/^yb_outbox_quarantined\{[^}]*\} 0$/m);
  });

  it("keeps the payload of a dead letter too large for its topic in the service's schema", async () => {
    // Incompressible, just under the broker's default limit: the dead letter cannot carry it even gzip-compressed.
    const value = randomBytes(1_048_400);
    await publisher.publishRecords(topics.his, [{ key: 'ZYHUGE1', value, headers: { marker: 'huge' } }]);
    const dead = await waitFor('the dead letter', () =>
      deadLetters.map((m) => ({ m, h: headersAsText(m.headers) })).find((d) => d.h.marker === 'huge'),
    );
    expect(dead.m.value).toBeNull();
    expect(dead.h[DeadLetterHeaders.reason]).toMatch(/^payload is not JSON/);
    const location = parseDeadLetterPayloadLocation(dead.h[DeadLetterPayloadHeaders.location]!);
    expect(location?.schema).toBe(schema.schema);
    const [kept] = await app.get(DataSource).query(
      `SELECT message_key, payload, consumer_group, original_topic, original_partition, original_offset::text AS offset
         FROM "${schema.schema}".dead_letter_payloads WHERE id = $1`,
      [location!.id],
    );
    expect(kept.message_key.toString()).toBe('ZYHUGE1');
    // Sealed at rest (the test keyring of jest-setup), opened by the dead-letter desk.
    expect(isSealedBytes(kept.payload)).toBe(true);
    const record = { ...kept, original_offset: kept.offset };
    expect(
      Buffer.compare(Keyring.fromEnv().openBytes(kept.payload, keptPayloadAad(schema.schema, record)), value),
    ).toBe(0);
    expect([kept.original_topic, kept.offset]).toEqual([
      topics.his,
      dead.h[DeadLetterHeaders.originalOffset],
    ]);
  });

  it("serves the registered sagas' states, leaving out a saga whose count failed", async () => {
    const text = await metricsText();
    expect(text).toMatch(/^yb_sagas_by_state\{saga="discharge-settlement",state="AWAITING_AUDIT"[^}]*\} 2$/m);
    expect(text).toMatch(/^yb_sagas_by_state\{saga="discharge-settlement",state="SETTLED"[^}]*\} 5$/m);
    expect(text).not.toMatch(/saga="broken"/);
    expect(text).toMatch(/^yb_outbox_backlog\{[^}]*\} 0$/m);
  });

  it('prunes inbox records, settled platform calls and closed dead-letter payloads past their retention', async () => {
    const inbox = `"${schema.schema}".inbox`;
    const journal = `"${schema.schema}".platform_call_journal`;
    const consumer = uniqueName('retention');
    await app.get(DataSource).query(
      `INSERT INTO ${inbox} (message_id, consumer, processed_at) VALUES
         ('inbox-old', $1, now() - interval '15 days'), ('inbox-young', $1, now() - interval '13 days')`,
      [consumer],
    );
    const call = (msgid: string, infno: string, status: string, days: number) =>
      app.get(DataSource).query(
        `INSERT INTO ${journal} (msgid, call_id, attempt, infno, visit_key, status, request, updated_at)
         VALUES ($1, gen_random_uuid(), 1, $2, 'ZY-RETENTION', $3, '{}'::jsonb, now() - make_interval(days => $4))`,
        [msgid, infno, status, days],
      );
    await call('R-SETTLED-OLD', '2303', 'SUCCEEDED', 181);
    await call('R-REFUSED-OLD', '2601', 'REVERSAL_REFUSED', 181);
    await call('R-SIGNIN-UNKNOWN-OLD', '9001', 'UNKNOWN', 181);
    await call('R-UNKNOWN-OLD', '2303', 'UNKNOWN', 400);
    await call('R-RESOLVING-OLD', '2304', 'RESOLVING', 400);
    await call('R-SETTLED-YOUNG', '2303', 'SUCCEEDED', 179);
    const payloads = `"${schema.schema}".dead_letter_payloads`;
    const payload = (offset: number, closed: string | null, days: number) =>
      app.get(DataSource).query(
        `INSERT INTO ${payloads} (consumer_group, original_topic, original_partition, original_offset, payload,
           reason, stored_at, closed_as, closed_at)
         VALUES ('retention', 'his.inpatient', 0, $1, 'x', 'too large', now() - interval '400 days', $2::text,
           CASE WHEN $2::text IS NULL THEN NULL ELSE now() - make_interval(days => $3) END)`,
        [offset, closed, days],
      );
    await payload(1, 'replayed', 31);
    await payload(2, 'resolved', 31);
    await payload(3, 'replayed', 29);
    await payload(4, null, 0); // never dealt with: kept however old

    // The defaults: 14 days of inbox, 180 days of settled calls, 30 days of a payload after its replay.
    expect(await app.get(InboxAndJournalRetention).pruneOnce()).toEqual({
      inbox: 1,
      platformCallJournal: 3,
      deadLetterPayloads: 2,
    });
    const payloadsLeft: { original_offset: string }[] = await app
      .get(DataSource)
      .query(`SELECT original_offset FROM ${payloads} WHERE consumer_group = 'retention' ORDER BY 1`);
    expect(payloadsLeft.map((r) => Number(r.original_offset))).toEqual([3, 4]);

    const inboxLeft: { message_id: string }[] = await app
      .get(DataSource)
      .query(`SELECT message_id FROM ${inbox} WHERE consumer = $1`, [consumer]);
    expect(inboxLeft.map((r) => r.message_id)).toEqual(['inbox-young']);
    const callsLeft: { msgid: string }[] = await app
      .get(DataSource)
      .query(`SELECT msgid FROM ${journal} WHERE visit_key = 'ZY-RETENTION' ORDER BY msgid`);
    expect(callsLeft.map((r) => r.msgid)).toEqual(['R-RESOLVING-OLD', 'R-SETTLED-YOUNG', 'R-UNKNOWN-OLD']);
    // The calls of this run (the 9001 sign-in, the 1101 above) are young: kept.
    const [{ young }] = await app
      .get(DataSource)
      .query(`SELECT count(*)::int AS young FROM ${journal} WHERE visit_key <> 'ZY-RETENTION'`);
    expect(young).toBeGreaterThan(0);
  });

  it('answers not ready while the consumer is restarting after a crash, and ready once it consumes again', async () => {
    const admitted = createEnvelope({
      type: 'PatientAdmitted',
      schemaVersion: 1,
      key: 'ZYCRASH1',
      data: { ...PatientAdmittedV1.example, ipt_no: 'ZYCRASH1', mdtrt_cert_no: CERTNO },
    });
    // A record in a codec the client cannot decode crashes kafkajs. Made so for this test before the record is
    // sent (it compresses still), or the running consumer could read it first.
    const lz4 = CompressionCodecs[CompressionTypes.LZ4];
    (CompressionCodecs as Record<number, unknown>)[CompressionTypes.LZ4] = () => ({
      compress: lz4().compress,
      decompress: () => {
        throw Object.assign(new Error('LZ4 compression not implemented'), { name: 'KafkaJSNotImplemented' });
      },
    });
    await publisher.publishRecords(
      topics.his,
      [{ key: admitted.key, value: JSON.stringify(admitted), headers: { 'message-type': admitted.type } }],
      CompressionTypes.LZ4,
    );
    const notReady = await waitFor('not ready', async () => {
      const r = await readiness();
      return r.status === 503 ? r : undefined;
    });
    expect(notReady.body.checks.consumer).toMatch(
      /^restarting after a crash at .*: LZ4 compression not implemented$/,
    );
    const crashed = await metricsText();
    expect(crashed).toMatch(/^yb_consumer_up\{[^}]*\} 0$/m);
    expect(crashed).toMatch(/^yb_consumer_crashes_total\{[^}]*\} [1-9]\d*$/m);

    CompressionCodecs[CompressionTypes.LZ4] = lz4;
    await waitFor('the 1101 of the record that crashed it', () => reports.find((r) => r.key === 'ZYCRASH1'));
    await waitFor('ready again', async () => ((await readiness()).status === 200 ? true : undefined));
  }, 90_000);
});
