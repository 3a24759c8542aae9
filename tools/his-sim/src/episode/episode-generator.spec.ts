import { parseMessage, type DataOf } from '@yb/contracts';
import Decimal from 'decimal.js';
import fc from 'fast-check';
import { allocateBeds } from '../hospital-timeline';
import { DEPARTMENTS } from '../reference/departments';
import { feeItem } from '@yb/reference-charges';
import { generateEpisode, type Episode } from './episode-generator';

const ADMITTED_AT = Date.parse('2024-05-01T10:15:00+08:00');

function episode(seed: number, index = 0, department = DEPARTMENTS[0]!, cashierConfirms = false): Episode {
  return generateEpisode({
    seed,
    index,
    department,
    bedNo: 3,
    admittedAt: ADMITTED_AT,
    visitPrefix: 'ZYTEST',
    cashierConfirms,
  });
}

const seeds = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const episodes = fc
  .record({ seed: seeds, index: fc.nat(5000), department: fc.constantFrom(...DEPARTMENTS) })
  .map(({ seed, index, department }) => episode(seed, index, department));

type FeeLine = DataOf<'FeeLinesCharged'>['lines'][number];
function feeLines(e: Episode): FeeLine[] {
  return e.messages
    .filter((m) => m.envelope.type === 'FeeLinesCharged')
    .flatMap((m) => (m.envelope.data as DataOf<'FeeLinesCharged'>).lines);
}
function voidedSns(e: Episode): string[] {
  return e.messages
    .filter((m) => m.envelope.type === 'FeeLinesVoided')
    .flatMap((m) => (m.envelope.data as DataOf<'FeeLinesVoided'>).feedetl_sns);
}
function types(e: Episode): string[] {
  return e.messages.map((m) => m.envelope.type);
}
function settlementRequests(e: Episode): { at: number; data: DataOf<'SettlementRequested'> }[] {
  return e.messages
    .filter((m) => m.envelope.type === 'SettlementRequested')
    .map((m) => ({
      at: Date.parse(m.envelope.occurredAt),
      data: m.envelope.data as DataOf<'SettlementRequested'>,
    }));
}
const sum = (amounts: readonly string[]) => amounts.reduce((s, a) => s.plus(a), new Decimal(0)).toFixed(2);

describe('generateEpisode', () => {
  it('is deterministic for a seed and index, message ids included', () => {
    fc.assert(
      fc.property(seeds, fc.nat(1000), (seed, index) => {
        expect(episode(seed, index)).toEqual(episode(seed, index));
      }),
      { numRuns: 50 },
    );
    expect(episode(1).messages.map((m) => m.envelope.id)).not.toEqual(
      episode(2).messages.map((m) => m.envelope.id),
    );
  });

  it('generates only messages that satisfy their contracts, keyed by the visit, on the contract topic', () => {
    let checked = 0;
    fc.assert(
      fc.property(episodes, (e) => {
        for (const { envelope, topic } of e.messages) {
          const parsed = parseMessage(JSON.parse(JSON.stringify(envelope)));
          expect(parsed.key).toBe(e.ipt_no);
          expect(topic).toBe(
            envelope.type.match(/Report|Record|Culture|Sensitivity/) ? 'his.clinical' : 'his.inpatient',
          );
          checked += 1;
        }
      }),
      { numRuns: 200 },
    );
    expect(checked).toBeGreaterThan(3000);
  });

  it('prices every line as cnt × pric in decimal, rounded to the cent, at the catalogue price', () => {
    fc.assert(
      fc.property(episodes, (e) => {
        for (const line of feeLines(e)) {
          expect(line.pric).toBe(feeItem(line.medins_list_codg).pric);
          expect(line.med_list_codg).toBe(feeItem(line.medins_list_codg).med_list_codg);
          const expected = new Decimal(line.cnt).times(line.pric).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
          expect(line.det_item_fee_sumamt).toBe(expected.toFixed(2));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('asks to settle exactly the charged and refunded lines less the voided ones, as the fee deltas add up', () => {
    fc.assert(
      fc.property(episodes, (e) => {
        const voided = new Set(voidedSns(e));
        const books = feeLines(e)
          .filter((l) => !voided.has(l.feedetl_sn))
          .reduce((sum, l) => sum.plus(l.det_item_fee_sumamt), new Decimal(0));
        const deltas = e.messages.reduce((sum, m) => sum.plus(m.feeDelta ?? 0), new Decimal(0));
        expect(deltas.toFixed(2)).toBe(books.toFixed(2));
        expect(e.medfee_sumamt).toBe(books.toFixed(2));
        const requests = settlementRequests(e).map((r) => r.data);
        const homepage = e.messages.find((m) => m.envelope.type === 'MedicalRecordHomepageRecorded');
        if (types(e).includes('AdmissionCancelled')) {
          expect(requests).toEqual([]);
          return;
        }
        // A mid-way and the final settlement together; a settlement cancelled and asked again counts once.
        const standing = types(e).includes('SettlementCancelRequested') ? requests.slice(0, -1) : requests;
        expect(sum(standing.map((r) => r.medfee_sumamt))).toBe(e.medfee_sumamt);
        expect((homepage!.envelope.data as DataOf<'MedicalRecordHomepageRecorded'>).medfee_sumamt).toBe(
          e.medfee_sumamt,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('numbers fee lines uniquely within the visit', () => {
    fc.assert(
      fc.property(episodes, (e) => {
        const sns = feeLines(e).map((l) => l.feedetl_sn);
        expect(new Set(sns).size).toBe(sns.length);
      }),
      { numRuns: 200 },
    );
  });

  it('refunds and voids only lines charged earlier, never more than was charged, never a line twice', () => {
    let refunds = 0;
    let voids = 0;
    fc.assert(
      fc.property(episodes, (e) => {
        const charged = new Map<string, FeeLine>();
        const refunded = new Map<string, Decimal>();
        const voided = new Set<string>();
        for (const { envelope } of e.messages) {
          if (envelope.type === 'FeeLinesVoided') {
            for (const sn of (envelope.data as DataOf<'FeeLinesVoided'>).feedetl_sns) {
              expect(charged.has(sn)).toBe(true);
              expect(voided.has(sn) || refunded.has(sn)).toBe(false);
              voided.add(sn);
              voids += 1;
            }
          }
          if (envelope.type !== 'FeeLinesCharged') continue;
          for (const line of (envelope.data as DataOf<'FeeLinesCharged'>).lines) {
            if (line.init_feedetl_sn) {
              const original = charged.get(line.init_feedetl_sn);
              expect(original).toBeDefined();
              expect(original!.init_feedetl_sn).toBeUndefined();
              expect(voided.has(line.init_feedetl_sn)).toBe(false);
              const total = (refunded.get(line.init_feedetl_sn) ?? new Decimal(0)).minus(line.cnt);
              expect(total.lte(original!.cnt)).toBe(true);
              expect(new Decimal(line.det_item_fee_sumamt).isNegative()).toBe(true);
              refunded.set(line.init_feedetl_sn, total);
              refunds += 1;
            }
            charged.set(line.feedetl_sn, line);
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(refunds).toBeGreaterThan(0);
    expect(voids).toBeGreaterThan(0);
  });

  it('publishes a visit in a plausible order: admission first, fees before discharge, settlement and homepage after', () => {
    fc.assert(
      fc.property(episodes, (e) => {
        const t = types(e);
        const times = e.messages.map((m) => Date.parse(m.envelope.occurredAt));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(t[0]).toBe('PatientAdmitted');
        if (t.includes('AdmissionCancelled')) {
          expect(t).toEqual(['PatientAdmitted', 'AdmissionCancelled']);
          return;
        }
        const discharge = t.indexOf('DischargeRequested');
        const lastFee = Math.max(t.lastIndexOf('FeeLinesCharged'), t.lastIndexOf('FeeLinesVoided'));
        expect(discharge).toBeGreaterThan(lastFee);
        expect(t.lastIndexOf('AdmissionChanged')).toBeLessThan(discharge);
        // The discharge settlement after the discharge; a mid-way one (mid_setl_flag 1) before it.
        const requests = settlementRequests(e);
        const dischargedAt = Date.parse(e.messages[discharge]!.envelope.occurredAt);
        for (const r of requests) expect(r.at > dischargedAt).toBe(r.data.mid_setl_flag === '0');
        expect(requests.filter((r) => r.data.mid_setl_flag === '1').length).toBeLessThanOrEqual(1);
        expect(t.indexOf('MedicalRecordHomepageRecorded')).toBeGreaterThan(
          t.lastIndexOf('SettlementRequested'),
        );
        expect(t.filter((x) => x === 'DischargeRequested')).toHaveLength(1);
        // One discharge settlement, and one more for each cancellation (asked again).
        expect(requests.filter((r) => r.data.mid_setl_flag === '0')).toHaveLength(
          1 + t.filter((x) => x === 'SettlementCancelRequested').length,
        );
        expect(new Set(e.messages.map((m) => m.envelope.correlationId))).toEqual(
          new Set([e.messages[0]!.envelope.id]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('asks every settlement with the certificate 2303/2304 need: a fresh e-voucher token, else the admission one', () => {
    let settled = 0;
    for (let i = 0; i < 200; i += 1) {
      const { messages } = episode(98, i);
      const admitted = messages[0]!.envelope.data as DataOf<'PatientAdmitted'>;
      const settlement = messages.find((m) => m.envelope.type === 'SettlementRequested')?.envelope;
      if (!settlement) continue; // a stay the HIS does not settle (e.g. a cancelled admission)
      settled += 1;
      const request = settlement.data as DataOf<'SettlementRequested'>;
      expect(settlement.schemaVersion).toBe(2);
      if (admitted.mdtrt_cert_type === '01') {
        expect(request).toMatchObject({
          mdtrt_cert_type: '01',
          mdtrt_cert_no: expect.stringMatching(/^EC\d{24}$/),
        });
        expect(request.mdtrt_cert_no).not.toBe(admitted.mdtrt_cert_no);
      } else {
        expect(request).toMatchObject({ cert_as_admitted: true });
        expect(request.mdtrt_cert_no).toBeUndefined();
      }
    }
    expect(settled).toBeGreaterThan(150);
  });

  it('gives every admission the certificate 2401 needs, and most the person number too', () => {
    const admissions = Array.from(
      { length: 400 },
      (_, i) => episode(99, i).messages[0]!.envelope.data as DataOf<'PatientAdmitted'>,
    );
    const byCertificate = admissions.filter((a) => a.psn_no === undefined);
    expect(byCertificate.length).toBeGreaterThan(20);
    expect(byCertificate.length).toBeLessThan(140);
    for (const a of admissions) expect(a.mdtrt_cert_type && a.mdtrt_cert_no).toBeTruthy();
    expect(admissions.filter((a) => a.insutype === '390').length).toBeGreaterThan(
      admissions.filter((a) => a.insutype === '340').length,
    );
  });

  describe('maternity, newborn, cross-area stays and settlements in realistic shares', () => {
    // The hospital's case mix: departments by their share of beds, 3,000 stays.
    const beds = allocateBeds(200);
    const stays = Array.from({ length: 3000 }, (_, i) => episode(7, i, beds[i % beds.length]!.department));
    const admissionOf = (e: Episode) => e.messages[0]!.envelope.data as DataOf<'PatientAdmitted'>;
    const share = (keep: (e: Episode) => boolean) => stays.filter(keep).length / stays.length;
    // Those not cancelled soon after admission (1 %).
    const deliveries = stays.filter(
      (e) => admissionOf(e).med_type === '52' && !types(e).includes('AdmissionCancelled'),
    );
    const newborns = stays.filter((e) => admissionOf(e).nwb_adm_type !== undefined);

    it('admits about one stay in twelve for a delivery, one in fifty a newborn, a third from outside Wuhan', () => {
      expect(share((e) => admissionOf(e).med_type === '52')).toBeGreaterThan(0.05);
      expect(share((e) => admissionOf(e).med_type === '52')).toBeLessThan(0.13);
      expect(share((e) => admissionOf(e).nwb_adm_type !== undefined)).toBeGreaterThan(0.008);
      expect(share((e) => admissionOf(e).nwb_adm_type !== undefined)).toBeLessThan(0.04);
      const named = stays.map(admissionOf).filter((a) => a.insuplc_admdvs !== undefined);
      const elsewhere = named.filter((a) => a.insuplc_admdvs !== '420100').length / named.length;
      const outOfProvince = named.filter((a) => !a.insuplc_admdvs!.startsWith('42')).length / named.length;
      expect(elsewhere).toBeGreaterThan(0.3);
      expect(elsewhere).toBeLessThan(0.5);
      expect(outOfProvince).toBeGreaterThan(0.04);
      expect(outOfProvince).toBeLessThan(0.14);
      // Every admission names the patient's sex and birth date (the audits' sex and age rules need them).
      for (const a of stays.map(admissionOf)) expect(a.gend && a.brdy).toBeTruthy();
    });

    it('records each delivery with the admission changed after the birth (matn_type, its date), before discharge', () => {
      expect(deliveries.length).toBeGreaterThan(100);
      for (const e of deliveries) {
        const admitted = admissionOf(e);
        expect(admitted).toMatchObject({
          gend: '2',
          geso_val: expect.any(Number),
          fetts: expect.any(Number),
        });
        expect(admitted.matn_type).toBeUndefined();
        const changes = e.messages.filter((m) => m.envelope.type === 'AdmissionChanged');
        const delivered = changes.findIndex((m) => (m.envelope.data as DataOf<'AdmissionChanged'>).matn_type);
        expect(delivered).toBeGreaterThanOrEqual(0);
        // No later change forgets the delivery.
        for (const m of changes.slice(delivered)) {
          const data = m.envelope.data as DataOf<'AdmissionChanged'>;
          expect(['1', '3']).toContain(data.matn_type);
          expect(data.birctrl_matn_date! >= admitted.begntime.slice(0, 10)).toBe(true);
        }
        expect(types(e).indexOf('DischargeRequested')).toBeGreaterThan(
          e.messages.indexOf(changes[delivered]!),
        );
      }
    });

    const midway = stays.filter((e) => settlementRequests(e).some((r) => r.data.mid_setl_flag === '1'));
    const cancelled = stays.filter((e) => types(e).includes('SettlementCancelRequested'));

    it('settles about one stay in twenty-five mid-way (long stays only) and cancels and re-settles one in fifty', () => {
      expect(share((e) => midway.includes(e))).toBeGreaterThan(0.02);
      expect(share((e) => midway.includes(e))).toBeLessThan(0.07);
      expect(share((e) => cancelled.includes(e))).toBeGreaterThan(0.01);
      expect(share((e) => cancelled.includes(e))).toBeLessThan(0.04);
      for (const e of midway) {
        const days = e.messages.find((m) => m.envelope.type === 'MedicalRecordHomepageRecorded')!.envelope
          .data as DataOf<'MedicalRecordHomepageRecorded'>;
        expect(days.ipt_days).toBeGreaterThanOrEqual(12);
      }
    });

    it('asks the mid-way settlement for the lines charged until then and the final one for the lines after', () => {
      expect(midway.length).toBeGreaterThan(50);
      for (const e of midway) {
        const [mid, final] = settlementRequests(e);
        expect(mid!.data.mid_setl_flag).toBe('1');
        expect(final!.data.mid_setl_flag).toBe('0');
        const voided = new Set(voidedSns(e));
        const before: string[] = [];
        const after: string[] = [];
        for (const m of e.messages.filter((x) => x.envelope.type === 'FeeLinesCharged'))
          for (const line of (m.envelope.data as DataOf<'FeeLinesCharged'>).lines)
            if (!voided.has(line.feedetl_sn))
              (Date.parse(m.envelope.occurredAt) <= mid!.at ? before : after).push(line.det_item_fee_sumamt);
        expect(before.length).toBeGreaterThan(0);
        expect(after.length).toBeGreaterThan(0);
        expect(mid!.data.medfee_sumamt).toBe(sum(before));
        expect(final!.data.medfee_sumamt).toBe(sum(after));
        // What the mid-way settlement covered stays as it was: no void or refund reaches back to its lines.
        const settledLines = new Set(
          e.messages
            .filter(
              (x) => x.envelope.type === 'FeeLinesCharged' && Date.parse(x.envelope.occurredAt) <= mid!.at,
            )
            .flatMap((x) => (x.envelope.data as DataOf<'FeeLinesCharged'>).lines.map((l) => l.feedetl_sn)),
        );
        for (const sn of voided) expect(settledLines.has(sn)).toBe(false);
        for (const line of feeLines(e))
          if (line.init_feedetl_sn) expect(settledLines.has(line.init_feedetl_sn)).toBe(false);
      }
    });

    it('cancels a discharge settlement after it was asked, then asks again for the same lines', () => {
      expect(cancelled.length).toBeGreaterThan(30);
      for (const e of cancelled) {
        const t = types(e);
        const cancel = t.indexOf('SettlementCancelRequested');
        const finals = settlementRequests(e).filter((r) => r.data.mid_setl_flag === '0');
        expect(finals).toHaveLength(2);
        const [first, again] = finals;
        const cancelAt = Date.parse(e.messages[cancel]!.envelope.occurredAt);
        expect(first!.at).toBeLessThan(cancelAt);
        expect(again!.at).toBeGreaterThan(cancelAt);
        expect(again!.data.medfee_sumamt).toBe(first!.data.medfee_sumamt);
        expect(again!.data.invono).not.toBe(first!.data.invono);
        const reason = (e.messages[cancel]!.envelope.data as DataOf<'SettlementCancelRequested'>).reason;
        // Asked again with the other choice of personal account when that was the reason.
        if (reason.includes('个人账户'))
          expect(again!.data.acct_used_flag).not.toBe(first!.data.acct_used_flag);
        else expect(again!.data.acct_used_flag).toBe(first!.data.acct_used_flag);
      }
    });

    it('has the cashier confirm each settlement at the HIS only when asked to, changing nothing else', () => {
      expect(stays.some((e) => types(e).includes('PreSettlementConfirmed'))).toBe(false);
      const content = (e: Episode) =>
        e.messages
          .filter((m) => m.envelope.type !== 'PreSettlementConfirmed')
          .map((m) => [m.envelope.type, m.envelope.occurredAt, m.envelope.data]);
      for (const e of [...midway.slice(0, 5), ...cancelled.slice(0, 5), stays[0]!]) {
        const confirming = episode(7, e.index, e.department, true);
        expect(content(confirming)).toEqual(content(e));
        const requests = confirming.messages.filter((m) => m.envelope.type === 'SettlementRequested');
        const confirmations = confirming.messages.filter((m) => m.envelope.type === 'PreSettlementConfirmed');
        expect(confirmations).toHaveLength(requests.length);
        for (const [n, c] of confirmations.entries()) {
          const request = requests[n]!;
          expect(c.envelope.data).toMatchObject({
            ipt_no: e.ipt_no,
            decision: 'CONFIRM',
            acct_used_flag: (request.envelope.data as DataOf<'SettlementRequested'>).acct_used_flag,
          });
          // After its request, before the next settlement event of the visit.
          expect(confirming.messages.indexOf(c)).toBeGreaterThan(confirming.messages.indexOf(request));
          const next = confirming.messages.find(
            (m, at) => at > confirming.messages.indexOf(request) && m.envelope.type.startsWith('Settlement'),
          );
          if (next) expect(confirming.messages.indexOf(c)).toBeLessThan(confirming.messages.indexOf(next));
        }
      }
    });

    it("gives a newborn's stay its admission type and weights, a birth in the week before, resident insurance", () => {
      expect(newborns.length).toBeGreaterThan(30);
      for (const e of newborns) {
        const a = admissionOf(e);
        expect(['2', '3']).toContain(a.nwb_adm_type);
        expect(Number(a.nwb_adm_wt)).toBeLessThanOrEqual(Number(a.nwb_bir_wt));
        expect(Number(a.nwb_bir_wt) % 10).toBe(0);
        const daysOld = (Date.parse(a.begntime.slice(0, 10)) - Date.parse(a.brdy!)) / 86_400_000;
        expect(daysOld).toBeGreaterThanOrEqual(0);
        expect(daysOld).toBeLessThanOrEqual(8);
        expect(a.insutype).toBe('390');
      }
    });
  });
});
