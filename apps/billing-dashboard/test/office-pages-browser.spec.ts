import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Envelope } from '@yb/contracts';
import { KafkaPublisher } from '@yb/messaging';
import { HospitalServices, testKafka, uniqueName, waitFor } from '@yb/testing';
import { type Consumer } from 'kafkajs';
import { type Browser } from 'playwright-core';
import { buildWeb, expectText, launchChromium, screenshot as shot, signInPage } from './support/browser';
import { OFFICE_COMMAND_TOPICS, OfficeResults } from './support/office-results';

// The 对账 and 目录 pages in headless Chromium against the dashboard's main.ts (a child process serving a fresh
// Vite build), fed on Kafka with what reconciliation and catalogue publish; the operator's actions read back from
// Kafka. Screenshots: tmp/screenshots/office-*.png.

const PASSWORDS = { op: randomUUID(), viewer: randomUUID() };
const DAY = '2024-05-15';
const CERTNO = '420102198001011234';

describe('the office pages in a browser', () => {
  const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-office-web-'));
  const commands: Envelope[] = [];
  const run = String(Date.now()).slice(-6);
  const codes = [`YP${run}1`, `FW${run}2`, `HC${run}3`] as const;
  let hospital: HospitalServices;
  let publisher: KafkaPublisher;
  let reader: Consumer;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    buildWeb(webDir);
    hospital = await HospitalServices.start({
      label: 'dash-office-web',
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
    reader = kafka.consumer({ groupId: uniqueName('dash-office-web'), maxWaitTimeInMs: 250 });
    await reader.connect();
    await reader.subscribe({
      topics: OFFICE_COMMAND_TOPICS.map((t) => hospital.topic(t)),
      fromBeginning: true,
    });
    await reader.run({
      eachMessage: async ({ message }) => void commands.push(JSON.parse(message.value!.toString())),
    });
    browser = await launchChromium();
    const results = new OfficeResults(publisher, hospital.prefix);
    await results.reconciledDay(DAY);
    await results.items(`his-list-${run}`, codes);
    await results.clearing();
    await results.heldLines(`ZH${run}01`, codes[2], `证件${CERTNO}`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await reader?.disconnect();
    await publisher?.disconnect();
    await hospital?.stop();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('对账: the day balanced and not, its differences; an operator explains one, a viewer has no button; English', async () => {
    const operator = await signInPage(browser, url, 'op', PASSWORDS.op);
    await operator.getByTestId('nav-reconciliation').click();
    const day = operator.getByTestId(`day-${DAY}`);
    await day.filter({ hasText: '1 / 2' }).waitFor({ timeout: 30_000 });
    // The month's clearing: applied locally, refused by the platform for the cross-area patients.
    await expectText(operator, '[data-testid=clearing-202405-LOCAL]', '已申请');
    await expectText(operator, '[data-testid=clearing-202405-LOCAL]', '35120.44');
    await expectText(operator, '[data-testid=clearing-202405-CROSS_AREA]', '申请被拒');
    await shot(operator, 'office-reconciliation-days');
    await day.getByRole('link').click();
    await expectText(operator, '[data-testid=group-390]', '不平');
    await expectText(operator, '[data-testid=group-310]', '48211.07');
    const open = `A${DAY.replace(/-/g, '')}02`;
    const row = operator.getByTestId(`difference-${open}`);
    await expectText(operator, `[data-testid=difference-${open}]`, '金额不一致');
    expect(await row.textContent()).toContain('600.29');
    await expectText(operator, `[data-testid=difference-P${DAY.replace(/-/g, '')}01]`, '已采用中心记录');

    await operator.getByTestId(`explain-${open}`).click();
    await operator.getByTestId(`explain-${open}-comment`).fill('中心已按一分钱差额调整');
    await operator.getByTestId(`explain-${open}-send`).click();
    await expectText(operator, `[data-testid=explain-${open}-outcome]`, '已提交');
    const command = await waitFor('ExplainReconciliationDifference on Kafka', () =>
      commands.find((c) => c.type === 'ExplainReconciliationDifference'),
    );
    expect(command.data).toMatchObject({
      stmt_date: DAY,
      setl_id: open,
      explanation: '中心已按一分钱差额调整',
      requested_by: { username: 'op', role: 'operator' },
    });
    await shot(operator, 'office-reconciliation-day');

    const viewer = await signInPage(browser, url, 'viewer', PASSWORDS.viewer);
    await viewer.goto(`${url}/#/reconciliation/${DAY}`);
    await expectText(viewer, `[data-testid=difference-${open}]`, '金额不一致');
    expect(await viewer.getByTestId(`explain-${open}`).count()).toBe(0);
    expect(await viewer.getByTestId('reconcile-again').count()).toBe(0);
    await viewer.getByTestId('lang').selectOption('en');
    await expectText(viewer, '[data-testid=group-390]', 'Unbalanced');
    await expectText(viewer, `[data-testid=difference-${open}]`, 'Amounts differ');
  });

  it('目录: unmapped items first, an operator maps one, a wrong CSV is refused row by row, a good one imported', async () => {
    const operator = await signInPage(browser, url, 'op', PASSWORDS.op);
    await operator.getByTestId('nav-catalogue').click();
    await operator.getByTestId(`item-${codes[0]}`).filter({ hasText: '已对照' }).waitFor({ timeout: 30_000 });
    const order = await operator
      .locator('[data-testid=items] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
    // The item holding two fee lines first, then the other unmapped one, the mapped one last.
    expect(order.filter((id) => codes.some((c) => id === `item-${c}`))).toEqual([
      `item-${codes[2]}`,
      `item-${codes[1]}`,
      `item-${codes[0]}`,
    ]);
    await expectText(operator, `[data-testid=item-${codes[2]}] [data-testid=held-count]`, '2');
    await expectText(operator, `[data-testid=held-ZH${run}01]`, '明细暂挂');
    // The reason quoted an ID number: masked for an operator.
    expect(await operator.getByTestId(`held-ZH${run}01`).textContent()).not.toContain(CERTNO);
    await expectText(operator, `[data-testid=item-${codes[1]}]`, '未对照');

    await operator.getByTestId(`map-${codes[1]}-code`).fill('001102000010000-110200001');
    await operator.getByTestId(`map-${codes[1]}`).click();
    await expectText(operator, `[data-testid=map-${codes[1]}-outcome]`, '已提交');
    const mapping = await waitFor('ConfirmItemMapping on Kafka', () =>
      commands.find((c) => c.type === 'ConfirmItemMapping'),
    );
    expect(mapping.data).toMatchObject({
      fixmedins_hilist_id: codes[1],
      med_list_codg: '001102000010000-110200001',
      requested_by: { username: 'op' },
    });
    await expectText(operator, `[data-testid=item-${codes[1]}]`, '已提交对照');

    const header = 'fixmedins_hilist_id,fixmedins_hilist_name,list_type,pric';
    const file = (name: string, lines: string[]) => ({
      name,
      mimeType: 'text/csv',
      buffer: Buffer.from(`${[header, ...lines].join('\r\n')}\r\n`),
    });
    await operator
      .getByTestId('import-csv')
      .setInputFiles(file('bad.csv', [`CSV${run}1,注射用水,101,1.2`, `CSV${run}2,,101,1`]));
    await expectText(operator, '[data-testid=import-outcome]', '未导入任何项目');
    await expectText(operator, '[data-testid=import-errors]', 'fixmedins_hilist_name');
    await shot(operator, 'office-catalogue-import-refused');
    await operator
      .getByTestId('import-csv')
      .setInputFiles(file('good.csv', [`CSV${run}1,注射用水,101,1.2`, `CSV${run}2,"碘伏, 500ml",301,9`]));
    await expectText(operator, '[data-testid=import-outcome]', '已导入: 2');
    await operator.getByTestId('item-search').fill(`CSV${run}`);
    await expectText(operator, `[data-testid=item-CSV${run}2]`, '碘伏, 500ml');
    await shot(operator, 'office-catalogue');
  });
});
