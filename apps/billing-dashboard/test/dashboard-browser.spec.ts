import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandTopic, type Envelope } from '@yb/contracts';
import { KafkaPublisher } from '@yb/messaging';
import { maskIdentifier } from '@yb/observability';
import {
  HospitalServices,
  identifierValues,
  patientArbitrary,
  testKafka,
  uniqueName,
  waitFor,
} from '@yb/testing';
import fc from 'fast-check';
import { type Consumer } from 'kafkajs';
import { type Browser } from 'playwright-core';
import {
  buildWeb,
  expectText,
  launchChromium,
  postFromPage,
  screenshot as shot,
  signInPage,
} from './support/browser';
import { EpisodeResults } from './support/episode-results';

// The page in headless Chromium against the dashboard run as production runs it (its main.ts in a child process,
// the page built by Vite and served by it), fed on Kafka with an episode's results as the services publish them.
// Screenshots of the main pages go to tmp/screenshots/.

const PASSWORDS = { op: randomUUID(), viewer: randomUUID() };
const CERTNO = '420102198001011234';
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

describe('the billing dashboard in a browser', () => {
  const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-web-'));
  const commands: Envelope[] = [];
  let hospital: HospitalServices;
  let publisher: KafkaPublisher;
  let commandReader: Consumer;
  let browser: Browser;
  let url: string;
  let episode: EpisodeResults;

  const signIn = (username: string, password: string) => signInPage(browser, url, username, password);

  beforeAll(async () => {
    buildWeb(webDir);
    hospital = await HospitalServices.start({
      label: 'dash-web',
      services: ['billing-dashboard'],
      serviceEnv: {
        'billing-dashboard': {
          DASHBOARD_BOOTSTRAP_USERS: `op:${PASSWORDS.op}:operator,viewer:${PASSWORDS.viewer}:viewer`,
          DASHBOARD_WEB_DIR: webDir,
        },
      },
    });
    url = hospital.service('billing-dashboard').ready[1]!;
    const kafka = testKafka();
    publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    commandReader = kafka.consumer({ groupId: uniqueName('dash-web-commands'), maxWaitTimeInMs: 250 });
    await commandReader.connect();
    await commandReader.subscribe({ topics: [hospital.topic(commandTopic('quality'))], fromBeginning: true });
    await commandReader.run({
      eachMessage: async ({ message }) => void commands.push(JSON.parse(message.value!.toString())),
    });
    browser = await launchChromium();
    episode = new EpisodeResults(publisher, hospital.prefix, {
      ipt_no: `ZY${String(Date.now()).slice(-8)}01`,
      day: today(),
      certno: CERTNO,
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await commandReader?.disconnect();
    await publisher?.disconnect();
    await hospital?.stop();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('shows an episode appear and settle live, its timeline, and lets an operator (not a viewer) acknowledge a finding', async () => {
    const signInPage = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    await signInPage.goto(url);
    await expectText(signInPage, 'h2', '医保住院结算看板');
    await shot(signInPage, '01-sign-in');

    const operator = await signIn('op', PASSWORDS.op);
    await operator.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    await operator.getByTestId('nav-visits').click();
    await operator.getByTestId('live').filter({ hasText: '实时' }).waitFor();

    // The episode appears on the in-hospital list without a reload, its ID number masked.
    await episode.publish([...episode.admission(), ...episode.blockingFinding()]);
    const row = operator.getByTestId(`visit-${episode.options.ipt_no}`);
    await row.getByTestId('fee-total').filter({ hasText: '54.90' }).waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('certno').textContent()).toBe('420***********1234');
    expect(await operator.content()).not.toContain(CERTNO);
    await shot(operator, '02-in-hospital');

    await operator.getByTestId('nav-queue').click();
    await operator.getByTestId(`queue-FINDING-${episode.jr_id}`).waitFor();
    await shot(operator, '03-queue');

    // A viewer sees the finding without the button, and the server refuses the action to a viewer.
    const viewer = await signIn('viewer', PASSWORDS.viewer);
    await viewer.getByTestId('nav-queue').click();
    await viewer.getByTestId(`queue-FINDING-${episode.jr_id}`).getByRole('link').click();
    await viewer.getByTestId(`finding-${episode.jr_id}`).waitFor();
    expect(await viewer.getByTestId(`acknowledge-${episode.jr_id}`).count()).toBe(0);
    const refused = await postFromPage(
      viewer,
      `/api/visits/${viewer.url().split('/').pop()}/findings/${episode.jr_id}/acknowledge`,
      { comment: '查看员试图确认' },
    );
    expect(refused).toBe(403);

    // The operator acknowledges it from the visit's page: the command leaves with who asked.
    await operator.getByTestId(`queue-FINDING-${episode.jr_id}`).getByRole('link').click();
    await operator.getByTestId(`acknowledge-${episode.jr_id}`).click();
    await operator.getByTestId(`acknowledge-${episode.jr_id}-comment`).fill('已与主治医生核实，属二线用药');
    await operator.getByTestId(`acknowledge-${episode.jr_id}-send`).click();
    await expectText(operator, `[data-testid="acknowledge-${episode.jr_id}-outcome"]`, '已提交');
    const command = await waitFor('AcknowledgeAuditFinding on Kafka', () =>
      commands.find((c) => c.type === 'AcknowledgeAuditFinding' && c.key === episode.options.ipt_no),
    );
    expect(command.data).toMatchObject({
      jr_id: episode.jr_id,
      requested_by: { username: 'op', role: 'operator' },
    });

    // Quality answers, the saga runs on (2304 unknown → 2601 → 2304 again) and settles: the page follows live.
    await episode.publish([...episode.acknowledged('op', 'operator'), ...episode.settlement()]);
    await operator.getByTestId('visit-state').filter({ hasText: '已结算' }).waitFor({ timeout: 30_000 });
    await expectText(
      operator,
      `[data-testid="finding-${episode.jr_id}"] [data-testid="acknowledged-by"]`,
      'op',
    );
    const timeline = await operator.getByTestId('timeline-entry').allTextContents();
    expect(timeline.join('\n')).toMatch(/冲正\(2601\)/);
    expect(timeline.join('\n')).toMatch(/结算\(2304\).*\(2次\)/);
    expect(timeline.join('\n')).toMatch(/结果未知/);
    await shot(operator, '04-visit-timeline');

    await operator.getByTestId('nav-overview').click();
    await operator.getByTestId('settled-amount').filter({ hasText: '¥54.90' }).waitFor();
    await operator.getByTestId('chart-settled-by-fund').locator('canvas').waitFor();
    await shot(operator, '05-overview');

    await operator.getByTestId('nav-reports').click();
    await operator.getByTestId('report-backlog').getByText('病案首页未完成').waitFor();
    await shot(operator, '06-report-backlog');

    await operator.getByTestId('nav-actions').click();
    await operator.getByTestId('operator-actions').getByText('AcknowledgeAuditFinding').waitFor();

    // Everything above happened without a reload; English is a switch away.
    expect(
      await operator.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);
    await operator.getByTestId('lang').selectOption('en');
    await expectText(operator, 'header h1', 'Inpatient insurance settlement dashboard');
    await shot(operator, '07-operator-actions-en');
  }, 150_000);

  it('shows viewers and operators no identifier the platform quoted in its refusal (a generated patient)', async () => {
    const [patient] = fc.sample(patientArbitrary, { numRuns: 1, seed: Date.now() | 0 });
    const refused = new EpisodeResults(publisher, hospital.prefix, {
      ipt_no: `ZY${String(Date.now()).slice(-8)}02`,
      day: today(),
      certno: patient!.certno,
      patient: { psn_name: patient!.psn_name, tel: patient!.mobileWritten, psn_no: patient!.psn_no },
    });
    const err_msg = `参保人${patient!.psn_name}（${patient!.psn_no}）证件${patient!.certno}，电话${patient!.mobileWritten}信息不符`;
    await refused.publish([...refused.admission(), ...refused.platformRejected('2403', err_msg)]);
    for (const [username, password] of [
      ['viewer', PASSWORDS.viewer],
      ['op', PASSWORDS.op],
    ] as const) {
      const page = await signIn(username, password);
      await page.getByTestId('nav-queue').click();
      await page.getByTestId('queue-VISIT-PLATFORM_REJECTED').getByRole('link').click();
      // The refusal is on the page, its name masked (so the check below looks at the platform's words).
      await page.getByText(maskIdentifier(patient!.psn_name)).first().waitFor();
      const shown = `${await page.content()}\n${await page.locator('body').innerText()}`;
      expect([username, identifierValues(patient!).filter((v) => shown.includes(v))]).toEqual([username, []]);
      if (username === 'viewer') await shot(page, '08-refusal-masked');
    }
  }, 90_000);

  it('marks a settlement reversed in our books (本地冲销) with who and why, the visit too, and offers no cancellation of it', async () => {
    const reversed = new EpisodeResults(publisher, hospital.prefix, {
      ipt_no: `ZY${String(Date.now()).slice(-8)}03`,
      day: today(),
      certno: CERTNO,
    });
    await reversed.publish(reversed.admission());
    const operator = await signIn('op', PASSWORDS.op);
    await operator.getByTestId('nav-visits').click();
    await operator
      .getByTestId(`visit-${reversed.options.ipt_no}`)
      .getByRole('link')
      .click({ timeout: 30_000 });
    await reversed.publish(reversed.settlement());
    await operator.getByTestId('visit-state').filter({ hasText: '已结算' }).waitFor({ timeout: 30_000 });
    await operator.getByTestId('cancel-settlement').waitFor();

    await reversed.publish(reversed.reversedLocally(reversed.setl_id, '0', 'op', '中心窗口已撤销该结算'));
    await operator.getByTestId('visit-state').filter({ hasText: '已本地冲销' }).waitFor({ timeout: 30_000 });
    await expectText(
      operator,
      `[data-testid="reversed-locally-${reversed.setl_id}"]`,
      '已本地冲销：op，中心窗口已撤销该结算',
    );
    expect(await operator.getByTestId('cancel-settlement').count()).toBe(0);
    expect((await operator.getByTestId('timeline-entry').allTextContents()).join('\n')).toMatch(
      /本地冲销.*中心窗口已撤销该结算/,
    );
    await shot(operator, '09-visit-reversed-locally');
  }, 90_000);
});
