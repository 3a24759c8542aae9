import { randomUUID } from 'node:crypto';
import { createEnvelope, DeadLetterHeaders, dlqTopic, PatientAdmittedV1, Topics } from '@yb/contracts';
import { KafkaPublisher } from '@yb/messaging';
import { TEST_HOSPITAL, testKafka, uniqueName, waitFor } from '@yb/testing';
import { type Consumer, type KafkaMessage } from 'kafkajs';
import { DashboardClient, type Json } from './support/dashboard-client';
import { EpisodeResults } from './support/episode-results';
import { startTestDashboard, type TestDashboard } from './support/test-dashboard';

// The settlement slip (结算单) over the real Kafka and PostgreSQL: a visit's messages published as the HIS and the
// services publish them, the slip asked for as an operator (the cashier) and as an admin. It names the patient
// and prints the stay and the diagnosis for a mid-way and a final settlement, and a cross-area patient's area.

const PASSWORDS = { admin: randomUUID(), op: randomUUID() };
const DAY = '2024-05-08';
const CERTNO = '420102198001011234';
const PATIENT = { psn_name: '张三丰', tel: '13800138000', psn_no: '42000000000000000004321' };

/** The slip's 就诊信息 table, label → printed value. */
function visitLines(html: string): Record<string, string> {
  const table = html.split('data-testid="slip-visit">')[1]!.split('</table>')[0]!;
  return Object.fromEntries(
    [...table.matchAll(/<tr><th>([^<]*)<\/th><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2]]),
  );
}

describe('the settlement slip over Kafka and PostgreSQL', () => {
  const run = String(Date.now()).slice(-8);
  const deadLetters: KafkaMessage[] = [];
  let dashboard: TestDashboard;
  let publisher: KafkaPublisher;
  let deadLetterReader: Consumer;
  let admin: DashboardClient;
  let operator: DashboardClient;

  beforeAll(async () => {
    dashboard = await startTestDashboard('dash_slip', {
      DASHBOARD_BOOTSTRAP_USERS: `admin:${PASSWORDS.admin}:admin,op:${PASSWORDS.op}:operator`,
      DASHBOARD_WEB_DIR: '/nonexistent/web',
    });
    const kafka = testKafka();
    publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    deadLetterReader = kafka.consumer({ groupId: uniqueName('dash-slip-dlq'), maxWaitTimeInMs: 250 });
    await deadLetterReader.connect();
    await deadLetterReader.subscribe({
      topics: [`${dashboard.prefix}${dlqTopic(Topics.hisInpatient)}`],
      fromBeginning: true,
    });
    await deadLetterReader.run({
      eachMessage: async ({ message }) => {
        deadLetters.push(message);
      },
    });
    [admin, operator] = await Promise.all([
      DashboardClient.signIn(dashboard.url, 'admin', PASSWORDS.admin),
      DashboardClient.signIn(dashboard.url, 'op', PASSWORDS.op),
    ]);
  }, 120_000);

  afterAll(async () => {
    await deadLetterReader?.disconnect();
    await publisher?.disconnect();
    await dashboard?.stop();
  });

  const visitOf = async (ipt_no: string): Promise<Json | undefined> =>
    ((await admin.get(`/api/visits?page_size=200`)).items as Json[]).find((v) => v.ipt_no === ipt_no);

  /** The visit's id once the dashboard holds all of `setl_ids`. */
  const settledVisit = (ipt_no: string, setl_ids: string[]) =>
    waitFor(`the settlements ${setl_ids.join(', ')} of ${ipt_no}`, async () => {
      const listed = await visitOf(ipt_no);
      if (!listed) return undefined;
      const visit = await admin.get(`/api/visits/${listed.visit_id}`);
      const held = (visit.settlements as Json[]).map((s) => s.setl_id);
      return setl_ids.every((id) => held.includes(id)) ? (listed.visit_id as string) : undefined;
    });

  const slipOf = async (client: DashboardClient, visitId: string, setl_id: string): Promise<string> =>
    (await client.get(`/api/visits/${visitId}/settlements/${setl_id}/slip.html`)) as string;

  it('mid-way then final: each slip names the patient and prints the insurance, the stay and the diagnosis', async () => {
    const episode = new EpisodeResults(publisher, dashboard.prefix, {
      ipt_no: `ZY${run}S1`,
      day: DAY,
      certno: CERTNO,
      patient: PATIENT,
      insuplc_admdvs: '420102',
    });
    await episode.publish([...episode.admission(), ...episode.midWaySettled(), ...episode.settlement()]);
    const visitId = await settledVisit(episode.options.ipt_no, [episode.mid_way_setl_id, episode.setl_id]);
    const patient = {
      险种类型: '职工基本医疗保险',
      参保地: '420102（本地）',
      科室: '呼吸内科 12床',
      入院时间: `${DAY} 09:00:00`,
      诊断: 'J18.900 肺炎',
    };

    const midWay = await slipOf(operator, visitId, episode.mid_way_setl_id);
    expect(midWay).toContain('医疗保障住院结算单（中途结算）');
    // The cashier (operator) sees the patient masked, as on the visit page (docs/threat-model.md).
    expect(visitLines(midWay)).toMatchObject({
      ...patient,
      姓名: '张*丰',
      证件号码: '420***********1234',
      结算截止: `${DAY} 09:30:00`,
    });
    expect(midWay).not.toContain(CERTNO);
    expect(midWay).not.toContain(PATIENT.psn_name);

    const final = await slipOf(operator, visitId, episode.setl_id);
    expect(final).toContain(`<h1>${TEST_HOSPITAL.fixmedins_name} 医疗保障住院结算单</h1>`);
    expect(visitLines(final)).toMatchObject({
      ...patient,
      姓名: '张*丰',
      证件号码: '420***********1234',
      出院时间: `${DAY} 10:00:00`,
    });
    // The admin sees them in clear.
    expect(visitLines(await slipOf(admin, visitId, episode.setl_id))).toMatchObject({
      ...patient,
      姓名: PATIENT.psn_name,
      证件号码: CERTNO,
    });
  });

  it("a cross-area (异地) patient's slip shows their insured area", async () => {
    const episode = new EpisodeResults(publisher, dashboard.prefix, {
      ipt_no: `ZY${run}S2`,
      day: DAY,
      certno: '110101199003071234',
      patient: { ...PATIENT, psn_name: '李四' },
      insuplc_admdvs: '110000',
    });
    await episode.publish([...episode.admission(), ...episode.settlement()]);
    const visitId = await settledVisit(episode.options.ipt_no, [episode.setl_id]);
    const slip = await slipOf(operator, visitId, episode.setl_id);
    expect(slip).toContain('异地就医：参保地医保区划 110000');
    expect(visitLines(slip)).toMatchObject({ 姓名: '李*', 参保地: '110000（异地就医）' });
  });

  it('refuses a HIS admission whose ipt_no is not its key (the services file it under the key): a dead letter', async () => {
    const key = `ZY${run}S3`;
    const named = `ZY${run}S4`;
    await publisher.publish(
      `${dashboard.prefix}${Topics.hisInpatient}`,
      createEnvelope({
        type: 'PatientAdmitted',
        schemaVersion: 1,
        key,
        data: { ...PatientAdmittedV1.example, ipt_no: named },
      }),
    );
    const dead = await waitFor('the dead letter', async () =>
      deadLetters.find((m) => m.key?.toString() === key),
    );
    expect(dead.headers?.[DeadLetterHeaders.reason]?.toString()).toContain(
      `PatientAdmitted: data.ipt_no ${named} is not the message key ${key}`,
    );
    expect(await visitOf(named)).toBeUndefined();
  });
});
