import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEnvelope, DischargeRequestedV1, PatientAdmittedV1, type MessageType } from '@yb/contracts';
import { KafkaPublisher } from '@yb/messaging';
import { HospitalServices, testFeeLine, testKafka } from '@yb/testing';
import { type Browser } from 'playwright-core';
import {
  buildWeb,
  expectText,
  launchChromium,
  postFromPage,
  screenshot,
  signInPage,
} from './support/browser';

// The page against the services that produce its inputs, as production runs them (each main.ts a child process):
// the HIS (this test) admits, charges (the same bed day twice: the simulator's 3102 raises a duplicate-charge
// finding, which quality holds as blocking), discharges and asks for settlement on his.inpatient; admission,
// fee-detail, quality and settlement call the platform simulator. In headless Chromium, an operator watches the
// visit appear and stop on the finding, a viewer is refused, the operator acknowledges it, and the visit settles
// on the page, live.

const PASSWORDS = { op: randomUUID(), viewer: randomUUID() };
// Catalogue codes the simulator prices: a bed day and a drug.
const BED = '001102000010000-110200001';
const AMOXICILLIN = 'XJ01CAA040A001010101445';
const CERTNO = '420111198808080883';

describe('the dashboard in a browser, fed by the running services', () => {
  const ipt_no = `ZY${String(Date.now()).slice(-8)}H1`;
  const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-web-'));
  let hospital: HospitalServices;
  let publisher: KafkaPublisher;
  let browser: Browser;
  let url: string;

  const publish = (type: MessageType, data: unknown) =>
    publisher.publish(
      hospital.topics.hisInpatient,
      createEnvelope({ type, schemaVersion: 1, key: ipt_no, data }),
    );

  beforeAll(async () => {
    buildWeb(webDir);
    hospital = await HospitalServices.start({
      label: 'dash-hosp',
      services: ['admission', 'fee-detail', 'quality', 'settlement', 'billing-dashboard'],
      serviceEnv: {
        'billing-dashboard': {
          DASHBOARD_BOOTSTRAP_USERS: `op:${PASSWORDS.op}:operator,viewer:${PASSWORDS.viewer}:viewer`,
          DASHBOARD_WEB_DIR: webDir,
        },
      },
    });
    url = hospital.service('billing-dashboard').ready[1]!;
    publisher = new KafkaPublisher(testKafka());
    await publisher.connect();
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await publisher?.disconnect();
    await hospital?.stop();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('shows a HIS episode appear, stop on a blocking finding, be acknowledged by an operator and settle live', async () => {
    const operator = await signInPage(browser, url, 'op', PASSWORDS.op);
    await operator.getByTestId('nav-visits').click();
    await operator.getByTestId('live').filter({ hasText: '实时' }).waitFor();

    const { psn_no: _examplePerson, ...admission } = PatientAdmittedV1.example;
    await publish('PatientAdmitted', {
      ...admission,
      ipt_no,
      insutype: '310',
      mdtrt_cert_type: '02',
      mdtrt_cert_no: CERTNO,
    });
    await publish('FeeLinesCharged', {
      ipt_no,
      lines: [
        testFeeLine(`${ipt_no}-F1`, 2, BED, '1', '50.00'),
        testFeeLine(`${ipt_no}-F2`, 2, BED, '1', '50.00'),
        testFeeLine(`${ipt_no}-F3`, 2, AMOXICILLIN, '3', '12.50'),
      ],
    });
    const row = operator.getByTestId(`visit-${ipt_no}`);
    await row.getByTestId('fee-total').filter({ hasText: '137.50' }).waitFor({ timeout: 60_000 });
    expect(await row.getByTestId('certno').textContent()).toBe('420***********0883');
    await screenshot(operator, 'hospital-01-in-hospital');

    await publish('DischargeRequested', { ...DischargeRequestedV1.example, ipt_no });
    await publish('SettlementRequested', {
      ipt_no,
      mid_setl_flag: '0',
      psn_setlway: '01',
      acct_used_flag: '1',
      medfee_sumamt: '137.50',
    });
    await operator.getByTestId('nav-queue').click();
    const finding = operator.locator('[data-testid^="queue-FINDING-"]').first();
    await finding.waitFor({ timeout: 60_000 });
    await screenshot(operator, 'hospital-02-queue');
    await finding.getByRole('link').click();
    const visitId = operator.url().split('/').pop()!;
    const acknowledge = operator.locator('button[data-testid^="acknowledge-"]').first();
    const jrId = (await acknowledge.getAttribute('data-testid'))!.replace(/^acknowledge-/, '');

    // A viewer sees the finding without the button; the server refuses the action to a viewer.
    const viewer = await signInPage(browser, url, 'viewer', PASSWORDS.viewer);
    await viewer.goto(`${url}/#/visits/${visitId}`);
    await viewer.getByTestId(`finding-${jrId}`).waitFor();
    expect(await viewer.getByTestId(`acknowledge-${jrId}`).count()).toBe(0);
    expect(
      await postFromPage(viewer, `/api/visits/${visitId}/findings/${encodeURIComponent(jrId)}/acknowledge`, {
        comment: '查看员试图确认',
      }),
    ).toBe(403);

    await acknowledge.click();
    await operator
      .getByTestId(`acknowledge-${jrId}-comment`)
      .fill('已核实，属同日两次床位费录入，按实际收取');
    await operator.getByTestId(`acknowledge-${jrId}-send`).click();
    await expectText(operator, `[data-testid="acknowledge-${jrId}-outcome"]`, '已提交');

    // Quality accepts it, the saga goes on (2303, 2402, 3102, 2304) and the page shows the visit settled.
    await operator.getByTestId('visit-state').filter({ hasText: '已结算' }).waitFor({ timeout: 60_000 });
    await expectText(operator, `[data-testid="finding-${jrId}"] [data-testid="acknowledged-by"]`, 'op');
    const timeline = (await operator.getByTestId('timeline-entry').allTextContents()).join('\n');
    expect(timeline).toMatch(/违规已确认/);
    expect(timeline).toMatch(/预结算\(2303\)/);
    expect(timeline).toMatch(/结算\(2304\)/);
    expect(await operator.getByTestId('visit-fee-total').textContent()).toBe('¥137.50');
    expect(await operator.content()).not.toContain(CERTNO);
    await screenshot(operator, 'hospital-03-visit-settled');
  }, 180_000);
});
