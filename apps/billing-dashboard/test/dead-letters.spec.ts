import { randomUUID } from 'node:crypto';
import { createEnvelope, dlqTopic, MessageHeaders, Topics } from '@yb/contracts';
import { readTopic } from '@yb/messaging';
import { testKafka, uniqueName, waitFor, withClient, testProducer } from '@yb/testing';
import { DashboardClient, type Json } from './support/dashboard-client';
import { startTestDashboard, type TestDashboard } from './support/test-dashboard';

// The admin's dead letters over the real Kafka and PostgreSQL: a result the dashboard's own consumer refused is
// listed, shown masked, replayed to its original topic with its key and headers once (the books shared with
// `npm run dlq`), resolved; only an admin, only with the CSRF token and from an allowed origin.

const PASSWORDS = { admin: randomUUID(), op: randomUUID() };
const CERTNO = '420102198001011234';

describe('dead letters on the dashboard', () => {
  const dlqSchema = uniqueName('t_dash_dlq');
  let dashboard: TestDashboard;
  let admin: DashboardClient;
  let operator: DashboardClient;
  let topic: string;
  let deadTopic: string;
  const ipt_no = `ZY${String(Date.now()).slice(-8)}DL`;

  const listed = async (): Promise<Json[]> =>
    ((await admin.get('/api/admin/dead-letters')).items as Json[]).filter((d) => d.key === ipt_no);

  beforeAll(async () => {
    dashboard = await startTestDashboard('dash_dlq', {
      DASHBOARD_BOOTSTRAP_USERS: `admin:${PASSWORDS.admin}:admin,op:${PASSWORDS.op}:operator`,
      DASHBOARD_WEB_DIR: '/nonexistent/web',
      DLQ_SCHEMA: dlqSchema,
    });
    topic = `${dashboard.prefix}${Topics.insuranceInpatient}`;
    deadTopic = dlqTopic(topic);
    [admin, operator] = await Promise.all([
      DashboardClient.signIn(dashboard.url, 'admin', PASSWORDS.admin),
      DashboardClient.signIn(dashboard.url, 'op', PASSWORDS.op),
    ]);
    // A result its contract refuses (findings must not be empty), its reason quoting an ID number.
    const bad = createEnvelope({
      type: 'AuditFindingsRaised',
      schemaVersion: 1,
      key: ipt_no,
      data: { ipt_no, findings: [], note: `mdtrt_cert_no ${CERTNO}` },
    });
    const producer = testProducer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        {
          key: ipt_no,
          value: JSON.stringify(bad),
          headers: { [MessageHeaders.messageType]: bad.type, [MessageHeaders.messageId]: bad.id },
        },
      ],
    });
    await producer.disconnect();
    await waitFor('the dead letter on the page', async () =>
      (await listed()).length > 0 ? true : undefined,
    );
  }, 120_000);

  afterAll(async () => {
    await dashboard?.stop();
    await withClient(dashboard.schema.databaseUrl, (c) =>
      c.query(`DROP SCHEMA IF EXISTS "${dlqSchema}" CASCADE`),
    );
  });

  it('lists and shows a dead letter for an admin, no ID number in clear; others are refused', async () => {
    const [dead] = await listed();
    expect(dead).toMatchObject({
      topic: deadTopic,
      original_topic: topic,
      message_type: 'AuditFindingsRaised',
      disposition: null,
    });
    expect(dead.reason).toMatch(/AuditFindingsRaised/);
    const shown = await admin.get(`/api/admin/dead-letters/${deadTopic}/${dead.ref}`);
    expect(shown.payload).toMatch(/"ipt_no"/);
    expect(JSON.stringify(shown)).not.toContain(CERTNO);

    expect((await operator.request('GET', '/api/admin/dead-letters')).status).toBe(403);
    expect(
      (await DashboardClient.anonymous(dashboard.url).request('GET', '/api/admin/dead-letters')).status,
    ).toBe(401);
    expect((await admin.request('GET', `/api/admin/dead-letters/${topic}/${dead.ref}`)).status).toBe(404);
    expect((await admin.request('GET', `/api/admin/dead-letters/${deadTopic}/x:1`)).status).toBe(404);
  });

  it('replays once to the original topic with the key and headers, recording the admin; refuses the rest', async () => {
    const [dead] = await listed();
    const route = `/api/admin/dead-letters/${deadTopic}/${dead.ref}/replay`;
    // The state-change rules of every other route: the role, the CSRF token, the Origin.
    expect((await operator.request('POST', route)).status).toBe(403);
    expect((await admin.request('POST', route, undefined, { 'x-csrf-token': 'wrong' })).status).toBe(403);
    expect((await admin.request('POST', route, undefined, { origin: 'https://evil.example' })).status).toBe(
      403,
    );

    const first = await admin.request('POST', route);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      already: false,
      dead_letter: { disposition: { action: 'replayed', by: 'dashboard:admin' } },
    });
    const [partition, offset] = (first.body.dead_letter.disposition.replayed_as as string).split(':');
    const [record] = await readTopic(testKafka(), topic, {
      partition: Number(partition),
      from: offset!,
      limit: 1,
    });
    expect(record!.key?.toString()).toBe(ipt_no);
    expect(record!.headers?.[MessageHeaders.messageType]?.toString()).toBe('AuditFindingsRaised');

    // Again, twice at once: reported, not published again.
    const again = await Promise.all([admin.request('POST', route), admin.request('POST', route)]);
    for (const answer of again) expect(answer.body).toMatchObject({ already: true });
    const [{ high }] = (await topicOffsets(topic)).filter((o) => o.partition === Number(partition));
    expect(BigInt(high!)).toBe(BigInt(offset!) + 1n);
    const books = await withClient(dashboard.schema.databaseUrl, (c) =>
      c.query(`SELECT replayed_by, action FROM "${dlqSchema}".replays`),
    );
    expect(books.rows).toEqual([{ replayed_by: 'dashboard:admin', action: 'replayed' }]);
  });

  it('resolves the replay’s own dead letter without replaying it, with a note', async () => {
    // The replayed record is refused again (it is still malformed): a second dead letter.
    const second = await waitFor('the replay dead-lettered again', async () =>
      (await listed()).find((d) => d.disposition === null),
    );
    const route = `/api/admin/dead-letters/${deadTopic}/${second.ref}`;
    expect((await admin.request('POST', `${route}/resolve`, { note: '' })).status).toBe(400);
    const resolved = await admin.request('POST', `${route}/resolve`, {
      note: '结果格式错误，已通知质控重发',
    });
    expect(resolved.body).toMatchObject({
      already: false,
      dead_letter: {
        disposition: { action: 'resolved', replayed_as: null, note: '结果格式错误，已通知质控重发' },
      },
    });
    expect((await admin.request('POST', `${route}/replay`)).body).toMatchObject({
      already: true,
      dead_letter: { disposition: { action: 'resolved' } },
    });
  });

  async function topicOffsets(name: string) {
    const kafkaAdmin = testKafka().admin();
    await kafkaAdmin.connect();
    try {
      return await kafkaAdmin.fetchTopicOffsets(name);
    } finally {
      await kafkaAdmin.disconnect();
    }
  }
});
