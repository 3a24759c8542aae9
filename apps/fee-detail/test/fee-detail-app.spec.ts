import {
  createEnvelope,
  parseMessage,
  PatientAdmittedV1,
  type MessageOf,
  type MessageType,
} from '@yb/contracts';
import { ensureTopics, KafkaPublisher, openEnvelope } from '@yb/messaging';
import { type PlatformClient } from '@yb/platform-client';
import {
  createTestSchema,
  kafkaBrokers,
  testKafka,
  uniqueName,
  waitFor,
  withClient,
  type TestSchema,
  ChildService,
  PlatformSimProcess,
  testHospitalEnv,
} from '@yb/testing';
import Decimal from 'decimal.js';
import { type Consumer } from 'kafkajs';
import { hostname } from 'node:os';
import { type DataSource } from 'typeorm';
import { feeDetailTopics } from '../src/fee-detail-topics';
import { migratedDataSource, registerVisit, startTestPlatformClient } from './support/test-hospital';
import { AMOXICILLIN, BED, CEFTRIAXONE, line, PERSONS, type SimVisit } from './support/test-fees';

// The whole fee-detail app as production runs it: src/main.ts in a child process, configured only through
// its environment (unique topic prefix, schema and consumer group), against the real Kafka and PostgreSQL
// and the platform simulator (another child process). The test plays the HIS and the admission service.

interface SimSignIn {
  sign_no: string;
  signed_out: boolean;
}
interface JournalRow {
  msgid: string;
  status: string;
  resolution: { outcome: string } | null;
}

const LISTENING = /fee-detail listening on (http:\/\/[^\s"]+)/;

describe('the fee-detail app (main.ts) over Kafka, PostgreSQL and the platform simulator', () => {
  const prefix = `${uniqueName('fd-app')}.`.replace(/_/g, '-');
  const topics = feeDetailTopics({ topicPrefix: prefix });
  const ipt_no = 'ZY-APP-1';
  const results: MessageOf<MessageType>[] = [];
  let sim: PlatformSimProcess;
  let schema: TestSchema;
  let hospitalSchema: TestSchema;
  let admissionDataSource: DataSource;
  let admissionClient: PlatformClient;
  let publisher: KafkaPublisher;
  let resultReader: Consumer;
  let app: ChildService;
  let appEnv: NodeJS.ProcessEnv;
  let mdtrt_id: string;

  const appUrl = () => app.ready[1]!;
  const simVisit = () => sim.admin<SimVisit>('GET', `/sim/ledger/visits/${mdtrt_id}`);
  const signIns = async () => (await sim.admin<{ signIns: SimSignIn[] }>('GET', '/sim/ledger')).signIns;
  const uploadedSns = (visit: SimVisit) =>
    visit.feeLines
      .filter((l) => l.status === 'uploaded')
      .map((l) => l.feedetl_sn)
      .sort();
  const feeResults = <T extends MessageType>(type: T) =>
    results.filter((m): m is MessageOf<T> => m.type === type && m.key === ipt_no);
  const journal = (infno: string) =>
    withClient(schema.databaseUrl, async (c) => {
      const { rows } = await c.query<JournalRow>(
        `SELECT msgid, status, resolution FROM "${schema.schema}".platform_call_journal
          WHERE infno = $1 ORDER BY created_at`,
        [infno],
      );
      return rows;
    });

  async function publish(type: MessageType, topic: string, data: unknown): Promise<void> {
    await publisher.publish(topic, createEnvelope({ type, schemaVersion: 1, key: ipt_no, data }));
  }

  beforeAll(async () => {
    sim = await PlatformSimProcess.start();
    schema = await createTestSchema('fee_detail_app');
    hospitalSchema = await createTestSchema('fee_detail_app_hospital');
    const kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, Object.values(topics)).finally(() => admin.disconnect());

    // The admission service's part: 2401 with a journal of its own. Its msgids and the app's come from one
    // hospital-wide counter (NHSA_MSGID_SCHEMA), as every service of a hospital must share it.
    admissionDataSource = await migratedDataSource(hospitalSchema);
    admissionClient = await startTestPlatformClient({
      simUrl: sim.url,
      dataSource: admissionDataSource,
      msgidSchema: hospitalSchema.schema,
      timeoutMs: 10_000,
    });
    publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    resultReader = kafka.consumer({ groupId: uniqueName('fd-app-results'), maxWaitTimeInMs: 200 });
    await resultReader.connect();
    await resultReader.subscribe({ topic: topics.insuranceInpatient, fromBeginning: true });
    await resultReader.run({
      eachMessage: async ({ message }) => {
        results.push(parseMessage(openEnvelope(JSON.parse(message.value!.toString()))));
      },
    });

    appEnv = {
      ...process.env,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_CONSUMER_GROUP: uniqueName('fee-detail'),
      KAFKA_TOPIC_PREFIX: prefix,
      DATABASE_URL: schema.databaseUrl,
      SERVICE_SCHEMA: schema.schema,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      ...testHospitalEnv(sim.url, hospitalSchema.schema),
      // Longer than the simulator's held answer below, so that the crash finds the 2301 still PENDING.
      NHSA_TIMEOUT_MS: '60000',
      FEE_DETAIL_BATCH_SIZE: '2',
    };
    app = await ChildService.start('apps/fee-detail/src/main.ts', appEnv, LISTENING);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await resultReader?.disconnect();
    await publisher?.disconnect();
    await admissionClient?.stop().catch(() => undefined);
    await admissionDataSource?.destroy();
    await sim?.stop();
    const admin = testKafka().admin();
    await admin.connect();
    await admin
      .deleteTopics({ topics: Object.values(topics) })
      .catch(() => undefined)
      .finally(() => admin.disconnect());
    await schema?.drop();
    await hospitalSchema?.drop();
  }, 60_000);

  it('answers ready once started: database, Kafka and the 9001 sign-in', async () => {
    const live = await fetch(`${appUrl()}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${appUrl()}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', kafka: 'ok', platform: 'ok', consumer: 'ok' },
    });
  });

  it("carries a registered visit's fee lines from the HIS to the platform and publishes the results", async () => {
    const { psn_no, insutype, insuplc_admdvs } = PERSONS.A;
    await publish('PatientAdmitted', topics.hisInpatient, {
      ...PatientAdmittedV1.example,
      ipt_no,
      psn_no,
      insutype,
      insuplc_admdvs,
    });
    // Charged before the visit is registered: these wait in the ledger.
    await publish('FeeLinesCharged', topics.hisInpatient, {
      ipt_no,
      lines: [line('F1', 1, BED, '1', '50'), line('F2', 1, AMOXICILLIN, '2', '18.3')],
    });
    const registration = await registerVisit(admissionClient, { ipt_no, psn_no, insutype, insuplc_admdvs });
    mdtrt_id = registration.mdtrt_id;
    await publish('AdmissionRegistered', topics.insuranceInpatient, {
      ipt_no,
      mdtrt_id,
      psn_no,
      msgid: registration.msgid,
    });
    await publish('FeeLinesCharged', topics.hisInpatient, {
      ipt_no,
      lines: [line('F3', 2, CEFTRIAXONE, '1', '45'), line('F4', 2, AMOXICILLIN, '-1', '18.3', 'F2')],
    });

    const expected = ['F1', 'F2', 'F3', 'F4'];
    const onPlatform = await waitFor(
      'the four lines on the platform',
      async () => {
        const visit = await simVisit();
        return uploadedSns(visit).join() === expected.join() ? visit : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(new Decimal(onPlatform.uploadedTotal).toFixed(2)).toBe('113.30'); // 50 + 36.60 + 45 - 18.30

    const uploaded = await waitFor(
      'FeeLinesUploaded for the four lines',
      () => {
        const sns = feeResults('FeeLinesUploaded').flatMap((m) => m.data.lines.map((l) => l.feedetl_sn));
        return sns.length >= expected.length ? sns.sort() : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(uploaded).toEqual(expected);
    expect(feeResults('FeeLinesRejected')).toEqual([]);
  }, 90_000);

  it('serves its metrics as Prometheus text, with the 2301 calls it made and how its ledger cache served', async () => {
    const response = await fetch(`${appUrl()}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^# HELP yb_outbox_backlog /m);
    expect(text).toMatch(/^# TYPE yb_platform_calls_total counter$/m);
    expect(text).toMatch(
      /^yb_platform_calls_total\{[^}]*infno="2301"[^}]*outcome="succeeded"[^}]*\} [1-9]\d*$/m,
    );
    expect(text).toMatch(/^yb_platform_call_duration_seconds_count\{[^}]*infno="2301"[^}]*\} [1-9]\d*$/m);
    // The visit's ledger: opened by its first message without a read, then decided on as held, never read whole.
    expect(text).toMatch(/^yb_stream_cache_streams\{cache="fee-ledger"[^}]*\} 1$/m);
    expect(text).toMatch(
      /^yb_stream_cache_lookups_total\{cache="fee-ledger",served="held"[^}]*\} [1-9]\d*$/m,
    );
    expect(text).toMatch(/^yb_stream_cache_lookups_total\{cache="fee-ledger",served="read_whole"[^}]*\} 0$/m);
    expect(text).toMatch(/^yb_stream_cache_events_limit\{cache="fee-ledger"[^}]*\} 20000$/m);
  });

  it('settles at start-up a 2301 that a crash left PENDING: revoked line by line, then uploaded again', async () => {
    // The platform applies the batch but its answer is held: the app is killed while it waits.
    await sim.admin('POST', '/sim/faults', {
      infno: '2301',
      mode: 'timeout-after-apply',
      times: 1,
      latencyMs: 30_000,
    });
    await publish('FeeLinesCharged', topics.hisInpatient, {
      ipt_no,
      lines: [line('F5', 3, BED, '1', '50'), line('F6', 3, AMOXICILLIN, '1', '18.3')],
    });
    await waitFor('the held batch applied on the platform', async () =>
      uploadedSns(await simVisit()).includes('F6') ? true : undefined,
    );
    const crash = await app.stop('SIGKILL');
    expect(crash.signal).toBe('SIGKILL');
    const pending = (await journal('2301')).filter((row) => row.status === 'PENDING');
    expect(pending).toHaveLength(1);
    // The killed app left the visit's lease (renewed while it waited) under its replica name, the default: the
    // restart below, under the same name, must take it back at once rather than wait it out.
    const leases = await withClient(
      schema.databaseUrl,
      async (c) =>
        (
          await c.query(
            `SELECT leased_by FROM "${schema.schema}".pending_work WHERE stream_id = $1 AND lease_until > now()`,
            [`fee-ledger-${ipt_no}`],
          )
        ).rows,
    );
    expect(leases).toEqual([{ leased_by: `fee-detail@${hostname()}` }]);
    // recover() leaves alone a PENDING call younger than the longest timeout + 60 s (another instance may
    // still be waiting for its answer): the app stays down longer than that.
    await withClient(schema.databaseUrl, (c) =>
      c.query(
        `UPDATE "${schema.schema}".platform_call_journal SET updated_at = now() - interval '10 minutes'
          WHERE msgid = $1`,
        [pending[0]!.msgid],
      ),
    );

    const signedInBefore = new Set((await signIns()).map((s) => s.sign_no));
    app = await ChildService.start('apps/fee-detail/src/main.ts', appEnv, LISTENING);
    // recover() ran before the app listened: the resolver (FeeUploader.resolveCall) settled the row.
    const [crashed] = (await journal('2301')).filter((row) => row.msgid === pending[0]!.msgid);
    expect(crashed).toMatchObject({ status: 'RESOLVED', resolution: { outcome: 'UNDONE' } });
    expect(app.output).toContain('platform call left unsettled by an earlier run');

    const visit = await waitFor('the lines on the platform once each', async () => {
      const v = await simVisit();
      return uploadedSns(v).join() === 'F1,F2,F3,F4,F5,F6' ? v : undefined;
    });
    expect(new Decimal(visit.uploadedTotal).toFixed(2)).toBe('181.60'); // 113.30 + 50 + 18.30
    expect(visit.feeLines.filter((l) => l.feedetl_sn === 'F5' && l.status === 'revoked')).toHaveLength(1);
    await waitFor('FeeLinesUploaded for F5 and F6', () =>
      feeResults('FeeLinesUploaded').some((m) => m.data.lines.some((l) => l.feedetl_sn === 'F6'))
        ? true
        : undefined,
    );
    const appSignIns = (await signIns()).filter((s) => !signedInBefore.has(s.sign_no));
    expect(appSignIns).toEqual([expect.objectContaining({ signed_out: false })]);
  }, 120_000);

  it('shuts down cleanly on SIGTERM: the consumer, relay and sign-in (9002) are closed', async () => {
    const signedIn = (await signIns()).filter((s) => !s.signed_out).map((s) => s.sign_no);
    const exit = await app.stop('SIGTERM');
    // Nest re-raises the signal once every shutdown hook succeeded; a failing hook exits with code 1.
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    const closed = (await signIns()).filter((s) => signedIn.includes(s.sign_no) && s.signed_out);
    // The app's own sign-in is now closed; the admission client's stays open until afterAll.
    expect(closed).toHaveLength(1);
  }, 60_000);
});
