import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEnvelope, DischargeRequestedV1, PatientAdmittedV1, type MessageType } from '@yb/contracts';
import { KafkaPublisher } from '@yb/messaging';
import { HospitalServices, testFeeLine, testKafka, waitFor } from '@yb/testing';
import { type Browser, type Locator, type Page } from 'playwright-core';
import {
  buildWeb,
  DOC_SCREENSHOTS,
  launchChromium,
  postFromPage,
  screenshot,
  signInPage,
} from './support/browser';

// The cashier's confirmation of 2303's split, in headless Chromium against the running services (admission,
// fee-detail, settlement with SETTLEMENT_CONFIRMATION on, the dashboard; the platform simulator): the visit
// waits with the split (fund, personal account, cash, the hospital's part) on its page; a viewer cannot act;
// the operator confirms and the visit settles, live; its settlement slip prints as HTML and PDF. The
// confirmation screen and the slip are kept as docs/screenshots.

const PASSWORDS = { op: randomUUID(), viewer: randomUUID() };
const BED = '001102000010000-110200001';
const AMOXICILLIN = 'XJ01CAA040A001010101445';
const CERTNO = '420111198808080883';

/**
 * Opens a visit from the list by its link's address: the list re-renders with every live update, so a click can
 * land on a row being replaced (the link detached, the page taking the pointer) on a busy machine.
 */
async function openVisit(page: Page, row: Locator): Promise<void> {
  const href = (await row.getByRole('link').first().getAttribute('href'))!;
  await page.goto(new URL(href, page.url()).toString());
}

describe('pre-settlement confirmation in the dashboard', () => {
  const ipt_no = `ZY${String(Date.now()).slice(-8)}Q1`;
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
      label: 'dash-confirm',
      services: ['admission', 'fee-detail', 'settlement', 'billing-dashboard'],
      serviceEnv: {
        settlement: { SETTLEMENT_AUDIT_ENABLED: 'false', SETTLEMENT_CONFIRMATION: 'true' },
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
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await publisher?.disconnect();
    await hospital?.stop();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('shows the split for the cashier (Chinese), refuses a viewer, and settles on the operator’s confirmation', async () => {
    const operator = await signInPage(browser, url, 'op', PASSWORDS.op);
    const { psn_no: _examplePerson, ...admission } = PatientAdmittedV1.example;
    await publish('PatientAdmitted', {
      ...admission,
      ipt_no,
      insutype: '310',
      mdtrt_cert_type: '02',
      mdtrt_cert_no: CERTNO,
      psn_name: '张三丰',
    });
    await publish('FeeLinesCharged', {
      ipt_no,
      lines: [
        testFeeLine(`${ipt_no}-F1`, 2, BED, '20', '50.00'),
        testFeeLine(`${ipt_no}-F2`, 2, AMOXICILLIN, '4', '12.50'),
      ],
    });
    await operator.getByTestId('nav-visits').click();
    const row = operator.getByTestId(`visit-${ipt_no}`);
    await row.getByTestId('fee-total').filter({ hasText: '1050.00' }).waitFor({ timeout: 90_000 });
    await publish('DischargeRequested', { ...DischargeRequestedV1.example, ipt_no });
    await publish('SettlementRequested', {
      ipt_no,
      mid_setl_flag: '0',
      psn_setlway: '01',
      acct_used_flag: '1',
      medfee_sumamt: '1050.00',
    });
    await openVisit(operator, row);
    const card = operator.getByTestId('pre-settlement-confirmation');
    await card.waitFor({ timeout: 90_000 });
    const visitId = operator.url().split('/').pop()!;
    expect(await card.locator('h2').textContent()).toBe('预结算待确认');
    expect(await operator.getByTestId('split-medfee').textContent()).toBe('¥1050.00');
    const amount = async (key: string) =>
      Number((await operator.getByTestId(`split-${key}`).textContent())!.slice(1));
    // The split adds up as the platform's identities say: total = funds + account + cash + the hospital's part.
    const parts =
      (await amount('fund')) + (await amount('acct')) + (await amount('cash')) + (await amount('hospPart'));
    expect(parts.toFixed(2)).toBe('1050.00');
    expect(await operator.getByTestId('visit-state').textContent()).not.toContain('已结算');
    await screenshot(operator, 'settlement-confirmation', DOC_SCREENSHOTS);

    const viewer = await signInPage(browser, url, 'viewer', PASSWORDS.viewer);
    await viewer.goto(`${url}/#/visits/${visitId}`);
    await viewer.getByTestId('pre-settlement-confirmation').waitFor();
    expect(await viewer.getByTestId('confirm-with-account').count()).toBe(0);
    const saga_id = `setl-${ipt_no}-1`;
    expect(
      await postFromPage(viewer, `/api/visits/${visitId}/confirm-pre-settlement`, {
        saga_id,
        decision: 'CONFIRM',
      }),
    ).toBe(403);

    await operator.getByTestId('confirm-with-account').click();
    await operator.getByTestId('visit-state').filter({ hasText: '已结算' }).waitFor({ timeout: 90_000 });
    const timeline = (await operator.getByTestId('timeline-entry').allTextContents()).join('\n');
    expect(timeline).toMatch(/收费员确认/);
    expect(timeline).toMatch(/收费员 op 确认预结算 \(使用个人账户\)/);
    expect(await operator.getByTestId('pre-settlement-confirmation').count()).toBe(0);
    await screenshot(operator, 'settlement-confirmed-settled');

    // The settlement slip (结算单): printable HTML and its PDF, in Chinese, with the fund rows and both parts.
    const slipLink = operator.locator('a[data-testid^="slip-"]').first();
    const href = (await slipLink.getAttribute('href'))!;
    const slipPage = await operator.context().newPage();
    await slipPage.goto(`${url}${href}`);
    const slip = slipPage.getByTestId('settlement-slip');
    await slip.waitFor();
    const printed = (await slip.textContent())!;
    for (const text of [
      '医疗保障住院结算单',
      '住院天数',
      'J18.900',
      '统筹基金',
      '基金支付合计',
      '个人账户支付',
      '医院负担',
    ]) {
      expect(printed).toContain(text);
    }
    expect(printed).toContain('1050.00');
    expect(await slipPage.content()).not.toContain(CERTNO);
    expect(await slipPage.content()).not.toContain('张三丰');
    await screenshot(slipPage, 'settlement-slip', DOC_SCREENSHOTS);
    const pdf = await slipPage.request.get(`${url}${href.replace(/slip\.html$/, 'slip.pdf')}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // Beside ours, the platform's own slip (YH03, Hubei): fetched by settlement after 2304 and offered as it came.
    const setl_id = href.split('/settlements/')[1]!.split('/')[0]!;
    const platformLink = operator.getByTestId(`platform-slip-${decodeURIComponent(setl_id)}`);
    await platformLink.waitFor({ timeout: 90_000 });
    expect(await platformLink.textContent()).toBe('医保平台结算单');
    const platformSlip = await operator.request.get(`${url}${(await platformLink.getAttribute('href'))!}`);
    expect(platformSlip.status()).toBe(200);
    expect(platformSlip.headers()['content-type']).toContain('text/html');
    const document = (await platformSlip.body()).toString('utf8');
    expect(document).toContain(decodeURIComponent(setl_id));
    expect(document).toContain('<th>医疗费总额</th><td>1050.00</td>');
  }, 300_000);

  it('mid-way then final: each slip prints what the simulator booked, to the fen', async () => {
    const visitNo = `${ipt_no}M`;
    const his = (type: MessageType, data: Record<string, unknown>) =>
      publisher.publish(
        hospital.topics.hisInpatient,
        // The visit's own ipt_no over the examples' (the dashboard refuses a message keyed by another visit).
        createEnvelope({ type, schemaVersion: 1, key: visitNo, data: { ...data, ipt_no: visitNo } }),
      );
    const settle = (mid_setl_flag: '0' | '1', medfee_sumamt: string) =>
      his('SettlementRequested', { mid_setl_flag, psn_setlway: '01', acct_used_flag: '1', medfee_sumamt });
    const operator = await signInPage(browser, url, 'op', PASSWORDS.op);
    const { psn_no: _examplePerson, ...admission } = PatientAdmittedV1.example;
    await his('PatientAdmitted', {
      ...admission,
      insutype: '310',
      mdtrt_cert_type: '02',
      mdtrt_cert_no: '420111198808090881',
      psn_name: '李四',
    });
    await his('FeeLinesCharged', { lines: [testFeeLine(`${visitNo}-F1`, 2, BED, '20', '50.00')] });
    await operator.getByTestId('nav-visits').click();
    const row = operator.getByTestId(`visit-${visitNo}`);
    await row.getByTestId('fee-total').filter({ hasText: '1000.00' }).waitFor({ timeout: 90_000 });
    await openVisit(operator, row);
    const confirmWhenAsked = async () => {
      await operator.getByTestId('confirm-with-account').click({ timeout: 90_000 });
      await operator
        .getByTestId('pre-settlement-confirmation')
        .waitFor({ state: 'detached', timeout: 90_000 });
    };
    // The platform's clock in the stay's May 2024 (as the examples date it), so each slip's stay reads true.
    const platformClock = (at: string) => hospital.sim.admin('POST', '/sim/clock', { at });
    await platformClock('2024-05-05T12:00:00+08:00');
    await settle('1', '1000.00');
    await confirmWhenAsked();
    const slipRows = operator.locator('a[data-testid^="slip-"]');
    await slipRows.first().waitFor({ timeout: 90_000 });

    await his('FeeLinesCharged', {
      lines: [
        testFeeLine(`${visitNo}-F2`, 5, BED, '10', '50.00'),
        testFeeLine(`${visitNo}-F3`, 5, AMOXICILLIN, '4', '12.50'),
      ],
    });
    await operator.getByTestId('visit-fee-total').filter({ hasText: '1550.00' }).waitFor({ timeout: 90_000 });
    await his('DischargeRequested', { ...DischargeRequestedV1.example });
    await platformClock('2024-05-08T11:00:00+08:00');
    await settle('0', '550.00');
    await confirmWhenAsked();
    await operator.getByTestId('visit-state').filter({ hasText: '已结算' }).waitFor({ timeout: 90_000 });
    await waitFor('both slips', async () => ((await slipRows.count()) === 2 ? true : undefined));

    const ledger = await hospital.sim.admin<{ settlements: Record<string, string>[] }>('GET', '/sim/ledger');
    const table: string[] = [];
    for (const href of await slipRows.evaluateAll((links) => links.map((a) => a.getAttribute('href')!))) {
      const setl_id = decodeURIComponent(href.split('/')[5]!);
      const booked = ledger.settlements.find((s) => s.setl_id === setl_id)!;
      const page = await operator.context().newPage();
      await page.goto(`${url}${href}`);
      const cell = async (table: string, name: string) =>
        (await page
          .locator(`[data-testid="${table}"] tr`, { hasText: name })
          .first()
          .locator('td')
          .textContent())!;
      const printed = {
        medfee_sumamt: await cell('slip-totals', '医疗费总额'),
        fund_pay_sumamt: await cell('slip-funds', '基金支付合计'),
        acct_pay: await cell('slip-personal', '个人账户支付'),
        psn_cash_pay: await cell('slip-personal', '个人现金支付'),
        hosp_part_amt: await cell('slip-personal', '医院负担'),
      };
      expect(printed).toEqual({
        medfee_sumamt: booked.medfee_sumamt,
        fund_pay_sumamt: booked.fund_pay_sumamt,
        acct_pay: booked.acct_pay,
        psn_cash_pay: booked.psn_cash_pay,
        hosp_part_amt: booked.hosp_part_amt,
      });
      // Who and what the stay was, as the operator may see the patient (masked, docs/threat-model.md).
      const midWay = booked.mid_setl_flag === '1';
      const visitLine = (name: string) => cell('slip-visit', name);
      expect({
        姓名: await visitLine('姓名'),
        证件号码: await visitLine('证件号码'),
        险种类型: await visitLine('险种类型'),
        科室: await visitLine('科室'),
        入院时间: await visitLine('入院时间'),
        诊断: await visitLine('诊断'),
        ...(!midWay && { 出院时间: await visitLine('出院时间') }),
      }).toEqual({
        姓名: '李*',
        证件号码: '420***********0881',
        险种类型: '职工基本医疗保险',
        科室: `${admission.adm_dept_name} ${admission.adm_bed}`,
        入院时间: admission.begntime,
        诊断: 'J18.900 肺炎',
        ...(!midWay && { 出院时间: DischargeRequestedV1.example.endtime }),
      });
      if (midWay) expect(await page.locator('h1').textContent()).toContain('中途结算');
      await screenshot(page, midWay ? 'settlement-slip-mid-way' : 'settlement-slip-final', DOC_SCREENSHOTS);
      table.push(
        `${booked.mid_setl_flag} ${setl_id} simulator medfee ${booked.medfee_sumamt} dedc ${booked.act_pay_dedc} fund ${booked.fund_pay_sumamt} acct ${booked.acct_pay} cash ${booked.psn_cash_pay} | slip ${Object.values(printed).join(' ')}`,
      );
      await page.close();
    }
    process.stdout.write(`mid-way + final of ${visitNo}:\n${table.join('\n')}\n`);
    const mine = ledger.settlements.filter((s) => table.some((line) => line.includes(s.setl_id)));
    expect(mine.map((s) => s.act_pay_dedc).sort()).toEqual(['0.00', '800.00']);
  }, 300_000);
});
