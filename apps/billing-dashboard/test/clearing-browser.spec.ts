import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { KafkaPublisher } from '@yb/messaging';
import { enrollableCertno, HisTestVisit, HospitalServices, SIM_PRICED_ITEMS, testKafka } from '@yb/testing';
import { type Browser } from 'playwright-core';
import {
  askFromPage,
  buildWeb,
  expectText,
  launchChromium,
  postFromPage,
  screenshot,
  signInPage,
} from './support/browser';

// 清算申请 from the 对账 page, in headless Chromium, end to end: a visit settled by the saga (admission,
// fee-detail, settlement) against the platform sandbox, reconciliation keeping its ledger and answering the
// dashboard over HTTP (RECONCILIATION_URL), the dashboard's buttons. The month is refused while its day is not
// reconciled, applied for (3202A) once the operator has run the day, withdrawn (3204A); a viewer has no button;
// a second application and a stopped service are errors in Chinese. Screenshots: tmp/screenshots/clearing-*.png.

const PASSWORDS = { op: randomUUID(), viewer: randomUUID() };
const WAIT = 90_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('清算申请 from the dashboard', () => {
  const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-clearing-web-'));
  let hospital: HospitalServices;
  let publisher: KafkaPublisher;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    buildWeb(webDir);
    const port = await freePort();
    hospital = await HospitalServices.start({
      label: 'dash-clearing',
      services: ['admission', 'fee-detail', 'settlement', 'reconciliation', 'billing-dashboard'],
      env: { OTEL_SDK_DISABLED: 'true' },
      serviceEnv: {
        settlement: { SETTLEMENT_AUDIT_ENABLED: 'false' },
        reconciliation: { RECONCILIATION_CRON: 'off', HTTP_PORT: String(port) },
        'billing-dashboard': {
          DASHBOARD_BOOTSTRAP_USERS: `op:${PASSWORDS.op}:operator,viewer:${PASSWORDS.viewer}:viewer`,
          DASHBOARD_WEB_DIR: webDir,
          RECONCILIATION_URL: `http://127.0.0.1:${port}`,
        },
      },
    });
    url = hospital.service('billing-dashboard').ready[1]!;
    publisher = new KafkaPublisher(testKafka());
    await publisher.connect();
    browser = await launchChromium();
    // Five services, the sandbox and a page build: minutes on a loaded 2-core machine.
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await publisher?.disconnect();
    await hospital?.stop();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('refused while the day is open, applied for once reconciled, withdrawn; errors in Chinese', async () => {
    const visit = new HisTestVisit(
      publisher,
      hospital.topics.hisInpatient,
      `ZQ${String(Date.now()).slice(-8)}C1`,
      '42000019880801000001',
      enrollableCertno(11),
    );
    await visit.admit();
    await visit.charge(3, [
      [SIM_PRICED_ITEMS.BED, '2', '50'],
      [SIM_PRICED_ITEMS.AMOXICILLIN, '4', '12.5'],
    ]);
    await visit.discharge();
    await visit.requestSettlement();

    const operator = await signInPage(browser, url, 'op', PASSWORDS.op);
    // The platform settled it today (Beijing time): today is the day to reconcile, this month the one to clear.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const setlym = today.slice(0, 7).replace('-', '');
    await operator.getByTestId('nav-reconciliation').click();
    await operator.getByTestId('clearing-month').fill(today.slice(0, 7));
    const row = operator.getByTestId('month-21-420100');
    const apply = async () => {
      await row.getByTestId('apply-21-420100').click();
      await expectText(operator, '[data-testid=apply-21-420100-outcome]', '对账服务已应答');
    };
    // The saga settles, reconciliation's ledger learns of it from Kafka: the row appears once it has.
    await expectText(operator, '[data-testid=month-21-420100]', '未申请', 180_000);

    await apply();
    await expectText(operator, '[data-testid=month-21-420100] [data-testid=refusal]', `${today} 未对账平衡`);
    await expectText(operator, '[data-testid=clearing]', '申请被拒', WAIT);

    await operator.getByTestId('run-date').fill(today);
    await operator.getByTestId('reconcile-day').click();
    await operator.getByTestId(`day-${today}`).filter({ hasText: '1 / 1' }).waitFor({ timeout: WAIT });
    await apply();
    await expectText(operator, '[data-testid=month-21-420100] [data-testid=status]', '已申请');
    const eventId = (await row.locator('td').nth(5).textContent())!.split(' ')[0];
    expect(eventId).toMatch(/^420100\d+$/);
    // 清算申请单 (3205A) as a PDF.
    const href = (await row.getByTestId('printout-21-420100').getAttribute('href'))!;
    const pdf = await operator.request.get(`${url}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expectText(operator, '[data-testid=clearing]', eventId, WAIT);
    await screenshot(operator, 'clearing-applied');

    // A second application of the same month: the service's 409, in its words.
    const again = await askFromPage(operator, '/api/clearing/applications', {
      setlym,
      clr_type: '21',
      setl_optins: '420100',
    });
    expect(again).toEqual({ status: 409, message: `该月已申请清算（${eventId}），如需重报请先撤销` });

    const viewer = await signInPage(browser, url, 'viewer', PASSWORDS.viewer);
    await viewer.goto(`${url}/#/reconciliation`);
    await viewer.getByTestId('clearing-month').fill(today.slice(0, 7));
    await expectText(viewer, '[data-testid=month-21-420100]', '已申请');
    expect(await viewer.getByTestId('withdraw-21-420100').count()).toBe(0);
    expect(
      await postFromPage(viewer, '/api/clearing/applications/withdrawal', {
        setlym,
        clr_type: '21',
        setl_optins: '420100',
      }),
    ).toBe(403);

    await row.getByTestId('withdraw-21-420100').click();
    await expectText(operator, '[data-testid=month-21-420100] [data-testid=status]', '已撤销');
    await expectText(operator, '[data-testid=clearing]', '已撤销', WAIT);

    // The service stopped: the page says so in Chinese, nothing is recorded as done.
    await hospital.stopService('reconciliation');
    await row.getByTestId('apply-21-420100').click();
    await expectText(operator, '[data-testid=apply-21-420100-outcome]', '对账服务暂时无法访问，请稍后重试');
    await screenshot(operator, 'clearing-service-unreachable');
  }, 480_000);
});
