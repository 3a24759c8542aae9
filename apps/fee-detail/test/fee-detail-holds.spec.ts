import { waitFor } from '@yb/testing';
import { type ItemMapping } from '../src/catalogue/item-mappings';
import { FeeDetailHarness } from './support/fee-detail-harness';
import { AMOXICILLIN, BED, CEFTRIAXONE, line, PERSONS, type SimVisit } from './support/test-fees';

// Lines whose hospital item has no mapping yet, over the real Kafka, PostgreSQL and the simulator: held with
// the reason (not refused, not uploaded), the saga's totals question answered "not in agreement" naming them,
// then released and uploaded as soon as the catalogue publishes the mapping. A line priced above its limit is
// held with the finding until a person decides (upload anyway, or void). The held-line sweep is set to
// 10 minutes, so the release within the test's wait can only come from the mapping's arrival.

const mapping = (
  fixmedins_hilist_id: string,
  med_list_codg: string,
  pric_uplmt_amt: string,
  selfpay_prop?: string,
): ItemMapping => ({
  fixmedins_hilist_id,
  status: 'mapped',
  med_list_codg,
  list_type: '101',
  begndate: '2024-01-01',
  pric_uplmt_amt,
  ...(selfpay_prop !== undefined && { selfpay_prop }),
  mapped_by: 'zhangli',
});

/** A line the HIS sends with its own item code only. */
function hospitalLine(feedetl_sn: string, medins_list_codg: string, cnt: string, pric: string) {
  const { med_list_codg: _national, ...charged } = line(feedetl_sn, 1, 'unused', cnt, pric);
  return { ...charged, medins_list_codg };
}

describe('fee-detail: lines held until their item is mapped (Kafka + PostgreSQL + platform simulator)', () => {
  const h = new FeeDetailHarness();
  beforeAll(
    () => h.start('fee_detail_holds', { batchSize: 50, timeoutMs: 5_000, sweepMs: 600_000 }),
    120_000,
  );
  afterAll(() => h.stop(), 60_000);

  it("holds an unmapped line and a price above the limit, uploads the held line once mapped, and carries out a person's decisions", async () => {
    const ipt_no = 'ZY-HOLD-1';
    await h.publishMapping(mapping('YP-HOLD-CEF', CEFTRIAXONE, '40.00'));
    const { mdtrt_id } = await h.admit(ipt_no, PERSONS.A);
    const simLines = async () =>
      (await h.sim.admin<SimVisit>('GET', `/sim/ledger/visits/${mdtrt_id}`)).feeLines
        .filter((l) => l.status === 'uploaded')
        .map((l) => l.feedetl_sn)
        .sort();

    // H1 carries a national code; H2 and H3 only the hospital's codes, not mapped; H4 a mapped item above its limit.
    await h.publish('FeeLinesCharged', ipt_no, {
      ipt_no,
      lines: [
        line('H1', 1, BED, '1', '50'),
        hospitalLine('H2', 'YP-HOLD-AMOX', '2', '18.3'),
        hospitalLine('H3', 'YP-HOLD-LIMIT', '1', '45'),
        hospitalLine('H4', 'YP-HOLD-CEF', '1', '45'),
      ],
    });

    const overLimit = (feedetl_sn: string, medins_list_codg: string) => ({
      feedetl_sn,
      medins_list_codg,
      reason: `单价45超过医保限价40.00（医保目录编码[${CEFTRIAXONE}]）：明细暂挂，待人工决定仍上传或作废`,
      finding: { kind: 'OVER_PRICE_LIMIT', med_list_codg: CEFTRIAXONE, pric: '45', pric_uplmt_amt: '40.00' },
    });
    // The line priced above its limit waits for a person, with the limit and the price: not refused, not sent.
    const held = await waitFor('the held lines', () =>
      h.resultsOf('FeeLinesHeld', ipt_no).find((m) => m.data.lines[0].feedetl_sn === 'H2'),
    );
    expect(held.data).toEqual({
      ipt_no,
      // AdmissionRegistered comes on another topic than the charges: fee-detail may hold them before it knows it.
      ...(held.data.mdtrt_id !== undefined && { mdtrt_id }),
      lines: [
        {
          feedetl_sn: 'H2',
          medins_list_codg: 'YP-HOLD-AMOX',
          reason: '院内项目[YP-HOLD-AMOX]尚无已确认的医保目录对照：明细暂挂，在目录对照中确认后自动上传',
        },
        {
          feedetl_sn: 'H3',
          medins_list_codg: 'YP-HOLD-LIMIT',
          reason: '院内项目[YP-HOLD-LIMIT]尚无已确认的医保目录对照：明细暂挂，在目录对照中确认后自动上传',
        },
        overLimit('H4', 'YP-HOLD-CEF'),
      ],
      needs_person: true,
    });
    expect(h.resultsOf('FeeLinesRejected', ipt_no)).toEqual([]);
    await waitFor('H1 uploaded', () => h.resultsOf('FeeLinesUploaded', ipt_no)[0]);
    expect(await simLines()).toEqual(['H1']);

    // The saga asks for the totals while lines are held: not in agreement, the held lines named, nothing revoked.
    await h.publish('ReconcileFeeTotals', ipt_no, { ipt_no, his_sumamt: '131.60' });
    const refused = await waitFor('the totals answer', () => h.resultsOf('FeeTotalsReconciled', ipt_no)[0]);
    expect(refused.data).toMatchObject({ agreed: false, resynchronised: false, platform_sumamt: '50.00' });
    expect(refused.data.reason).toMatch(
      /^2条明细暂挂未上传\(院内项目尚无医保目录对照\)：H2\[YP-HOLD-AMOX\]、H3\[YP-HOLD-LIMIT\]；在目录对照中确认后自动上传；1条明细单价超过医保限价，暂挂待人工决定\(仍上传或作废\)：H4\[YP-HOLD-CEF\]，之后再结算/,
    );
    expect(h.resultsOf('FeeLinesRevoked', ipt_no)).toEqual([]);

    // The catalogue publishes the mappings: H2 goes up at once; H3's mapping puts its price above the limit.
    const mappedAt = Date.now();
    await h.publishMapping(mapping('YP-HOLD-AMOX', AMOXICILLIN, '30.00', '0.1'));
    await h.publishMapping(mapping('YP-HOLD-LIMIT', CEFTRIAXONE, '40.00'));
    const released = await waitFor('the released line', () => h.resultsOf('FeeLinesReleased', ipt_no)[0]);
    expect(released.data.lines).toEqual([
      { feedetl_sn: 'H2', medins_list_codg: 'YP-HOLD-AMOX', med_list_codg: AMOXICILLIN },
    ]);
    const uploadedH2 = await waitFor('H2 uploaded', () =>
      h.resultsOf('FeeLinesUploaded', ipt_no).find((m) => m.data.lines.some((l) => l.feedetl_sn === 'H2')),
    );
    const releaseMs = Date.now() - mappedAt;
    expect(uploadedH2.data.lines.map((l) => l.feedetl_sn)).toEqual(['H2']);
    // 1319's ratio of H2's code is shown with the line (information: it was not held for it).
    expect(uploadedH2.data.lines[0].catalogue_selfpay_prop).toBe('0.1');
    expect(releaseMs).toBeLessThan(30_000);
    // H3's mapping puts its price above the limit: it stays held, now for a person, with the finding.
    const heldAgain = await waitFor('H3 held for its price', () =>
      h.resultsOf('FeeLinesHeld', ipt_no).find((m) => m.data.lines[0].feedetl_sn === 'H3'),
    );
    expect(heldAgain.data.lines).toEqual([overLimit('H3', 'YP-HOLD-LIMIT')]);
    expect(await simLines()).toEqual(['H1', 'H2']);
    console.log(`held line H2 uploaded ${releaseMs} ms after its mapping was published`);

    // A person decides: H4 goes up anyway (the excess is self-pay), H3 is voided; each decision is recorded.
    const cashier = { username: 'zhangli', role: 'operator' as const };
    await h.publish('DecideHeldFeeLines', ipt_no, {
      ipt_no,
      feedetl_sns: ['H4'],
      decision: 'UPLOAD_ANYWAY',
      comment: '患者知情同意，超限价部分自费',
      requested_by: cashier,
    });
    await h.publish('DecideHeldFeeLines', ipt_no, {
      ipt_no,
      feedetl_sns: ['H3'],
      decision: 'VOID',
      comment: '重复计费',
      requested_by: cashier,
    });
    await waitFor('H4 uploaded', () =>
      h.resultsOf('FeeLinesUploaded', ipt_no).find((m) => m.data.lines.some((l) => l.feedetl_sn === 'H4')),
    );
    const voided = await waitFor('H3 voided', () =>
      h.resultsOf('FeeLinesRejected', ipt_no).find((m) => m.data.lines[0].feedetl_sn === 'H3'),
    );
    expect(voided.data.lines).toEqual([
      { feedetl_sn: 'H3', reason: '暂挂明细由zhangli作废，不上传：重复计费' },
    ]);
    expect(h.resultsOf('HeldFeeLinesDecided', ipt_no).map((m) => m.data)).toEqual([
      {
        ipt_no,
        mdtrt_id,
        feedetl_sns: ['H4'],
        decision: 'UPLOAD_ANYWAY',
        comment: '患者知情同意，超限价部分自费',
        decided_by: cashier,
      },
      { ipt_no, mdtrt_id, feedetl_sns: ['H3'], decision: 'VOID', comment: '重复计费', decided_by: cashier },
    ]);
    expect(await simLines()).toEqual(['H1', 'H2', 'H4']);

    // Nothing held any more: the totals of what the HIS still charges agree.
    await h.publish('ReconcileFeeTotals', ipt_no, { ipt_no, his_sumamt: '131.60' });
    const agreed = await waitFor(
      'the second totals answer',
      () => h.resultsOf('FeeTotalsReconciled', ipt_no)[1],
    );
    expect(agreed.data).toMatchObject({ agreed: true, platform_sumamt: '131.60', line_count: 3 });
  }, 120_000);

  it('releases at start a line whose mapping arrived while the release was down', async () => {
    const ipt_no = 'ZY-HOLD-2';
    const { mdtrt_id } = await h.admit(ipt_no, PERSONS.B);
    await h.publish('FeeLinesCharged', ipt_no, { ipt_no, lines: [hospitalLine('J1', 'YP-LATE', '1', '50')] });
    await waitFor('the held line', () => h.resultsOf('FeeLinesHeld', ipt_no)[0]);

    await h.release.stop();
    await h.publishMapping(mapping('YP-LATE', BED, '60.00'));
    await waitFor('the mapping in memory', () => h.mappings.mappingOf('YP-LATE'));
    // Nothing releases the line while the release is down (the wake finds no loop running).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(h.resultsOf('FeeLinesReleased', ipt_no)).toEqual([]);

    h.release.start();
    await waitFor('J1 uploaded', () => h.resultsOf('FeeLinesUploaded', ipt_no)[0]);
    const visit = await h.sim.admin<SimVisit>('GET', `/sim/ledger/visits/${mdtrt_id}`);
    expect(visit.feeLines.map((l) => [l.feedetl_sn, l.status])).toEqual([['J1', 'uploaded']]);
  }, 60_000);

  it("leaves out of the release's pass a visit whose held line waits for a person's decision on its price, until its item's terms change; the decision sends it", async () => {
    const ipt_no = 'ZY-HOLD-4';
    await h.publishMapping(mapping('YP-PRICE-ONLY', CEFTRIAXONE, '40.00'));
    await waitFor('the mapping in memory', () => h.mappings.mappingOf('YP-PRICE-ONLY'));
    const { mdtrt_id } = await h.admit(ipt_no, PERSONS.C);
    await h.publish('FeeLinesCharged', ipt_no, {
      ipt_no,
      lines: [line('P1', 1, BED, '1', '50'), hospitalLine('P2', 'YP-PRICE-ONLY', '1', '45')],
    });
    await waitFor('P2 held for its price', () => h.resultsOf('FeeLinesHeld', ipt_no)[0]);
    await waitFor('P1 uploaded', () => h.resultsOf('FeeLinesUploaded', ipt_no)[0]);
    const owesPlatform = async () => (await h.ledgers.owedVisits()).includes(ipt_no);
    await waitFor('nothing owed to the platform', async () => ((await owesPlatform()) ? undefined : true));

    // The pass run at start and every 30 s: nothing a check could change, so the ledger is not read.
    expect(await h.release.releaseMapped()).not.toContain(ipt_no);

    // Other terms for the item (a limit still below the price): checked once, held again on them, then left.
    await h.publishMapping(mapping('YP-PRICE-ONLY', CEFTRIAXONE, '42.00'));
    const heldAgain = await waitFor('P2 held on the new limit', () => h.resultsOf('FeeLinesHeld', ipt_no)[1]);
    expect(heldAgain.data.lines[0]).toMatchObject({
      feedetl_sn: 'P2',
      finding: { pric_uplmt_amt: '42.00' },
    });
    expect(await h.release.releaseMapped()).not.toContain(ipt_no);
    expect(await owesPlatform()).toBe(false);

    // The person's decision makes it platform work again: uploaded.
    await h.publish('DecideHeldFeeLines', ipt_no, {
      ipt_no,
      feedetl_sns: ['P2'],
      decision: 'UPLOAD_ANYWAY',
      comment: '患者知情同意，超限价部分自费',
      requested_by: { username: 'zhangli', role: 'operator' },
    });
    await waitFor('P2 uploaded', () =>
      h.resultsOf('FeeLinesUploaded', ipt_no).find((m) => m.data.lines.some((l) => l.feedetl_sn === 'P2')),
    );
    const visit = await h.sim.admin<SimVisit>('GET', `/sim/ledger/visits/${mdtrt_id}`);
    expect(visit.feeLines.map((l) => l.feedetl_sn).sort()).toEqual(['P1', 'P2']);
  }, 60_000);

  it('a mapping to a code outside the catalogue is refused by the platform (the sandbox as the platform)', async () => {
    const ipt_no = 'ZY-HOLD-3';
    const wrongCode = 'XNOTINTHECATALOGUE00001';
    await h.publishMapping(mapping('YP-BADMAP', wrongCode, '60.00'));
    await waitFor('the mapping in memory', () => h.mappings.mappingOf('YP-BADMAP'));
    const { mdtrt_id } = await h.admit(ipt_no, PERSONS.D);
    await h.publish('FeeLinesCharged', ipt_no, {
      ipt_no,
      lines: [hospitalLine('K1', 'YP-BADMAP', '1', '50')],
    });

    const rejected = await waitFor('the platform refusal', () => h.resultsOf('FeeLinesRejected', ipt_no)[0]);
    expect(rejected.data).toMatchObject({
      infno: '2301',
      lines: [{ feedetl_sn: 'K1', reason: `费用明细[K1]医疗目录编码[${wrongCode}]在医保目录中不存在` }],
    });
    const visit = await h.sim.admin<SimVisit>('GET', `/sim/ledger/visits/${mdtrt_id}`);
    expect(visit.feeLines).toEqual([]);
  }, 60_000);
});
