import { randomUUID } from 'node:crypto';
import {
  commandTopic,
  createEnvelope,
  DeadLetterHeaders,
  dlqTopic,
  Topics,
  type Envelope,
} from '@yb/contracts';
import { KafkaPublisher } from '@yb/messaging';
import { testKafka, uniqueName, waitFor, withClient, type TestSchema, testProducer } from '@yb/testing';
import { type Consumer, type KafkaMessage } from 'kafkajs';
import { DashboardClient, type Json } from './support/dashboard-client';
import { EpisodeResults } from './support/episode-results';
import { startTestDashboard, type TestDashboard } from './support/test-dashboard';

// The dashboard in process over the real Kafka and PostgreSQL (the platform simulator only for the runtime's
// sign-in): results published as the services publish them, every endpoint called as each role.

const PASSWORDS = { admin: randomUUID(), op: randomUUID(), viewer: randomUUID() };
const DAY = '2024-05-08';
/** The day of the settlements reversed in our books (本地冲销), apart from DAY's figures. */
const REVERSAL_DAY = '2024-05-09';
const CERTNO = '420102198001011234';

describe('billing dashboard API over Kafka and PostgreSQL', () => {
  const run = String(Date.now()).slice(-8);
  const commands: Envelope[] = [];
  const deadLetters: KafkaMessage[] = [];
  let dashboard: TestDashboard;
  let prefix: string;
  let schema: TestSchema;
  let publisher: KafkaPublisher;
  let commandReader: Consumer;
  let url: string;
  let admin: DashboardClient;
  let operator: DashboardClient;
  let viewer: DashboardClient;
  let episode: EpisodeResults;
  let visitId: string;

  const visitOf = async (client: DashboardClient, ipt_no: string) =>
    ((await client.get(`/api/visits?page_size=200`)).items as Json[]).find((v) => v.ipt_no === ipt_no);

  beforeAll(async () => {
    dashboard = await startTestDashboard('dashboard', {
      DASHBOARD_BOOTSTRAP_USERS: `admin:${PASSWORDS.admin}:admin,op:${PASSWORDS.op}:operator,viewer:${PASSWORDS.viewer}:viewer`,
      DASHBOARD_WEB_DIR: '/nonexistent/web',
      // Tests stand for clients at other addresses with X-Forwarded-For, as a reverse proxy would send it.
      DASHBOARD_TRUSTED_PROXIES: 'loopback',
    });
    ({ url, prefix, schema } = dashboard);
    const kafka = testKafka();

    publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    commandReader = kafka.consumer({ groupId: uniqueName('dash-commands'), maxWaitTimeInMs: 250 });
    await commandReader.connect();
    await commandReader.subscribe({
      topics: [
        ...(['settlement', 'quality', 'reporting'] as const).map((s) => `${prefix}${commandTopic(s)}`),
        `${prefix}${dlqTopic(Topics.insuranceInpatient)}`,
      ],
      fromBeginning: true,
    });
    await commandReader.run({
      eachMessage: async ({ topic, message }) => {
        if (topic.endsWith('.dlq')) deadLetters.push(message);
        else commands.push(JSON.parse(message.value!.toString()));
      },
    });

    [admin, operator, viewer] = await Promise.all([
      DashboardClient.signIn(url, 'admin', PASSWORDS.admin),
      DashboardClient.signIn(url, 'op', PASSWORDS.op),
      DashboardClient.signIn(url, 'viewer', PASSWORDS.viewer),
    ]);
    episode = new EpisodeResults(publisher, prefix, { ipt_no: `ZY${run}01`, day: DAY, certno: CERTNO });
    await episode.publish([...episode.admission(), ...episode.blockingFinding()]);
    const visit = await waitFor('the visit with its fee total and the blocking finding', async () => {
      const v = await visitOf(viewer, episode.options.ipt_no);
      if (v?.fee_total === '54.90' && v.saga_state === 'WAITING_FOR_PERSON') return v;
      throw new Error(`the visit is ${JSON.stringify(v)}`);
    });
    visitId = visit.visit_id;
  }, 120_000);

  afterAll(async () => {
    await commandReader?.disconnect();
    await publisher?.disconnect();
    await dashboard?.stop();
  });

  const commandOf = (id: string) =>
    waitFor(`command ${id} on Kafka`, () => commands.find((c) => c.id === id));

  it('signs in with an HttpOnly, SameSite=Strict session cookie that expires; refuses a wrong password', async () => {
    const response = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: new URL(url).origin },
      body: JSON.stringify({ username: 'viewer', password: PASSWORDS.viewer }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('yb_dashboard_session='))!;
    expect(cookie).toMatch(/^yb_dashboard_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Max-Age=28800/);
    // Not listening on loopback only: Secure by default.
    expect(cookie).toMatch(/; Secure/);
    expect(await response.json()).toMatchObject({
      username: 'viewer',
      role: 'viewer',
      csrf_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });

    const wrong = await DashboardClient.anonymous(url).request('POST', '/api/session', {
      username: 'viewer',
      password: 'not-the-password',
    });
    expect(wrong.status).toBe(401);
    const nobody = await DashboardClient.anonymous(url).request('POST', '/api/session', {
      username: 'nobody',
      password: 'whatever-it-is',
    });
    expect(nobody.status).toBe(401);
  });

  const READ_ROUTES = [
    '/api/session',
    '/api/overview',
    '/api/visits',
    '/api/settlements',
    '/api/sagas',
    '/api/findings',
    '/api/reports',
    '/api/reports/backlog',
    '/api/platform-health',
    '/api/queue',
    '/api/operator-actions',
  ];

  it('answers 401 to every route without a session, and to a forged cookie', async () => {
    const anonymous = DashboardClient.anonymous(url);
    for (const route of [...READ_ROUTES, `/api/visits/${randomUUID()}`, '/api/admin/read-models']) {
      expect([route, (await anonymous.request('GET', route)).status]).toEqual([route, 401]);
    }
    const forged = await fetch(`${url}/api/visits`, { headers: { cookie: 'yb_dashboard_session=forged' } });
    expect(forged.status).toBe(401);
    const action = await anonymous.request(
      'POST',
      `/api/visits/${visitId}/findings/${episode.jr_id}/acknowledge`,
      {
        comment: 'x',
      },
    );
    expect(action.status).toBe(401);
  });

  it('serves every read route to every role', async () => {
    for (const client of [viewer, operator, admin]) {
      for (const route of [
        ...READ_ROUTES,
        `/api/visits/${visitId}`,
        `/api/sagas/${episode.saga_id}/timeline`,
      ]) {
        expect([route, (await client.request('GET', route)).status]).toEqual([route, 200]);
      }
    }
  });

  it('masks the certificate number for viewers and operators and shows it to the admin only', async () => {
    const masked = await visitOf(viewer, episode.options.ipt_no);
    expect(masked.mdtrt_cert_no).toBe('420***********1234');
    expect(masked.identifiers_masked).toBe(true);
    expect((await visitOf(operator, episode.options.ipt_no)).mdtrt_cert_no).toBe('420***********1234');
    expect((await admin.get(`/api/visits/${visitId}`)).mdtrt_cert_no).toBe(CERTNO);
    expect(JSON.stringify(await viewer.get(`/api/visits/${visitId}`))).not.toContain(CERTNO);
    // At rest: no identifier in a clear column; the certificate and the values masked in free text are kept in
    // the sealed patient column only.
    const { rows } = await withClient(schema.databaseUrl, (c) =>
      c.query(
        `SELECT psn_no, mdtrt_cert_no, mdtrt_id, patient, patient_identifiers, row_to_json(v)::text AS raw
         FROM "${schema.schema}".dash_visits v WHERE ipt_no = $1`,
        [episode.options.ipt_no],
      ),
    );
    expect(rows).toEqual([
      expect.objectContaining({
        psn_no: null,
        mdtrt_cert_no: null,
        mdtrt_id: expect.any(String),
        patient: expect.objectContaining({ enc: 'A256GCM' }),
        patient_identifiers: [],
      }),
    ]);
    expect(rows[0].raw).not.toContain(CERTNO);
  });

  it('shows the visit in hospital with its fee total, the finding in the queue and the platform calls', async () => {
    const inHospital = await viewer.get('/api/visits?in_hospital=true&department=A03.01&insutype=310');
    expect(inHospital.items.map((v: Json) => v.ipt_no)).toContain(episode.options.ipt_no);
    expect((await viewer.get('/api/visits?in_hospital=true&department=NOPE')).total).toBe(0);
    expect((await viewer.get(`/api/visits?from=${DAY}&to=${DAY}&page_size=1`)).page_size).toBe(1);
    expect((await viewer.get('/api/visits?from=2030-01-01')).items).toEqual([]);
    expect((await viewer.request('GET', '/api/visits?from=yesterday')).status).toBe(400);
    expect((await viewer.request('GET', '/api/visits?page_size=5000')).status).toBe(400);

    const queue: Json[] = await viewer.get('/api/queue');
    expect(queue).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'FINDING', ref: episode.jr_id, visit_id: visitId }),
        expect.objectContaining({ kind: 'SAGA', ref: episode.saga_id, visit_id: visitId }),
      ]),
    );
    const findings = await viewer.get('/api/findings?status=open&blocking=true');
    expect(findings.items).toEqual([
      expect.objectContaining({
        jr_id: episode.jr_id,
        vola_amt: '36.60',
        blocking: true,
        acknowledged_by: null,
      }),
    ]);
    const health: Json[] = await viewer.get('/api/platform-health');
    expect(health.find((h) => h.infno === '2401')).toMatchObject({ calls: 1, error_rate: 0, avg_ms: 120 });
    const visit = await viewer.get(`/api/visits/${visitId}`);
    expect(visit.timeline.map((e: Json) => e.event_type)).toEqual([
      'PatientAdmitted',
      'AdmissionRegistered',
      'FeeLinesUploaded',
      'SettlementSagaProgressed',
      'AuditFindingsRaised',
      'SettlementSagaProgressed',
    ]);
  });

  it('refuses every action to a viewer (403) and sends nothing', async () => {
    const routes: [string, unknown][] = [
      [`/api/visits/${visitId}/findings/${episode.jr_id}/acknowledge`, { comment: '看过' }],
      [`/api/visits/${visitId}/retry-settlement`, { saga_id: episode.saga_id, comment: '重试' }],
      [`/api/visits/${visitId}/cancel-settlement`, { undo_discharge: true, reason: '重新结算' }],
      [
        `/api/visits/${visitId}/reports/rerun`,
        { infno: '4101A', report_ref: episode.setl_id, comment: '重传' },
      ],
      ['/api/reports/run-uploads', { run_date: DAY }],
      ['/api/admin/read-models/rebuild', undefined],
    ];
    for (const [route, body] of routes) {
      expect([route, (await viewer.request('POST', route, body)).status]).toEqual([route, 403]);
    }
    expect((await operator.request('POST', '/api/admin/read-models/rebuild')).status).toBe(403);
    expect((await viewer.get('/api/operator-actions')).total).toBe(0);
  });

  it('an operator acknowledges the finding: AcknowledgeAuditFinding on Kafka with requested_by, recorded once', async () => {
    const request_id = randomUUID();
    const route = `/api/visits/${visitId}/findings/${episode.jr_id}/acknowledge`;
    const sent = await operator.request('POST', route, { comment: '已与主治医生核实', request_id });
    expect(sent).toEqual({
      status: 202,
      body: { message_id: request_id, command_type: 'AcknowledgeAuditFinding', duplicate: false },
    });
    const again = await operator.request('POST', route, { comment: '已与主治医生核实', request_id });
    expect(again.body.duplicate).toBe(true);

    const command = await commandOf(request_id);
    expect(command).toMatchObject({
      type: 'AcknowledgeAuditFinding',
      key: episode.options.ipt_no,
      data: {
        ipt_no: episode.options.ipt_no,
        jr_id: episode.jr_id,
        requested_by: { username: 'op', role: 'operator' },
      },
    });
    const actions = await waitFor('the recorded action', async () => {
      const page = await viewer.get('/api/operator-actions');
      // Items, not the total: an empty page counts its total in a second statement, which may see a newer commit.
      return page.items.length > 0 ? page : undefined;
    });
    expect(actions.items).toEqual([
      expect.objectContaining({
        message_id: request_id,
        action: 'acknowledge-finding',
        requested_by: 'op',
        requested_role: 'operator',
        visit_id: visitId,
      }),
    ]);
    expect(commands.filter((c) => c.id === request_id)).toHaveLength(1);
  });

  it('refuses actions that do not fit the target: 404 unknown, 409 wrong state (no settlement, a saga waiting for an acknowledgement), 400 bad input', async () => {
    const unknownFinding = await operator.request(
      'POST',
      `/api/visits/${visitId}/findings/JR-NONE/acknowledge`,
      {
        comment: 'x',
      },
    );
    expect(unknownFinding.status).toBe(404);
    const unknownVisit = await operator.request('POST', `/api/visits/${randomUUID()}/retry-settlement`, {
      saga_id: episode.saga_id,
      comment: 'x',
    });
    expect(unknownVisit.status).toBe(404);
    const noSettlement = await operator.request('POST', `/api/visits/${visitId}/cancel-settlement`, {
      undo_discharge: false,
      reason: '重新结算',
    });
    expect(noSettlement.status).toBe(409);
    const waitingSaga = await operator.request('POST', `/api/visits/${visitId}/retry-settlement`, {
      saga_id: episode.saga_id,
      comment: '重试',
    });
    expect(waitingSaga.status).toBe(409);
    const noComment = await operator.request('POST', `/api/visits/${visitId}/retry-settlement`, {
      saga_id: 'x',
    });
    expect(noComment.status).toBe(400);
  });

  it('follows the episode to settlement: timeline with reversal and retry, fund shares, overview figures', async () => {
    await episode.publish([...episode.acknowledged('op', 'operator'), ...episode.settlement()]);
    const settled = await waitFor('the settled visit', async () => {
      const v = await visitOf(viewer, episode.options.ipt_no);
      return v?.state === 'SETTLED' && v.saga_state === 'SETTLED' ? v : undefined;
    });
    expect(settled).toMatchObject({
      settled_medfee: '54.90',
      settled_fund: '42.53',
      settled_psn_cash: '2.37',
    });
    await waitFor('the report backlog', async () =>
      (await viewer.get('/api/reports/backlog')).length > 0 ? true : undefined,
    );

    const timeline: Json[] = await viewer.get(`/api/sagas/${episode.saga_id}/timeline`);
    const entry = (e: Json) =>
      e.event_type === 'SettlementSagaProgressed'
        ? `${e.step}:${e.status}`
        : `${e.event_type} ${e.step}:${e.status}`;
    expect(timeline.map(entry)).toEqual([
      'FEE_RECONCILIATION:SUCCEEDED',
      'PRE_SETTLEMENT_AUDIT:WAITING_FOR_PERSON',
      'SettlementAuditCompleted PRE_SETTLEMENT_AUDIT:SUCCEEDED',
      'PRE_SETTLEMENT_AUDIT:SUCCEEDED',
      'PRE_SETTLEMENT:SUCCEEDED',
      'DISCHARGE:SUCCEEDED',
      'SETTLEMENT:UNKNOWN',
      'REVERSAL:SUCCEEDED',
      'SETTLEMENT:RETRYING',
      'SETTLEMENT:SUCCEEDED',
    ]);
    // The backlog summary is keyed by its run date, so it may be projected before the visit's own ReportPending.
    const visit = await waitFor("the visit's ReportPending", async () => {
      const v = await viewer.get(`/api/visits/${visitId}`);
      return v.timeline.some((e: Json) => e.event_type === 'ReportPending') ? v : undefined;
    });
    expect(visit.timeline.map((e: Json) => e.event_type)).toEqual(
      expect.arrayContaining([
        'SettlementCompensated',
        'Settled',
        'AuditFindingAcknowledged',
        'ReportPending',
      ]),
    );
    expect(visit.findings[0]).toMatchObject({ acknowledged_by: 'op', acknowledged_role: 'operator' });

    const settlements = await viewer.get(
      `/api/settlements?from=${DAY}&to=${DAY}&department=A03.01&insutype=310`,
    );
    expect(settlements.items).toEqual([
      expect.objectContaining({
        setl_id: episode.setl_id,
        medfee_sumamt: '54.90',
        fund_shares: expect.arrayContaining([
          expect.objectContaining({ fund_pay_type: '320100', fund_payamt: '3.00' }),
        ]),
      }),
    ]);
    const overview = await viewer.get(`/api/overview?date=${DAY}&days=3`);
    expect(overview.counts).toMatchObject({
      admitted: 1,
      discharged: 1,
      settled: 1,
      settled_medfee: '54.90',
      reports_waiting: 1,
    });
    // The personal account once (setldetail's 310200 row is acct_pay), the funds, cash: 54.90 in all.
    expect(overview.settled_by_fund).toEqual([
      { day: DAY, fund: '310100', amount: '39.53' },
      { day: DAY, fund: '320100', amount: '3.00' },
      { day: DAY, fund: 'acct_pay', amount: '10.00' },
      { day: DAY, fund: 'psn_cash_pay', amount: '2.37' },
    ]);
    expect(overview.admissions_discharges).toHaveLength(3);
    const health: Json[] = await viewer.get('/api/platform-health');
    expect(health.find((h) => h.infno === '2304')).toMatchObject({ calls: 2, unknown: 1, error_rate: 0.5 });
    expect((await viewer.get('/api/queue')).filter((q: Json) => q.visit_id === visitId)).toEqual([]);
  });

  it('sends cancel, report re-run and run-uploads as an operator, each with requested_by', async () => {
    const cancel = await operator.request('POST', `/api/visits/${visitId}/cancel-settlement`, {
      undo_discharge: true,
      reason: '患者要求重新结算',
    });
    expect(cancel.status).toBe(202);
    const rerun = await operator.request('POST', `/api/visits/${visitId}/reports/rerun`, {
      infno: '4101A',
      report_ref: episode.setl_id,
      comment: '补录后重传',
    });
    expect(rerun.status).toBe(202);
    const runAll = await admin.request('POST', '/api/reports/run-uploads', { run_date: DAY });
    expect(runAll.status).toBe(202);
    expect(await commandOf(cancel.body.message_id)).toMatchObject({
      type: 'CancelSettlement',
      data: { undo_discharge: true, requested_by: { username: 'op', role: 'operator' } },
    });
    expect(await commandOf(rerun.body.message_id)).toMatchObject({
      type: 'RerunReportUpload',
      data: { infno: '4101A', report_ref: episode.setl_id, requested_by: { username: 'op' } },
    });
    expect(await commandOf(runAll.body.message_id)).toMatchObject({
      type: 'RunReportUploads',
      key: DAY,
      data: { run_date: DAY, requested_by: { username: 'admin', role: 'admin' } },
    });
  });

  it('retries a saga whose compensation failed, from the queue', async () => {
    const failed = new EpisodeResults(publisher, prefix, {
      ipt_no: `ZY${run}02`,
      day: DAY,
      certno: '420106195202280024',
    });
    await failed.publish(failed.admission());
    await publisher.publish(
      `${prefix}${Topics.insuranceInpatient}`,
      createEnvelope({
        type: 'SettlementCompensationFailed',
        schemaVersion: 1,
        key: failed.options.ipt_no,
        data: {
          ipt_no: failed.options.ipt_no,
          saga_id: failed.saga_id,
          compensation: '2601',
          oinfno: '2304',
          platform_answer: '冲正的结算信息退费结算标志不为未退费，不能办理冲正交易',
          platform_state: '2304 may have been applied and cancelled since; 2601 refused',
          suggested_action: '在医保平台查询该就诊的结算记录 (5203)，确认后重试结算',
          needs_person: true as const,
        },
      }),
    );
    const item = await waitFor('the stopped saga in the queue', async () =>
      ((await operator.get('/api/queue')) as Json[]).find(
        (q) => q.kind === 'SAGA' && q.ref === failed.saga_id,
      ),
    );
    expect(item.detail).toMatch(/^COMPENSATION_FAILED REVERSAL/);
    const retry = await operator.request('POST', `/api/visits/${item.visit_id}/retry-settlement`, {
      saga_id: failed.saga_id,
      comment: '已在平台查询确认',
    });
    expect(retry.status).toBe(202);
    expect(await commandOf(retry.body.message_id)).toMatchObject({
      type: 'RetrySettlement',
      data: { saga_id: failed.saga_id, requested_by: { username: 'op', role: 'operator' } },
    });
  });

  it('puts a settlement the platform applied but answered incompletely, and a visit without its insured area, in the queue', async () => {
    const unreadable = new EpisodeResults(publisher, prefix, {
      ipt_no: `ZY${run}03`,
      day: DAY,
      certno: '420106195202280024',
    });
    await unreadable.publish(unreadable.admission());
    const result = (type: 'PlatformAnswerUnreadable' | 'InsuredAreaMissing', data: unknown) =>
      publisher.publish(
        `${prefix}${Topics.insuranceInpatient}`,
        createEnvelope({ type, schemaVersion: 1, key: unreadable.options.ipt_no, data }),
      );
    await result('PlatformAnswerUnreadable', {
      ipt_no: unreadable.options.ipt_no,
      infno: '2304',
      msgid: 'H42010200001202405081000000005',
      missing: ['setlinfo.setl_id is required'],
      needs_person: true,
    });
    const item = await waitFor('the unreadable answer in the queue', async () =>
      ((await operator.get('/api/queue')) as Json[]).find(
        (q) => q.kind === 'VISIT' && q.ipt_no === unreadable.options.ipt_no,
      ),
    );
    expect(item.detail).toBe('2304 H42010200001202405081000000005: setlinfo.setl_id is required');
    await result('InsuredAreaMissing', {
      ipt_no: unreadable.options.ipt_no,
      service: 'fee-detail',
      held: ['2301'],
      reason: '参保地医保区划未知: send AdmissionChanged with insuplc_admdvs',
      needs_person: true,
    });
    await waitFor('the missing area in the queue', async () => {
      const queued = ((await operator.get('/api/queue')) as Json[]).find(
        (q) => q.kind === 'VISIT' && q.ipt_no === unreadable.options.ipt_no,
      );
      if (queued?.detail?.startsWith('参保地医保区划未知')) return queued;
      throw new Error(`queued: ${JSON.stringify(queued)}`);
    });
  });

  it('takes revoked fee lines off the total and a cancelled settlement off the day', async () => {
    const second = new EpisodeResults(publisher, prefix, {
      ipt_no: `ZY${run}02`,
      day: DAY,
      certno: '420106195202280024',
    });
    await publisher.publish(
      `${prefix}${Topics.insuranceInpatient}`,
      createEnvelope({
        type: 'FeeLinesRevoked',
        schemaVersion: 1,
        key: second.options.ipt_no,
        data: {
          ipt_no: second.options.ipt_no,
          mdtrt_id: second.mdtrt_id,
          msgid: 'H42010200123202405081030009999',
          cause: 'VOID' as const,
          feedetl_sns: ['FY0001'],
        },
      }),
    );
    await publisher.publish(
      `${prefix}${Topics.insuranceInpatient}`,
      createEnvelope({
        type: 'SettlementCancelled',
        schemaVersion: 1,
        key: episode.options.ipt_no,
        data: {
          ipt_no: episode.options.ipt_no,
          mdtrt_id: episode.mdtrt_id,
          setl_id: `${episode.setl_id}C`,
          init_setl_id: episode.setl_id,
          medfee_sumamt: '-54.90',
          fund_pay_sumamt: '-42.53',
          acct_pay: '-10.00',
          psn_cash_pay: '-2.37',
        },
      }),
    );
    await waitFor('the revoked line off the total', async () => {
      const v = await visitOf(viewer, second.options.ipt_no);
      return v?.fee_total === '36.60' && v.fee_line_count === 1 ? v : undefined;
    });
    await waitFor('the cancelled settlement', async () => {
      const v = await visitOf(viewer, episode.options.ipt_no);
      return v?.state === 'SETTLEMENT_CANCELLED' ? v : undefined;
    });
    const [settlement] = (await viewer.get(`/api/settlements?from=${DAY}&to=${DAY}`)).items;
    expect(settlement).toMatchObject({ setl_id: episode.setl_id, cancelled_by: `${episode.setl_id}C` });
    const overview = await viewer.get(`/api/overview?date=${DAY}&days=1`);
    expect(overview.counts).toMatchObject({ settled: 0, settled_medfee: '0' });
    expect(overview.settled_by_fund).toEqual([]);
  });

  it('takes a settlement reversed in our books (本地冲销) off the day and the visit, unless a newer one stands', async () => {
    const reversal = { username: 'op', reason: '中心窗口已撤销该结算' };
    const settledOnly = new EpisodeResults(publisher, prefix, {
      ipt_no: `ZY${run}03`,
      day: REVERSAL_DAY,
      certno: '420106195202280024',
    });
    const midWayThenFinal = new EpisodeResults(publisher, prefix, {
      ipt_no: `ZY${run}04`,
      day: REVERSAL_DAY,
      certno: '420106195202280024',
    });
    await settledOnly.publish([...settledOnly.admission(), ...settledOnly.settlement()]);
    await midWayThenFinal.publish([
      ...midWayThenFinal.admission(),
      ...midWayThenFinal.midWaySettled(),
      ...midWayThenFinal.settlement(),
    ]);
    // The saga SETTLED only after the final settlement (a mid-way one already makes the visit SETTLED).
    for (const e of [settledOnly, midWayThenFinal])
      await waitFor(`${e.options.ipt_no} settled`, async () => {
        const v = await visitOf(viewer, e.options.ipt_no);
        return v?.state === 'SETTLED' && v.saga_state === 'SETTLED' ? v : undefined;
      });
    const dayOverview = () => viewer.get(`/api/overview?date=${REVERSAL_DAY}&days=1`);
    expect((await dayOverview()).counts).toMatchObject({ settled: 3, settled_medfee: '164.70' });

    await settledOnly.publish(
      settledOnly.reversedLocally(settledOnly.setl_id, '0', reversal.username, reversal.reason),
    );
    await midWayThenFinal.publish(
      midWayThenFinal.reversedLocally(
        midWayThenFinal.mid_way_setl_id,
        '1',
        reversal.username,
        reversal.reason,
      ),
    );
    const reversedVisit = await waitFor('the visit reversed in our books', async () => {
      const v = await visitOf(viewer, settledOnly.options.ipt_no);
      return v?.state === 'REVERSED_LOCALLY' ? v : undefined;
    });
    const settlementsOfDay = async () =>
      (await viewer.get(`/api/settlements?from=${REVERSAL_DAY}&to=${REVERSAL_DAY}&page_size=200`))
        .items as Json[];
    const reversedMidWay = await waitFor('the mid-way settlement reversed', async () =>
      (await settlementsOfDay()).find(
        (s) => s.setl_id === midWayThenFinal.mid_way_setl_id && s.reversed_locally_at,
      ),
    );
    expect(reversedMidWay).toMatchObject({
      reversed_locally_by: 'op',
      reversed_locally_reason: reversal.reason,
    });
    // Projected in the same transaction as the mark above: the final settlement still stands, so does the visit.
    expect((await visitOf(viewer, midWayThenFinal.options.ipt_no))?.state).toBe('SETTLED');
    expect((await settlementsOfDay()).find((s) => s.setl_id === settledOnly.setl_id)).toMatchObject({
      cancelled_by: null,
      reversed_locally_by: 'op',
      reversed_locally_reason: reversal.reason,
      reversed_locally_at: expect.any(String),
    });
    const visit = await viewer.get(`/api/visits/${reversedVisit.visit_id}`);
    expect(visit.timeline).toContainEqual(
      expect.objectContaining({
        step: 'LOCAL_REVERSAL',
        saga_state: 'REVERSED_LOCALLY',
        detail: expect.stringContaining(`by op (operator), 对账 ${REVERSAL_DAY}: ${reversal.reason}`),
      }),
    );
    // Only the final settlement of the mid-way visit stands on the day.
    const overview = await dayOverview();
    expect(overview.counts).toMatchObject({ settled: 1, settled_medfee: '54.90', settled_fund: '42.53' });
    expect(overview.settled_by_fund).toEqual([
      { day: REVERSAL_DAY, fund: '310100', amount: '39.53' },
      { day: REVERSAL_DAY, fund: '320100', amount: '3.00' },
      { day: REVERSAL_DAY, fund: 'acct_pay', amount: '10.00' },
      { day: REVERSAL_DAY, fund: 'psn_cash_pay', amount: '2.37' },
    ]);
    const cancelReversed = await operator.request(
      'POST',
      `/api/visits/${reversedVisit.visit_id}/cancel-settlement`,
      { undo_discharge: false, reason: '重新结算' },
    );
    expect(cancelReversed.status).toBe(409);
  });

  it('rebuilds the read models from the recorded messages to the same state (admin only)', async () => {
    // Every action so far recorded: acknowledge, cancel, re-run, run-uploads, retry.
    const actionsBefore = await waitFor('the five recorded actions', async () => {
      const page = await admin.get('/api/operator-actions');
      return page.total === 5 ? page : undefined;
    });
    const before = await admin.get(`/api/visits/${visitId}`);
    const rebuilt = await admin.request('POST', '/api/admin/read-models/rebuild');
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.replayed).toBeGreaterThan(30);
    expect(await admin.get('/api/admin/read-models')).toEqual({ checkpoint: rebuilt.body.checkpoint });
    expect((await viewer.request('GET', '/api/admin/read-models')).status).toBe(403);
    expect(await admin.get(`/api/visits/${visitId}`)).toEqual(before);
    expect((await admin.get('/api/operator-actions')).items).toEqual(actionsBefore.items);
  });

  it('pushes read-model changes over server-sent events', async () => {
    const abort = new AbortController();
    const response = await fetch(`${url}/api/stream`, {
      headers: { cookie: viewer.sessionCookie!, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const third = new EpisodeResults(publisher, prefix, { ipt_no: `ZY${run}03`, day: DAY, certno: CERTNO });
    let received = '';
    const visitsChanged = () =>
      received.split('\n\n').find((event) => /^event: change$/m.test(event) && event.includes('"visits"'));
    try {
      await third.publish(third.admission());
      while (!visitsChanged()) {
        const { value, done } = await reader.read();
        if (done) break;
        received += Buffer.from(value).toString();
      }
    } finally {
      abort.abort();
    }
    expect(visitsChanged()).toMatch(/^data: \{"models":\[.*"visits".*\]\}$/m);
    expect(received).not.toContain(CERTNO);
  });

  it('dead-letters a malformed result with the reason and goes on', async () => {
    const bad = createEnvelope({
      type: 'AuditFindingsRaised',
      schemaVersion: 1,
      key: `ZY${run}04`,
      data: { ipt_no: `ZY${run}04`, findings: [] },
    });
    const producer = testProducer();
    await producer.connect();
    await producer.send({
      topic: `${prefix}${Topics.insuranceInpatient}`,
      messages: [{ key: bad.key, value: JSON.stringify(bad) }],
    });
    await producer.disconnect();
    const dead = await waitFor('the dead letter', () =>
      deadLetters.find((m) => m.key?.toString() === bad.key),
    );
    expect(dead.headers?.[DeadLetterHeaders.reason]?.toString()).toMatch(/AuditFindingsRaised/);
  });

  it('ends an expired session: 401 after expiry', async () => {
    const client = await DashboardClient.signIn(url, 'viewer', PASSWORDS.viewer);
    expect((await client.request('GET', '/api/visits')).status).toBe(200);
    await withClient(schema.databaseUrl, (c) =>
      c.query(`UPDATE "${schema.schema}".dash_sessions SET expires_at = now() - interval '1 second'`),
    );
    expect((await client.request('GET', '/api/visits')).status).toBe(401);
    // Signing out removes the session; signing in again works.
    const again = await DashboardClient.signIn(url, 'viewer', PASSWORDS.viewer);
    expect((await again.request('DELETE', '/api/session')).status).toBe(204);
    expect((await again.request('GET', '/api/visits')).status).toBe(401);
  });

  it('documents every route in OpenAPI', async () => {
    const document = await (
      await DashboardClient.signIn(url, 'admin', PASSWORDS.admin)
    ).get('/api/docs-json');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/session',
        '/api/overview',
        '/api/visits',
        '/api/visits/{visitId}',
        '/api/visits/{visitId}/findings/{jrId}/acknowledge',
        '/api/visits/{visitId}/retry-settlement',
        '/api/visits/{visitId}/cancel-settlement',
        '/api/visits/{visitId}/reports/rerun',
        '/api/reports/run-uploads',
        '/api/stream',
        '/api/admin/read-models/rebuild',
      ]),
    );
  });

  it('throttles an address after five wrong passwords, even against the right one; other addresses sign in', async () => {
    const signInFrom = (address: string, password: string) =>
      DashboardClient.anonymous(url).exchange(
        'POST',
        '/api/session',
        { username: 'admin', password },
        { 'x-forwarded-for': address },
      );
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect((await signInFrom('10.20.0.1', `wrong-${attempt}`)).status).toBe(401);
    }
    const right = await signInFrom('10.20.0.1', PASSWORDS.admin);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(800);
    // The name is not locked by one address: admin signs in from another.
    expect((await signInFrom('10.20.0.2', PASSWORDS.admin)).status).toBe(200);
  });

  it('answers 404 for an unknown visit and 400 for an id that is not one', async () => {
    // A new session: the expiry test ended every earlier one.
    const client = await DashboardClient.signIn(url, 'viewer', PASSWORDS.viewer);
    expect((await client.request('GET', `/api/visits/${randomUUID()}`)).status).toBe(404);
    expect((await client.request('GET', '/api/visits/ZY0001')).status).toBe(400);
  });
});
