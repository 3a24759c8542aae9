import { PatientAdmittedV1 } from '@yb/contracts';
import { waitFor } from '@yb/testing';
import { type ItemMapping } from '../src/catalogue/item-mappings';
import { FeeDetailHarness } from './support/fee-detail-harness';
import { AMOXICILLIN, BED, CEFTRIAXONE, line, PERSONS, type SimVisit } from './support/test-fees';

// Lines whose hospital item has no mapping yet, over the real Kafka, PostgreSQL and the simulator: held with
// the reason (not refused, not uploaded), the saga's totals question answered "not in agreement" naming them,
// then released and uploaded as soon as the catalogue publishes the mapping. The held-line sweep is set to
// 10 minutes, so the release within the test's wait can only come from the mapping's arrival.

const mapping = (
  fixmedins_hilist_id: string,
  med_list_codg: string,
  pric_uplmt_amt: string,
): ItemMapping => ({
  fixmedins_hilist_id,
  status: 'mapped',
  med_list_codg,
  list_type: '101',
  begndate: '2024-01-01',
  pric_uplmt_amt,
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

  it('holds an unmapped line, refuses a price above the limit, and uploads the held line once mapped', async () => {
    const ipt_no = 'ZY-HOLD-1';
    const { psn_no, insutype, insuplc_admdvs } = PERSONS.A;
    await h.publishMapping(mapping('YP-HOLD-CEF', CEFTRIAXONE, '40.00'));
    await h.publish('PatientAdmitted', ipt_no, {
      ...PatientAdmittedV1.example,
      ipt_no,
      psn_no,
      insutype,
      insuplc_admdvs,
    });
    const { mdtrt_id, msgid } = await h.register(ipt_no, psn_no, insutype, insuplc_admdvs);
    await h.publish('AdmissionRegistered', ipt_no, { ipt_no, mdtrt_id, psn_no, msgid });
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

    const held = await waitFor('the held lines', () => h.resultsOf('FeeLinesHeld', ipt_no)[0]);
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
      ],
      needs_person: true,
    });
    const refusedAtOnce = await waitFor(
      'the price-limit refusal',
      () => h.resultsOf('FeeLinesRejected', ipt_no)[0],
    );
    expect(refusedAtOnce.data.lines).toEqual([
      { feedetl_sn: 'H4', reason: `单价45超过医保限价40.00（医保目录编码[${CEFTRIAXONE}]）` },
    ]);
    await waitFor('H1 uploaded', () => h.resultsOf('FeeLinesUploaded', ipt_no)[0]);
    expect(await simLines()).toEqual(['H1']);

    // The saga asks for the totals while lines are held: not in agreement, the held lines named, nothing revoked.
    await h.publish('ReconcileFeeTotals', ipt_no, { ipt_no, his_sumamt: '131.60' });
    const refused = await waitFor('the totals answer', () => h.resultsOf('FeeTotalsReconciled', ipt_no)[0]);
    expect(refused.data).toMatchObject({ agreed: false, resynchronised: false, platform_sumamt: '50.00' });
    expect(refused.data.reason).toMatch(
      /^2条明细暂挂未上传\(院内项目尚无医保目录对照\)：H2\[YP-HOLD-AMOX\]、H3\[YP-HOLD-LIMIT\]；在目录对照中确认后自动上传，之后再结算/,
    );
    expect(h.resultsOf('FeeLinesRevoked', ipt_no)).toEqual([]);

    // The catalogue publishes the mappings: H2 goes up at once; H3's mapping puts its price above the limit.
    const mappedAt = Date.now();
    await h.publishMapping(mapping('YP-HOLD-AMOX', AMOXICILLIN, '30.00'));
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
    expect(releaseMs).toBeLessThan(30_000);
    const refusedOnRelease = await waitFor('H3 refused on release', () =>
      h.resultsOf('FeeLinesRejected', ipt_no).find((m) => m.data.lines[0].feedetl_sn === 'H3'),
    );
    expect(refusedOnRelease.data.lines).toEqual([
      { feedetl_sn: 'H3', reason: `单价45超过医保限价40.00（医保目录编码[${CEFTRIAXONE}]）` },
    ]);
    expect(await simLines()).toEqual(['H1', 'H2']);
    console.log(`held line H2 uploaded ${releaseMs} ms after its mapping was published`);

    // Nothing held any more: the totals of what the HIS still charges agree.
    await h.publish('ReconcileFeeTotals', ipt_no, { ipt_no, his_sumamt: '86.60' });
    const agreed = await waitFor(
      'the second totals answer',
      () => h.resultsOf('FeeTotalsReconciled', ipt_no)[1],
    );
    expect(agreed.data).toMatchObject({ agreed: true, platform_sumamt: '86.60', line_count: 2 });
  }, 120_000);

  it('releases at start a line whose mapping arrived while the release was down', async () => {
    const ipt_no = 'ZY-HOLD-2';
    const { psn_no, insutype, insuplc_admdvs } = PERSONS.B;
    await h.publish('PatientAdmitted', ipt_no, {
      ...PatientAdmittedV1.example,
      ipt_no,
      psn_no,
      insutype,
      insuplc_admdvs,
    });
    const { mdtrt_id, msgid } = await h.register(ipt_no, psn_no, insutype, insuplc_admdvs);
    await h.publish('AdmissionRegistered', ipt_no, { ipt_no, mdtrt_id, psn_no, msgid });
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

  it('a mapping to a code outside the catalogue is refused by the platform (the sandbox as the platform)', async () => {
    const ipt_no = 'ZY-HOLD-3';
    const { psn_no, insutype, insuplc_admdvs } = PERSONS.D;
    const wrongCode = 'XNOTINTHECATALOGUE00001';
    await h.publishMapping(mapping('YP-BADMAP', wrongCode, '60.00'));
    await waitFor('the mapping in memory', () => h.mappings.mappingOf('YP-BADMAP'));
    await h.publish('PatientAdmitted', ipt_no, {
      ...PatientAdmittedV1.example,
      ipt_no,
      psn_no,
      insutype,
      insuplc_admdvs,
    });
    const { mdtrt_id, msgid } = await h.register(ipt_no, psn_no, insutype, insuplc_admdvs);
    await h.publish('AdmissionRegistered', ipt_no, { ipt_no, mdtrt_id, psn_no, msgid });
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
