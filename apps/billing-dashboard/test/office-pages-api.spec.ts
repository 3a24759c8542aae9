import { randomUUID } from 'node:crypto';
import { Topics, type Envelope } from '@yb/contracts';
import { KafkaPublisher } from '@yb/messaging';
import { testKafka, uniqueName, waitFor } from '@yb/testing';
import { type Consumer } from 'kafkajs';
import { DashboardClient, type Json } from './support/dashboard-client';
import { OFFICE_COMMAND_TOPICS, OfficeResults } from './support/office-results';
import { startTestDashboard, type TestDashboard } from './support/test-dashboard';

// The reconciliation (对账) and catalogue (目录) routes in process over the real Kafka and PostgreSQL: results
// published as reconciliation and catalogue publish them, each route called as each role, each action's command
// read back from Kafka.

const PASSWORDS = { admin: randomUUID(), op: randomUUID(), viewer: randomUUID() };
const DAY = '2024-05-15';
const CERTNO = '420102198001011234';

describe('the office pages’ API: reconciliation and catalogue', () => {
  const run = String(Date.now()).slice(-6);
  const sent: Envelope[] = [];
  let dashboard: TestDashboard;
  let publisher: KafkaPublisher;
  let reader: Consumer;
  let results: OfficeResults;
  let admin: DashboardClient;
  let operator: DashboardClient;
  let viewer: DashboardClient;
  const codes = [`YP${run}1`, `FW${run}2`, `HC${run}3`] as const;

  beforeAll(async () => {
    dashboard = await startTestDashboard('dash_office', {
      DASHBOARD_BOOTSTRAP_USERS: `admin:${PASSWORDS.admin}:admin,op:${PASSWORDS.op}:operator,viewer:${PASSWORDS.viewer}:viewer`,
      DASHBOARD_WEB_DIR: '/nonexistent/web',
    });
    const kafka = testKafka();
    publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    reader = kafka.consumer({ groupId: uniqueName('dash-office'), maxWaitTimeInMs: 250 });
    await reader.connect();
    await reader.subscribe({
      topics: [...OFFICE_COMMAND_TOPICS, Topics.hisCatalogue].map((t) => `${dashboard.prefix}${t}`),
      fromBeginning: true,
    });
    await reader.run({
      eachMessage: async ({ message }) => void sent.push(JSON.parse(message.value!.toString())),
    });
    [admin, operator, viewer] = await Promise.all([
      DashboardClient.signIn(dashboard.url, 'admin', PASSWORDS.admin),
      DashboardClient.signIn(dashboard.url, 'op', PASSWORDS.op),
      DashboardClient.signIn(dashboard.url, 'viewer', PASSWORDS.viewer),
    ]);
    results = new OfficeResults(publisher, dashboard.prefix);
    await results.reconciledDay(DAY);
    await results.items(`his-list-${run}`, codes);
  }, 120_000);

  afterAll(async () => {
    await reader?.disconnect();
    await publisher?.disconnect();
    await dashboard?.stop();
  });

  const sentWith = (id: string) => waitFor(`message ${id} on Kafka`, () => sent.find((e) => e.id === id));

  describe('对账', () => {
    it("lists the day, and shows each group's totals and verdict and each difference with both sides' amounts", async () => {
      const days = await waitFor('the reconciled day', async () => {
        const page = await viewer.get('/api/reconciliation');
        if (page.items[0]?.completed_at) return page;
        throw new Error(JSON.stringify(page));
      });
      expect(days.items[0]).toMatchObject({
        stmt_date: DAY,
        groups: 2,
        balanced: 1,
        differences: 2,
        open_differences: 1,
        run: 1,
      });
      const day = await viewer.get(`/api/reconciliation/${DAY}`);
      expect(day.run).toMatchObject({ groups: 2, balanced: 1, open_differences: 1 });
      // Unbalanced first; sums to the fen, as decimal strings.
      expect(day.groups.map((g: Json) => [g.insutype, g.balanced, g.setl_cnt, g.medfee_sumamt])).toEqual([
        ['390', false, 3, '900.30'],
        ['310', true, 12, '48211.07'],
      ]);
      expect(day.groups[0].stmt_rslt_dscr).toBe('不平');
      // Open first.
      expect(day.differences.map((d: Json) => [d.kind, d.resolution, d.resolved_by])).toEqual([
        ['AMOUNTS_DIFFER', null, null],
        ['PLATFORM_ONLY', 'PLATFORM_RECORD_ADOPTED', 'reconciliation'],
      ]);
      expect(day.differences[0]).toMatchObject({
        ours_medfee_sumamt: '600.30',
        platform_medfee_sumamt: '600.29',
        suggested_action: 'CHECK_AMOUNTS',
        found_by: '5262',
      });
      // Found by 3202 (the event names no finder).
      expect(day.differences[1]).toMatchObject({
        ours_medfee_sumamt: null,
        platform_medfee_sumamt: '300.00',
        found_by: '3202',
      });
      expect((await viewer.request('GET', '/api/reconciliation/2024-05-16')).status).toBe(404);
      expect((await viewer.request('GET', '/api/reconciliation/2024-02-30')).status).toBe(400);
      expect((await viewer.request('GET', `/api/reconciliation?from=${DAY}&to=x`)).status).toBe(400);
      expect((await viewer.get(`/api/reconciliation?to=2024-05-14`)).items).toEqual([]);
    });

    it('runs a day on demand for an operator (once per request id); a viewer may not', async () => {
      expect((await viewer.request('POST', `/api/reconciliation/${DAY}/run`, {})).status).toBe(403);
      expect((await operator.request('POST', '/api/reconciliation/2024-13-01/run', {})).status).toBe(400);
      const request_id = randomUUID();
      const first = await operator.request('POST', `/api/reconciliation/${DAY}/run`, { request_id });
      const again = await operator.request('POST', `/api/reconciliation/${DAY}/run`, { request_id });
      expect([first.status, first.body.duplicate, again.status, again.body.duplicate]).toEqual([
        202,
        false,
        202,
        true,
      ]);
      const command = await sentWith(request_id);
      expect(command).toMatchObject({
        type: 'ReconcileDay',
        key: DAY,
        data: { stmt_date: DAY, requested_by: { username: 'op', role: 'operator' } },
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(sent.filter((e) => e.id === request_id)).toHaveLength(1);
      // Hubei's period checks: the checks asked go with the command; another check is refused.
      const period_request = randomUUID();
      const period = await operator.request('POST', `/api/reconciliation/${DAY}/run`, {
        request_id: period_request,
        checks: ['5267'],
      });
      expect(period.status).toBe(202);
      expect((await sentWith(period_request)).data).toMatchObject({ stmt_date: DAY, checks: ['5267'] });
      const unknown = await operator.request('POST', `/api/reconciliation/${DAY}/run`, { checks: ['3202'] });
      expect(unknown.status).toBe(400);
    });

    it("adopts the platform's amounts of an open AMOUNTS_DIFFER (who on Kafka); reverses only a HOSPITAL_ONLY; 403, 404, 409 and 400 otherwise", async () => {
      const open = `A${DAY.replace(/-/g, '')}02`;
      const adopted = `P${DAY.replace(/-/g, '')}01`;
      const route = (setl_id: string, action: string) =>
        `/api/reconciliation/${DAY}/differences/${setl_id}/${action}`;
      expect((await viewer.request('POST', route(open, 'adopt'), {})).status).toBe(403);
      expect((await operator.request('POST', route('NOPE', 'adopt'), {})).status).toBe(404);
      expect((await operator.request('POST', route(adopted, 'adopt'), {})).status).toBe(409);
      const wrongKind = await operator.request('POST', route(open, 'reverse'), { reason: '中心已撤销' });
      expect(wrongKind.status).toBe(409);
      expect(JSON.stringify(wrongKind.body)).toContain('HOSPITAL_ONLY');
      expect((await operator.request('POST', route(open, 'reverse'), { reason: ' ' })).status).toBe(400);
      const accepted = await operator.request('POST', route(open, 'adopt'), {});
      expect(accepted.status).toBe(202);
      expect(await sentWith(accepted.body.message_id)).toMatchObject({
        type: 'AdoptPlatformAmounts',
        data: { stmt_date: DAY, setl_id: open, requested_by: { username: 'op', role: 'operator' } },
      });
    });

    it('explains an open difference (who and why on Kafka, then on the page, masked for viewers); 404 and 409 otherwise', async () => {
      const open = `A${DAY.replace(/-/g, '')}02`;
      const adopted = `P${DAY.replace(/-/g, '')}01`;
      const explanation = `患者证件${CERTNO}在中心退费，医院已核实`;
      expect(
        (
          await operator.request('POST', `/api/reconciliation/${DAY}/differences/${adopted}/explain`, {
            explanation,
          })
        ).status,
      ).toBe(409);
      expect(
        (
          await operator.request('POST', `/api/reconciliation/${DAY}/differences/NOPE/explain`, {
            explanation,
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await operator.request('POST', `/api/reconciliation/${DAY}/differences/${open}/explain`, {
            explanation: ' ',
          })
        ).status,
      ).toBe(400);
      const accepted = await operator.request(
        'POST',
        `/api/reconciliation/${DAY}/differences/${open}/explain`,
        {
          explanation,
        },
      );
      expect(accepted.status).toBe(202);
      expect(await sentWith(accepted.body.message_id)).toMatchObject({
        type: 'ExplainReconciliationDifference',
        data: { stmt_date: DAY, setl_id: open, explanation, requested_by: { username: 'op' } },
      });
      // reconciliation answers as it does.
      await results.send(Topics.reconciliation, 'ReconciliationDifferenceResolved', {
        stmt_date: DAY,
        setl_id: open,
        resolution: 'EXPLAINED',
        resolved_by: 'op',
        explanation,
      });
      const shown = await waitFor('the explanation', async () => {
        const d = (await admin.get(`/api/reconciliation/${DAY}`)).differences.find(
          (x: Json) => x.setl_id === open,
        );
        if (d.resolution === 'EXPLAINED') return d;
        throw new Error(JSON.stringify(d));
      });
      expect(shown.explanation).toBe(explanation);
      const forViewer = JSON.stringify(await viewer.get(`/api/reconciliation/${DAY}`));
      expect(forViewer).toContain('在中心退费');
      expect(forViewer).not.toContain(CERTNO);
      expect((await viewer.get('/api/reconciliation')).items[0].open_differences).toBe(0);
    });

    it("shows the month's clearing applications as their latest message left them", async () => {
      await results.clearing();
      const applications = await waitFor('both applications', async () => {
        const list = await viewer.get('/api/clearing?setlym=202405');
        if (list.length === 2 && list.some((a: Json) => a.status === 'APPLIED')) return list;
        throw new Error(JSON.stringify(list));
      });
      expect(applications.map((a: Json) => [a.scope, a.status, a.last_event, a.refused_by])).toEqual([
        ['CROSS_AREA', 'NOT_APPLIED', 'ClearingApplicationRefused', 'PLATFORM'],
        ['LOCAL', 'APPLIED', 'ClearingApplied', null],
      ]);
      expect(applications[1]).toMatchObject({
        clr_appy_evt_id: '420100202406010000000001',
        declared: { fund_appy_sum: '35120.44' },
        acted_by: 'zhangli',
      });
      expect(await viewer.get('/api/clearing?setlym=202406')).toEqual([]);
      expect((await viewer.request('GET', '/api/clearing?setlym=202413')).status).toBe(400);
    });
  });

  describe('目录', () => {
    it('lists the hospital’s items unmapped first, with the mapping the platform holds; filters by status and prefix', async () => {
      const page = await waitFor('the items and the mapping', async () => {
        const p = await viewer.get('/api/catalogue/items?page_size=200');
        if (p.items.some((i: Json) => i.mapping_status === 'mapped') && p.total >= 3) return p;
        throw new Error(JSON.stringify(p));
      });
      const ours = page.items.filter((i: Json) => codes.includes(i.fixmedins_hilist_id));
      expect(ours.map((i: Json) => [i.fixmedins_hilist_id, i.mapping_status])).toEqual([
        [codes[1], 'unmapped'],
        [codes[2], 'unmapped'],
        [codes[0], 'mapped'],
      ]);
      expect(ours[2]).toMatchObject({
        med_list_codg: 'XJ01CAA040A001010101445',
        pric_uplmt_amt: '30.00',
        mapped_by: 'zhangli',
        pric: '28.5',
      });
      const unmapped = await viewer.get('/api/catalogue/items?status=unmapped&page_size=200');
      expect(unmapped.items.every((i: Json) => i.mapping_status === 'unmapped')).toBe(true);
      expect((await viewer.get(`/api/catalogue/items?q=${codes[1]}`)).items).toHaveLength(1);
      expect(
        (await viewer.get(`/api/catalogue/items?q=${encodeURIComponent('床位费')}`)).total,
      ).toBeGreaterThan(0);
      // A LIKE wildcard is a character, not a pattern.
      expect((await viewer.get('/api/catalogue/items?q=%25')).total).toBe(0);
      expect((await viewer.request('GET', '/api/catalogue/items?status=lost')).status).toBe(400);
    });

    it('maps an item for an operator (ConfirmItemMapping on Kafka, shown as asked); refuses unknown items and bad dates', async () => {
      const body = { med_list_codg: 'XJ01CAA040A001010101445', begndate: '2024-06-01' };
      expect((await viewer.request('POST', `/api/catalogue/items/${codes[1]}/map`, body)).status).toBe(403);
      expect((await operator.request('POST', '/api/catalogue/items/NOPE/map', body)).status).toBe(404);
      expect(
        (
          await operator.request('POST', `/api/catalogue/items/${codes[1]}/map`, {
            ...body,
            enddate: '2024-01-01',
          })
        ).status,
      ).toBe(400);
      expect((await operator.request('POST', `/api/catalogue/items/${codes[1]}/withdraw`, {})).status).toBe(
        409,
      );
      const accepted = await operator.request('POST', `/api/catalogue/items/${codes[1]}/map`, body);
      expect(accepted.status).toBe(202);
      expect(await sentWith(accepted.body.message_id)).toMatchObject({
        type: 'ConfirmItemMapping',
        key: codes[1],
        data: { fixmedins_hilist_id: codes[1], ...body, requested_by: { username: 'op', role: 'operator' } },
      });
      await waitFor('the mapping asked for', async () => {
        const item = (await viewer.get(`/api/catalogue/items?q=${codes[1]}`)).items[0];
        if (item.mapping_requested_at) return item;
        throw new Error(JSON.stringify(item));
      });
      const withdrawal = await operator.request('POST', `/api/catalogue/items/${codes[0]}/withdraw`, {});
      expect(withdrawal.status).toBe(202);
      expect(await sentWith(withdrawal.body.message_id)).toMatchObject({ type: 'WithdrawItemMapping' });
    });

    it('shows fee lines held for an unmapped item per visit (reasons masked for viewers), that item first', async () => {
      const ipt_no = `ZH${run}01`;
      await results.heldLines(ipt_no, codes[2], `证件${CERTNO}`);
      const held = await waitFor('the held lines', async () => {
        const page = await viewer.get('/api/catalogue/held-lines');
        const visit = page.items.find((v: Json) => v.ipt_no === ipt_no);
        if (visit) return visit;
        throw new Error(JSON.stringify(page));
      });
      expect(held).toMatchObject({ lines: 2, items: [codes[2]] });
      expect(JSON.stringify(held)).not.toContain(CERTNO);
      expect(JSON.stringify((await admin.get('/api/catalogue/held-lines')).items)).toContain(CERTNO);
      const first = (await viewer.get('/api/catalogue/items?status=unmapped&page_size=200')).items[0];
      expect([first.fixmedins_hilist_id, first.held_lines]).toEqual([codes[2], 2]);
      await results.releaseLine(ipt_no, codes[2]);
      await waitFor('one line released', async () => {
        const visit = (await viewer.get('/api/catalogue/held-lines')).items.find(
          (v: Json) => v.ipt_no === ipt_no,
        );
        if (visit?.lines === 1) return visit;
        throw new Error(JSON.stringify(visit));
      });
      const released = (await viewer.get('/api/catalogue/held-lines?status=released')).items;
      expect(released.find((v: Json) => v.ipt_no === ipt_no)?.held[0]).toMatchObject({
        feedetl_sn: 'FY1',
        med_list_codg: 'C14010101001',
      });
      expect((await viewer.request('GET', '/api/catalogue/held-lines?status=x')).status).toBe(400);
    });

    it('shows a line held for its price with the finding; an operator voids it (upload anyway only fits a priced line)', async () => {
      const ipt_no = `ZH${run}02`;
      await results.heldForPrice(ipt_no, codes[0]);
      const held = await waitFor('the held lines', async () => {
        const visit = (await viewer.get('/api/catalogue/held-lines')).items.find(
          (v: Json) => v.ipt_no === ipt_no,
        );
        if (visit?.lines === 2) return visit;
        throw new Error(JSON.stringify(visit));
      });
      expect(held.held[0]).toMatchObject({
        feedetl_sn: 'FY3',
        finding: { kind: 'OVER_PRICE_LIMIT', pric: '45', pric_uplmt_amt: '40.00' },
        decision: null,
      });
      expect(held.held[1].finding).toBeNull();
      const decide = (who: typeof operator, body: Json) =>
        who.request('POST', `/api/catalogue/held-lines/${ipt_no}/decide`, body);
      expect((await decide(viewer, { feedetl_sns: ['FY3'], decision: 'VOID', comment: 'x' })).status).toBe(
        403,
      );
      const unpriced = await decide(operator, {
        feedetl_sns: ['FY4'],
        decision: 'UPLOAD_ANYWAY',
        comment: 'x',
      });
      expect(unpriced.status).toBe(409);
      expect((await decide(operator, { feedetl_sns: ['FY9'], decision: 'VOID', comment: 'x' })).status).toBe(
        409,
      );
      const voiding = await decide(operator, { feedetl_sns: ['FY3'], decision: 'VOID', comment: '重复计费' });
      expect(voiding.status).toBe(202);
      expect(await sentWith(voiding.body.message_id)).toMatchObject({
        type: 'DecideHeldFeeLines',
        key: ipt_no,
        data: {
          ipt_no,
          feedetl_sns: ['FY3'],
          decision: 'VOID',
          comment: '重复计费',
          requested_by: { role: 'operator' },
        },
      });
      await results.decided(ipt_no, ['FY3'], 'VOID');
      await waitFor('FY3 no longer held', async () => {
        const visit = (await viewer.get('/api/catalogue/held-lines')).items.find(
          (v: Json) => v.ipt_no === ipt_no,
        );
        if (visit?.lines === 1) return visit;
        throw new Error(JSON.stringify(visit));
      });
      const ended = (await viewer.get('/api/catalogue/held-lines?status=released')).items.find(
        (v: Json) => v.ipt_no === ipt_no,
      );
      expect(ended.held[0]).toMatchObject({ feedetl_sn: 'FY3', decision: 'VOID', decided_by: 'zhangli' });
    });

    it('imports a CSV whole or not at all: wrong rows named by line and field, nothing sent; a good file of 1,001 items in two messages', async () => {
      const header = 'fixmedins_hilist_id,fixmedins_hilist_name,list_type,spec,pric';
      const bad = [
        header,
        `IMP${run}A,"葡萄糖注射液, 5%",101,250ml,3.5`,
        `IMP${run}B,,101,,1`,
        `IMP${run}C,生理盐水,999,,1`,
        `IMP${run}A,重复,101,,1`,
        `IMP${run}D,价格,101,,abc`,
      ].join('\r\n');
      const refused = await operator.request('POST', '/api/catalogue/items/import', { csv: bad });
      expect(refused.status).toBe(400);
      // Each named by line and column, why in Chinese for the office, and as a code the page words in English.
      expect(refused.body.message).toBe('4 处错误，未导入任何项目');
      expect(refused.body.errors.map((e: Json) => [e.line, e.column, e.field, e.code])).toEqual([
        [3, 2, 'fixmedins_hilist_name', 'required'],
        [4, 3, 'list_type', 'not_in_list'],
        [5, 1, 'fixmedins_hilist_id', 'duplicate'],
        [6, 5, 'pric', 'not_decimal'],
      ]);
      expect(refused.body.errors[0].message).toBe('第 3 行 第 2 列（fixmedins_hilist_name）：必填，不能为空');
      expect(
        (await operator.request('POST', '/api/catalogue/items/import', { csv: 'code,name\r\nx,y' })).body
          .errors,
      ).toEqual([
        expect.objectContaining({ line: 1, field: 'header', code: 'header_unknown' }),
        expect.objectContaining({ line: 1, field: 'header', code: 'header_missing' }),
      ]);
      expect((await viewer.request('POST', '/api/catalogue/items/import', { csv: bad })).status).toBe(403);

      const rows = Array.from(
        { length: 1001 },
        (_, i) => `IMP${run}${String(i).padStart(4, '0')},"药品 ""${i}""",101,,${i + 1}.5`,
      );
      const csv = `\uFEFF${[header, ...rows].join('\n')}\n`;
      expect(csv.length).toBeGreaterThan((64 * 1024) / 2);
      const request_id = randomUUID();
      const imported = await operator.request('POST', '/api/catalogue/items/import', { csv, request_id });
      expect(imported.status).toBe(202);
      expect(imported.body).toMatchObject({ items: 1001, messages: 2, duplicate: false });
      const published = await waitFor('both messages of the import', () => {
        const mine = sent.filter(
          (e) => e.type === 'HospitalItemsPublished' && e.key.startsWith(`${imported.body.list_id}-`),
        );
        return mine.length === 2 ? mine : undefined;
      });
      expect(published.map((e) => (e.data as Json).items.length).sort()).toEqual([1, 1000]);
      // The wrong file sent nothing.
      expect(sent.some((e) => JSON.stringify(e).includes(`IMP${run}B`))).toBe(false);
      const listed = await waitFor('the imported items', async () => {
        const p = await viewer.get(`/api/catalogue/items?q=IMP${run}&page_size=1`);
        if (p.total === 1001) return p;
        throw new Error(`${p.total} listed`);
      });
      expect(listed.items[0]).toMatchObject({
        fixmedins_hilist_name: '药品 "0"',
        mapping_status: 'unmapped',
      });
    });

    it('exports every item with its mapping as CSV that opens in a spreadsheet safely', async () => {
      await results.send(Topics.hisCatalogue, 'HospitalItemsPublished', {
        list_id: `formula-${run}`,
        items: [
          { fixmedins_hilist_id: `FX${run}`, fixmedins_hilist_name: '=HYPERLINK("x")', list_type: '201' },
        ],
      });
      const response = await waitFor('the export with the new item', async () => {
        const r = await viewer.exchange('GET', '/api/catalogue/items/export.csv');
        if (String(r.body).includes(`FX${run}`)) return r;
        throw new Error('not yet');
      });
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = String(response.body).split('\r\n');
      // (fetch's text() drops the BOM the file starts with.)
      expect(lines[0]).toBe(
        'fixmedins_hilist_id,fixmedins_hilist_name,list_type,spec,prdr_name,dosform,prcunt,aprvno,pric,' +
          'mapping_status,med_list_codg,hilist_name,begndate,enddate,pric_uplmt_amt,selfpay_prop,mapped_by',
      );
      expect(lines).toContain(`FX${run},"'=HYPERLINK(""x"")",201,,,,,,,unmapped,,,,,,,`);
      expect(lines.find((l) => l.startsWith(`${codes[0]},`))).toContain(',mapped,XJ01CAA040A001010101445,');
      // An exported file imports again as it is (its mapping columns left out).
      const again = await operator.request('POST', '/api/catalogue/items/import', {
        csv: [lines[0], lines.find((l) => l.startsWith(`${codes[0]},`))].join('\r\n'),
      });
      expect(again.status).toBe(202);
    });
  });
});
