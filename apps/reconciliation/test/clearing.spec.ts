import SwaggerParser from '@apidevtools/swagger-parser';
import { Topics } from '@yb/contracts';
import { type HospitalServices, waitFor } from '@yb/testing';
import Ajv from 'ajv';
import Decimal from 'decimal.js';
import { type ClearingApplicationAnswer } from '../src/inbound/clearing.controller';
import { type ClearingPrintout } from '../src/platform/clearing-applicant';
import { CLEARING_OPENAPI } from '../src/inbound/clearing-openapi';
import {
  CROSS_AREA_PATIENT,
  type HospitalCashier,
  type PlatformSettlement,
} from './support/hospital-cashier';
import {
  operator,
  type ReconciliationHarness,
  startReconciliation,
  WAIT,
} from './support/reconciliation-harness';

// The month's clearing application, as the billing office makes it over HTTP, with reconciliation running as
// production runs it (a child process on the real Kafka and PostgreSQL) against the platform sandbox, which
// answers 3202A / 3204A from its own books. The test is the cashier and the saga (as in reconciliation.spec).

describe('clearing: a month applied for after its days are reconciled', () => {
  const run = String(Date.now()).slice(-6);
  const settled: PlatformSettlement[] = [];
  let hospital: HospitalServices;
  let cashier: HospitalCashier;
  let harness: ReconciliationHarness;
  let url = '';
  let stmt_date = '';
  let subject: { setlym: string; clr_type: string; setl_optins: string };

  const ofType: ReconciliationHarness['ofType'] = (type) => harness.ofType(type);
  const reconcile = (runNo: number) => harness.reconcile(stmt_date, runNo);
  async function post(
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: ClearingApplicationAnswer }> {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as ClearingApplicationAnswer;
    if (response.status === 200) answers.push(answer);
    return { status: response.status, body: answer };
  }
  const apply = () => post('/clearing/applications', { ...subject, requested_by: operator });
  const withdraw = () => post('/clearing/applications/withdrawal', { ...subject, requested_by: operator });
  const answers: unknown[] = [];
  let printout: ClearingPrintout | undefined;
  const sum = (values: string[]) => values.reduce((t, v) => t.plus(v), new Decimal(0)).toFixed(2);

  beforeAll(async () => {
    ({ hospital, cashier, harness } = await startReconciliation('clearing', [
      Topics.reconciliation,
      Topics.clearing,
    ]));
    url = hospital.service('reconciliation').ready[1]!;
  }, 180_000);

  afterAll(async () => {
    await harness?.stop();
    await cashier?.stop();
    await hospital?.stop();
  }, 60_000);

  it('refuses a month whose day is not reconciled, without asking the platform', async () => {
    for (const [name, cnt] of [
      ['A', 2],
      ['B', 3],
    ] as const) {
      const { settlement } = await cashier.settle(`ZQ${name}${run}`, cnt);
      settled.push(settlement!);
      await harness.publishSettled(settlement!);
    }
    stmt_date = settled[0].settled.setl_time.slice(0, 10);
    subject = {
      setlym: stmt_date.slice(0, 7).replace('-', ''),
      clr_type: settled[0].settled.clr_type!,
      setl_optins: settled[0].settled.clr_optins!,
    };
    await harness.ledgerHolds(2);

    const listed = await (await fetch(`${url}/clearing/applications?setlym=${subject.setlym}`)).json();
    expect(listed).toEqual([{ ...subject, scope: 'LOCAL', status: 'NOT_APPLIED', pending: null }]);
    const refused = await apply();
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ status: 'NOT_APPLIED', refusal: `${stmt_date} 未对账平衡` });
    const message = await waitFor('the refusal', () => ofType('ClearingApplicationRefused')[0], WAIT);
    expect(message.key).toBe(subject.setlym);
    expect(message.data).toMatchObject({
      ...subject,
      scope: 'LOCAL',
      refused_by: 'SERVICE',
      unreconciled_days: [stmt_date],
      open_differences: 0,
      requested_by: operator,
    });
  }, 240_000);

  it('applies for a reconciled month with our totals to the fen (3202A), once, and withdraws it (3204A)', async () => {
    expect((await reconcile(1)).data).toMatchObject({ balanced: 1, open_differences: 0 });
    const applied = await apply();
    expect(applied.body).toMatchObject({
      status: 'APPLIED',
      pending: null,
      clr_appy_evt_id: expect.any(String),
    });
    const declared = {
      psntime: 2,
      medfee_sumamt: sum(settled.map((s) => s.settled.medfee_sumamt)),
      fund_appy_sum: sum(settled.map((s) => s.settled.fund_pay_sumamt)),
      acct_pay: sum(settled.map((s) => s.settled.acct_pay)),
      cash_payamt: sum(settled.map((s) => s.settled.psn_cash_pay)),
    };
    expect(applied.body.declared).toMatchObject(declared);
    const message = await waitFor('the application', () => ofType('ClearingApplied')[0], WAIT);
    expect(message.data).toMatchObject({
      ...subject,
      status: 'APPLIED',
      infno: '3202A',
      clr_appy_evt_id: applied.body.clr_appy_evt_id,
      declared,
      applied_by: operator,
    });

    const again = await apply();
    expect(again.status).toBe(409);

    const withdrawn = await withdraw();
    expect(withdrawn.body).toMatchObject({ status: 'WITHDRAWN', pending: null });
    expect(
      (await waitFor('the withdrawal', () => ofType('ClearingApplicationWithdrawn')[0], WAIT)).data,
    ).toMatchObject({
      infno: '3204A',
      clr_appy_evt_id: applied.body.clr_appy_evt_id,
      withdrawn_by: operator,
    });
    const nothing = await withdraw();
    expect(nothing.body).toMatchObject({ status: 'WITHDRAWN', refusal: '没有可撤销的清算申请' });
  }, 240_000);

  it('refuses a month with an open difference; once explained, the platform refuses totals that are not its own', async () => {
    const { settlement } = await cashier.settle(`ZQC${run}`, 1);
    const fundOff = new Decimal(settlement!.settled.fund_pay_sumamt).minus('0.01').toFixed(2);
    await harness.publishSettled(settlement!, { fund_pay_sumamt: fundOff });
    await harness.ledgerHolds(3);
    expect((await reconcile(2)).data).toMatchObject({ balanced: 0, open_differences: 1 });

    const open = await apply();
    expect(open.body).toMatchObject({ status: 'WITHDRAWN', refusal: '尚有 1 笔差账未处理' });

    await harness.command('ExplainReconciliationDifference', stmt_date, {
      setl_id: settlement!.setl_id,
      explanation: '测试：金额差一分',
      requested_by: operator,
    });
    await waitFor(
      'the explanation',
      () => ofType('ReconciliationDifferenceResolved').find((m) => m.data.setl_id === settlement!.setl_id),
      WAIT,
    );
    const byPlatform = await apply();
    expect(byPlatform.body.status).toBe('WITHDRAWN');
    expect(byPlatform.body.refusal).toContain('基金申报总额');
    const refusals = await waitFor(
      "the platform's refusal",
      () => ofType('ClearingApplicationRefused').find((m) => m.data.refused_by === 'PLATFORM'),
      WAIT,
    );
    expect(refusals.data.reason).toMatch(/^3202A refused/);
  }, 240_000);

  it("applies for a 异地 agency's month with 1608 and withdraws it with 1618", async () => {
    const { settlement } = await cashier.settle(`ZQD${run}`, 2, CROSS_AREA_PATIENT);
    expect(settlement!.settled.clr_optins).toBe(CROSS_AREA_PATIENT.insuplc_admdvs);
    await harness.publishSettled(settlement!);
    await harness.ledgerHolds(4);
    await reconcile(3);
    const crossArea = { ...subject, setl_optins: CROSS_AREA_PATIENT.insuplc_admdvs };
    const listed = (await (
      await fetch(`${url}/clearing/applications?setlym=${subject.setlym}`)
    ).json()) as ClearingApplicationAnswer[];
    expect(listed.map((a) => [a.setl_optins, a.scope])).toEqual([
      [subject.setl_optins, 'LOCAL'],
      [crossArea.setl_optins, 'CROSS_AREA'],
    ]);
    const applied = await post('/clearing/applications', { ...crossArea, requested_by: operator });
    expect(applied.body).toMatchObject({
      scope: 'CROSS_AREA',
      status: 'APPLIED',
      declared: { psntime: 1, medfee_sumamt: settlement!.settled.medfee_sumamt },
    });
    const withdrawn = await post('/clearing/applications/withdrawal', {
      ...crossArea,
      requested_by: operator,
    });
    expect(withdrawn.body).toMatchObject({ scope: 'CROSS_AREA', status: 'WITHDRAWN' });
    await waitFor('the 异地 withdrawal', () => ofType('ClearingApplicationWithdrawn')[1], WAIT);
    expect(ofType('ClearingApplied').map((m) => [m.data.scope, m.data.infno])).toEqual([
      ['LOCAL', '3202A'],
      ['CROSS_AREA', '1608'],
    ]);
    expect(ofType('ClearingApplicationWithdrawn').map((m) => m.data.infno)).toEqual(['3204A', '1618']);
  }, 240_000);

  it('records an application whose answer was lost as applied (3205A), and a withdrawal whose answer was lost as withdrawn', async () => {
    const crossArea = { ...subject, setl_optins: CROSS_AREA_PATIENT.insuplc_admdvs };
    // The platform applies 1608 and its answer never arrives (6 s > NHSA_TIMEOUT_MS): the worker sends it again.
    await hospital.sim.admin('POST', '/sim/faults', {
      infno: '1608',
      mode: 'timeout-after-apply',
      times: 1,
      latencyMs: 6_000,
    });
    await post('/clearing/applications', { ...crossArea, requested_by: operator });
    const message = await waitFor(
      'the application recovered',
      () => ofType('ClearingApplied').find((m) => m.data.recovered_by !== undefined),
      WAIT,
    );
    expect(message.data).toMatchObject({
      ...crossArea,
      scope: 'CROSS_AREA',
      status: 'APPLIED',
      infno: '1608',
      applied_by: operator,
      recovered_by: {
        infno: '3205A',
        clr_stas: '10',
        refusal: expect.stringMatching(/^1608 refused.*已存在清算申请/),
      },
    });
    // Not an error: no refusal recorded, and the id is the platform's (its withdrawal takes it).
    expect(
      ofType('ClearingApplicationRefused').filter((m) => m.data.setl_optins === crossArea.setl_optins),
    ).toEqual([]);
    expect(message.data.recovered_by!.refusal).toContain(message.data.clr_appy_evt_id);
    // Its printout (3205A): our application beside the platform's record of it, the same totals.
    const query = new URLSearchParams(crossArea).toString();
    const printed = await fetch(`${url}/clearing/applications/printout?${query}`);
    expect(printed.status).toBe(200);
    printout = (await printed.json()) as ClearingPrintout;
    expect(printout).toMatchObject({
      ...crossArea,
      scope: 'CROSS_AREA',
      clr_appy_evt_id: message.data.clr_appy_evt_id,
      declared: message.data.declared,
      applied_by: operator.username,
      platform: { clr_appy_evt_id: message.data.clr_appy_evt_id, clr_stas: '10' },
    });
    for (const field of ['medfee_sumamt', 'fund_appy_sum', 'cash_payamt', 'acct_pay'] as const)
      expect(new Decimal(printout.platform[field]!).toFixed(2)).toBe(printout.declared[field]);
    // Its withdrawal (1618) is made and its answer lost: sent again, it is refused as already withdrawn; 3205A
    // no longer lists it, so it is recorded as withdrawn (confirmed), not as refused.
    await hospital.sim.admin('POST', '/sim/faults', {
      infno: '1618',
      mode: 'timeout-after-apply',
      times: 1,
      latencyMs: 6_000,
    });
    await post('/clearing/applications/withdrawal', { ...crossArea, requested_by: operator });
    const withdrawal = await waitFor(
      'the withdrawal confirmed',
      () => ofType('ClearingApplicationWithdrawn').find((m) => m.data.confirmed_by !== undefined),
      WAIT,
    );
    expect(withdrawal.data).toMatchObject({
      ...crossArea,
      status: 'WITHDRAWN',
      infno: '1618',
      clr_appy_evt_id: message.data.clr_appy_evt_id,
      withdrawn_by: operator,
      confirmed_by: { infno: '3205A', refusal: expect.stringMatching(/^1618 refused.*已撤销/) },
    });
    expect(
      ofType('ClearingWithdrawalRefused').filter((m) => m.data.setl_optins === crossArea.setl_optins),
    ).toEqual([]);
    const months = (await (
      await fetch(`${url}/clearing/applications?setlym=${subject.setlym}`)
    ).json()) as ClearingApplicationAnswer[];
    expect(months.find((a) => a.setl_optins === crossArea.setl_optins)).toMatchObject({
      status: 'WITHDRAWN',
      pending: null,
    });
    // A month never applied for has no form.
    const none = await fetch(
      `${url}/clearing/applications/printout?${query.replace(subject.setlym, '202001')}`,
    );
    expect(none.status).toBe(409);
    expect(((await none.json()) as { message: string }).message).toBe('该月尚未申请清算，没有清算申请单');
  }, 240_000);

  it('serves a valid OpenAPI document, and every answer given above fits it', async () => {
    const served = (await (await fetch(`${url}/clearing/openapi.json`)).json()) as typeof CLEARING_OPENAPI;
    expect(served).toEqual(JSON.parse(JSON.stringify(CLEARING_OPENAPI)));
    await expect(SwaggerParser.validate(structuredClone(served) as never)).resolves.toBeDefined();
    const listed = (await (
      await fetch(`${url}/clearing/applications?setlym=${subject.setlym}`)
    ).json()) as ClearingApplicationAnswer[];
    const fits = new Ajv({ nullable: true, allErrors: true }).compile(
      served.components.schemas.ClearingApplication,
    );
    expect(answers.length).toBeGreaterThanOrEqual(6);
    for (const answer of [...answers, ...listed])
      expect([answer, fits(answer) || fits.errors]).toEqual([answer, true]);
    // A seeded misfit is caught: the check can fail.
    expect(fits({ ...listed[0], status: 'CLEARED' })).toBe(false);
    const printoutFits = new Ajv({ nullable: true, allErrors: true }).compile(
      served.components.schemas.ClearingPrintout,
    );
    expect([printout, printoutFits(printout) || printoutFits.errors]).toEqual([printout, true]);
    expect(printoutFits({ ...printout, platform: {} })).toBe(false);
    const bad = await post('/clearing/applications', { ...subject, setlym: '2024-13' });
    expect(bad.status).toBe(400);
    expect((bad.body as unknown as { message: string }).message).toContain('setlym');
  });
});
