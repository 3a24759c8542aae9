import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createEnvelope, Topics, type Envelope } from '@yb/contracts';
import { KafkaPublisher } from '@yb/messaging';
import { HospitalServices, testKafka, uniqueName, waitFor } from '@yb/testing';
import { type Consumer } from 'kafkajs';
import { type Browser } from 'playwright-core';
import { buildWeb, expectText, launchChromium, screenshot as shot, signInPage } from './support/browser';
import { OFFICE_COMMAND_TOPICS, OfficeResults } from './support/office-results';

// The 对账 and 目录 pages in headless Chromium against the dashboard's main.ts (a child process serving a fresh
// Vite build), fed on Kafka with what reconciliation and catalogue publish; the operator's actions read back from
// Kafka. The catalogue service runs beside it on the sandbox's (small) generated catalogue, for the versions and
// the mapping screen's suggestions. Screenshots: tmp/screenshots/office-*.png.

const PASSWORDS = { op: randomUUID(), viewer: randomUUID(), admin: randomUUID() };

/** A port nothing listens on now: the catalogue service's, which the dashboard must know before either starts. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
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
  let results: OfficeResults;

  beforeAll(async () => {
    buildWeb(webDir);
    const cataloguePort = await freePort();
    hospital = await HospitalServices.start({
      label: 'dash-office-web',
      services: ['billing-dashboard', 'catalogue'],
      simEnv: { PLATFORM_SIM_CATALOGUE_ITEMS: '3000', PLATFORM_SIM_FILE_CATALOGUE_ROWS: '100' },
      serviceEnv: {
        'billing-dashboard': {
          DASHBOARD_BOOTSTRAP_USERS: `op:${PASSWORDS.op}:operator,viewer:${PASSWORDS.viewer}:viewer,admin:${PASSWORDS.admin}:admin`,
          DASHBOARD_WEB_DIR: webDir,
          DASHBOARD_CATALOGUE_URL: `http://127.0.0.1:${cataloguePort}`,
        },
        catalogue: {
          HTTP_PORT: String(cataloguePort),
          CATALOGUE_DOWNLOADS: '1312A,1314',
          OTEL_SDK_DISABLED: 'true',
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
    results = new OfficeResults(publisher, hospital.prefix);
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
    await expectText(operator, `[data-testid=difference-${open}]`, '本地时段对账(5262)');
    // Hubei's period check of the day (5267 异地), asked from its button.
    await operator.getByTestId('check-5267').click();
    const periodCheck = await waitFor('ReconcileDay with 5267 on Kafka', () =>
      commands.find(
        (c) => c.type === 'ReconcileDay' && (c.data as { checks?: string[] }).checks?.[0] === '5267',
      ),
    );
    expect(periodCheck.data).toMatchObject({ stmt_date: DAY, requested_by: { username: 'op' } });

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
    expect(await viewer.getByTestId('check-5262').count()).toBe(0);
    await viewer.getByTestId('lang').selectOption('en');
    await expectText(viewer, '[data-testid=group-390]', 'Unbalanced');
    await expectText(viewer, `[data-testid=difference-${open}]`, 'Amounts differ');
  });

  it("对账: an operator adopts the platform's record of amounts that differ and reverses in our books a settlement the platform lacks, each after a confirmation", async () => {
    const amounts = `A${DAY.replace(/-/g, '')}02`;
    const ours = `H${DAY.replace(/-/g, '')}03`;
    await results.send(Topics.reconciliation, 'ReconciliationDifferenceFound', {
      stmt_date: DAY,
      run: 1,
      setl_id: ours,
      insutype: '310',
      clr_type: '21',
      setl_optins: '420100',
      kind: 'HOSPITAL_ONLY',
      suggested_action: 'CHECK_AND_RESEND_OR_REVERSE',
      refd_setl_flag: '0',
      ours: { medfee_sumamt: '120.00', fund_pay_sumamt: '96.00', acct_pay: '0.00' },
    });
    const operator = await signInPage(browser, url, 'op', PASSWORDS.op);
    await operator.goto(`${url}/#/reconciliation/${DAY}`);
    await expectText(operator, `[data-testid=difference-${ours}]`, '本院有、中心无');
    // Each action only on its kind of difference.
    expect(await operator.getByTestId(`adopt-${ours}`).count()).toBe(0);
    expect(await operator.getByTestId(`reverse-${amounts}`).count()).toBe(0);

    // 采用平台记录: nothing is sent before the person confirms.
    await operator.getByTestId(`adopt-${amounts}`).click();
    await expectText(operator, `[data-testid=adopt-${amounts}-confirm]`, '5203');
    expect(commands.some((c) => c.type === 'AdoptPlatformAmounts')).toBe(false);
    await operator.getByTestId(`adopt-${amounts}-send`).click();
    await expectText(operator, `[data-testid=adopt-${amounts}-outcome]`, '已提交');
    const adopt = await waitFor('AdoptPlatformAmounts on Kafka', () =>
      commands.find((c) => c.type === 'AdoptPlatformAmounts'),
    );
    expect(adopt.data).toEqual({
      stmt_date: DAY,
      setl_id: amounts,
      requested_by: { username: 'op', role: 'operator' },
    });

    // 本地冲销: a reason, then the confirmation.
    await operator.getByTestId(`reverse-${ours}`).click();
    await expectText(operator, `[data-testid=reverse-${ours}-confirm]`, '不向中心发送');
    expect(await operator.getByTestId(`reverse-${ours}-send`).isDisabled()).toBe(true);
    await operator.getByTestId(`reverse-${ours}-comment`).fill('中心窗口已撤销该结算');
    await shot(operator, 'office-reconciliation-reverse');
    await operator.getByTestId(`reverse-${ours}-send`).click();
    await expectText(operator, `[data-testid=reverse-${ours}-outcome]`, '已提交');
    const reverse = await waitFor('ReverseSettlementLocally on Kafka', () =>
      commands.find((c) => c.type === 'ReverseSettlementLocally'),
    );
    expect(reverse.data).toEqual({
      stmt_date: DAY,
      setl_id: ours,
      reason: '中心窗口已撤销该结算',
      requested_by: { username: 'op', role: 'operator' },
    });

    // reconciliation's answer (as it publishes it) shows on the page, with who; in English too.
    await results.send(Topics.reconciliation, 'ReconciliationDifferenceResolved', {
      stmt_date: DAY,
      setl_id: ours,
      resolution: 'REVERSED_LOCALLY',
      resolved_by: 'op',
      role: 'operator',
      explanation: '中心窗口已撤销该结算',
    });
    await expectText(operator, `[data-testid=difference-${ours}] [data-testid=resolution]`, '已本地冲销');
    expect(await operator.getByTestId(`reverse-${ours}`).count()).toBe(0);
    const viewer = await signInPage(browser, url, 'viewer', PASSWORDS.viewer);
    await viewer.goto(`${url}/#/reconciliation/${DAY}`);
    await expectText(viewer, `[data-testid=difference-${ours}]`, '已本地冲销');
    expect(await viewer.getByTestId(`adopt-${amounts}`).count()).toBe(0);
    await viewer.getByTestId('lang').selectOption('en');
    await expectText(viewer, `[data-testid=difference-${ours}]`, 'Reversed in our books');
    await operator.getByTestId('lang').selectOption('en');
    await expectText(operator, `[data-testid=adopt-${amounts}]`, "Adopt the platform's record");
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
    // Requested; catalogue (running beside) may already have uploaded it with 3301.
    await operator
      .locator(`[data-testid=item-${codes[1]}]`)
      .filter({ hasText: /已提交对照|已对照/ })
      .waitFor({ timeout: 20_000 });

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
    // The row and column named, the reason in Chinese (zod's English kept out), and in English on request.
    const emptyName = '[data-testid=import-error-3-fixmedins_hilist_name]';
    await expectText(operator, emptyName, '必填，不能为空');
    expect(await operator.locator(`${emptyName} td`).allTextContents()).toEqual([
      '3',
      '2',
      'fixmedins_hilist_name',
      '必填，不能为空',
    ]);
    await shot(operator, 'office-catalogue-import-refused');
    await operator.getByTestId('lang').selectOption('en');
    await expectText(operator, emptyName, 'Required');
    await operator.getByTestId('lang').selectOption('zh');
    await operator
      .getByTestId('import-csv')
      .setInputFiles(file('good.csv', [`CSV${run}1,注射用水,101,1.2`, `CSV${run}2,"碘伏, 500ml",301,9`]));
    await expectText(operator, '[data-testid=import-outcome]', '已导入: 2');
    await operator.getByTestId('item-search').fill(`CSV${run}`);
    await expectText(operator, `[data-testid=item-CSV${run}2]`, '碘伏, 500ml');
    await shot(operator, 'office-catalogue');
  });
  it('目录版本: each catalogue downloaded with its version and time; an admin downloads one now, an operator cannot', async () => {
    const admin = await signInPage(browser, url, 'admin', PASSWORDS.admin);
    await admin.getByTestId('nav-catalogue').click();
    await expectText(admin, '[data-testid=version-1312A]', '医保目录', 120_000);
    await expectText(admin, '[data-testid=version-1312A]', '首次启动');
    await expectText(admin, '[data-testid=version-1312A]', '3000');
    await expectText(admin, '[data-testid=version-1314]', '1314V0001', 120_000);
    await expectText(admin, '[data-testid=version-1314]', '中医疾病');
    await admin.getByTestId('download-1314').click();
    await expectText(admin, '[data-testid=download-1314-outcome]', '已提交');
    const asked = await waitFor('DownloadCatalogue on Kafka', () =>
      commands.find((c) => c.type === 'DownloadCatalogue'),
    );
    expect(asked.data).toMatchObject({ infno: '1314', requested_by: { username: 'admin', role: 'admin' } });
    // catalogue ran it: nothing newer than 1314V0001, the row now says a person asked, with no rows.
    await expectText(admin, '[data-testid=version-1314]', '人工 admin', 60_000);
    await shot(admin, 'office-catalogue-versions');
    await admin.getByTestId('lang').selectOption('en');
    await expectText(admin, '[data-testid=version-1314]', 'TCM diseases');
    await expectText(admin, '[data-testid=catalogue-versions]', 'Last download');

    const operator = await signInPage(browser, url, 'op', PASSWORDS.op);
    await operator.getByTestId('nav-catalogue').click();
    await expectText(operator, '[data-testid=version-1314]', '1314V0001');
    expect(await operator.getByTestId('download-1314').count()).toBe(0);
  });

  it('目录查询: a viewer browses the downloaded catalogues by code, name and validity on a day; English', async () => {
    const viewer = await signInPage(browser, url, 'viewer', PASSWORDS.viewer);
    await viewer.getByTestId('nav-catalogue-lookup').click();
    await expectText(viewer, '[data-testid=nav-catalogue-lookup]', '目录查询');
    // 1314 (100 diseases, version 1314V0001): 胸痹 is every eighth name from the third, 13 of them.
    await viewer.getByTestId('lookup-kind').selectOption('tcm_disease');
    await viewer.getByTestId('lookup-name').fill('胸痹');
    const rows = viewer.getByTestId('lookup-row');
    await waitFor('the 13 rows of 胸痹', async () => ((await rows.count()) === 13 ? true : undefined));
    expect((await rows.allTextContents()).every((text) => text.includes('胸痹'))).toBe(true);
    await expectText(viewer, '[data-testid=lookup-rows]', '中医疾病名称');
    await viewer.getByTestId('lookup-code').fill('A000010');
    await waitFor('one row by code', async () => ((await rows.count()) === 1 ? true : undefined));
    await expectText(viewer, '[data-testid=lookup-rows]', '胸痹10');
    await shot(viewer, 'office-catalogue-lookup');

    // The 医保目录 is valid from 2024-01-01: a code found on a day after, not on the day before.
    await viewer.getByTestId('lookup-kind').selectOption('hilist');
    await viewer.getByTestId('lookup-code').fill('XJ01CAA040A001010101445');
    await viewer.getByTestId('lookup-date').fill('2024-06-01');
    await expectText(viewer, '[data-testid=lookup-rows]', '西药中成药');
    await waitFor('the code valid on 2024-06-01', async () =>
      (await rows.count()) === 1 ? true : undefined,
    );
    await viewer.getByTestId('lookup-date').fill('2023-12-31');
    await waitFor('nothing valid on 2023-12-31', async () => ((await rows.count()) === 0 ? true : undefined));

    await viewer.getByTestId('lang').selectOption('en');
    await expectText(viewer, '[data-testid=nav-catalogue-lookup]', 'Catalogue lookup');
    await expectText(viewer, '[data-testid=lookup-rows]', 'Valid from');
    await expectText(viewer, '[data-testid=lookup-kind]', 'TCM diseases');
  });

  it('对照建议: an operator asks for suggestions, takes the best, and confirms it (ConfirmItemMapping)', async () => {
    const item = `AM${run}`;
    await publisher.publish(
      hospital.topic(Topics.hisCatalogue),
      createEnvelope({
        type: 'HospitalItemsPublished',
        schemaVersion: 1,
        key: `his-amox-${run}`,
        data: {
          list_id: `his-amox-${run}`,
          items: [
            {
              fixmedins_hilist_id: item,
              fixmedins_hilist_name: '阿莫西林胶囊',
              list_type: '101',
              pric: '12.5',
            },
          ],
        },
      }),
    );
    const operator = await signInPage(browser, url, 'op', PASSWORDS.op);
    await operator.getByTestId('nav-catalogue').click();
    await operator.getByTestId('item-search').fill(item);
    await expectText(operator, `[data-testid=item-${item}]`, '未对照');
    // The catalogue service records the item from his.catalogue as the dashboard does; ask until it has.
    const suggested = operator.locator(`[data-testid=suggestions-${item}] li`);
    await waitFor('the suggestions', async () => {
      await operator.getByTestId(`suggest-${item}`).click();
      return (await suggested.count()) > 1 || undefined;
    });
    // Every one of the list type and name (the generated catalogue has several 阿莫西林胶囊, the same name first).
    const texts = await suggested.allTextContents();
    expect(texts.every((t) => /阿莫西林/.test(t))).toBe(true);
    expect(texts[0]).toContain('阿莫西林胶囊');
    const code = (await suggested.first().getAttribute('data-testid'))!.replace(/^suggestion-/, '');
    await shot(operator, 'office-catalogue-suggestions');
    await operator.getByTestId(`use-${code}`).click();
    expect(await operator.getByTestId(`map-${item}-code`).inputValue()).toBe(code);
    await operator.getByTestId(`map-${item}`).click();
    await expectText(operator, `[data-testid=map-${item}-outcome]`, '已提交');
    const mapping = await waitFor('ConfirmItemMapping of the suggested code on Kafka', () =>
      commands.find(
        (c) =>
          c.type === 'ConfirmItemMapping' &&
          (c.data as { fixmedins_hilist_id: string }).fixmedins_hilist_id === item,
      ),
    );
    expect(mapping.data).toMatchObject({ med_list_codg: code, requested_by: { username: 'op' } });
    // catalogue uploads it with 3301 and publishes the mapping: the item shows mapped.
    await expectText(operator, `[data-testid=item-${item}]`, '已对照', 60_000);
  });
});
