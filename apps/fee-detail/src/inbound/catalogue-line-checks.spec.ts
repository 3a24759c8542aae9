import { testFeeLine } from '@yb/testing';
import { type ItemMapping } from '../catalogue/item-mappings';
import { checkFeeLines } from './catalogue-line-checks';

const AMOXICILLIN: ItemMapping = {
  fixmedins_hilist_id: 'YP-AMOX',
  status: 'mapped',
  med_list_codg: 'XJ01CAA040A001010101445',
  list_type: '101',
  begndate: '2024-01-01',
  enddate: '2030-12-31',
  pric_uplmt_amt: '30.00',
  mapped_by: 'zhangli',
};
/** An item whose code has a 1319 self-pay ratio. */
const CEFTRIAXONE: ItemMapping = {
  ...AMOXICILLIN,
  fixmedins_hilist_id: 'YP-CEF',
  med_list_codg: 'XJ01DDA068B002010101445',
  selfpay_prop: '0.1',
};
const NO_SELFPAY: ItemMapping = { ...AMOXICILLIN, fixmedins_hilist_id: 'YP-ZERO', selfpay_prop: '0' };
const MAPPINGS = new Map([AMOXICILLIN, CEFTRIAXONE, NO_SELFPAY].map((m) => [m.fixmedins_hilist_id, m]));
const lookup = { mappingOf: (code: string) => MAPPINGS.get(code) };

type Line = Parameters<typeof checkFeeLines>[0][number];

/** A line the HIS sends with its own code only (unless `over` gives a national one). */
const line = (over: Partial<Line>): Line => {
  const { med_list_codg: _national, ...base } = testFeeLine('L1', 3, 'unused', '2', '25');
  return { ...base, medins_list_codg: 'YP-AMOX', ...over };
};

describe('fee lines checked against the catalogue before 2301', () => {
  it("gives a line with only the hospital's code its mapped national code", () => {
    const { lines, refusals } = checkFeeLines([line({ fee_ocur_time: '2026-12-03 10:00:00' })], lookup);
    expect(refusals).toEqual([]);
    expect(lines[0].med_list_codg).toBe('XJ01CAA040A001010101445');
  });

  it('holds a price above the limit with its finding (for a person), and refuses a date outside the validity', () => {
    const over = line({ feedetl_sn: 'A', pric: '30.01', fee_ocur_time: '2026-12-03 10:00:00' });
    const { lines, held, refusals } = checkFeeLines(
      [over, line({ feedetl_sn: 'B', fee_ocur_time: '2031-01-01 10:00:00' })],
      lookup,
    );
    expect(lines).toEqual([]);
    expect(held).toEqual([
      {
        line: over,
        reason:
          '单价30.01超过医保限价30.00（医保目录编码[XJ01CAA040A001010101445]）：明细暂挂，待人工决定仍上传或作废',
        finding: {
          kind: 'OVER_PRICE_LIMIT',
          med_list_codg: 'XJ01CAA040A001010101445',
          pric: '30.01',
          pric_uplmt_amt: '30.00',
        },
      },
    ]);
    expect(refusals.map((r) => r.feedetl_sn)).toEqual(['B']);
    expect(refusals[0].reason).toMatch(/有效期至2030-12-31/);
  });

  it("carries 1319's self-pay ratio (above 0) of a taken line's code as information: the line is not held", () => {
    const at = { fee_ocur_time: '2026-12-03 10:00:00' };
    const { lines, held, refusals, selfpay_props } = checkFeeLines(
      [
        line({ ...at, feedetl_sn: 'R1', medins_list_codg: 'YP-CEF' }),
        line({ ...at, feedetl_sn: 'R2', medins_list_codg: 'YP-ZERO' }),
        line({ ...at, feedetl_sn: 'R3' }),
        line({ ...at, feedetl_sn: 'R4', medins_list_codg: 'YP-CEF', pric: '31' }),
      ],
      lookup,
    );
    expect(lines.map((l) => l.feedetl_sn)).toEqual(['R1', 'R2', 'R3']);
    expect(held.map((h) => h.line.feedetl_sn)).toEqual(['R4']);
    expect(refusals).toEqual([]);
    expect(selfpay_props).toEqual({ R1: '0.1' });
  });

  it('holds, with the reason, a line whose item has no mapping: it is neither refused nor taken', () => {
    const unmapped = line({
      feedetl_sn: 'C',
      medins_list_codg: 'YP-OTHER',
      fee_ocur_time: '2026-12-03 10:00:00',
    });
    const { lines, held, refusals } = checkFeeLines([unmapped], lookup);
    expect(lines).toEqual([]);
    expect(refusals).toEqual([]);
    expect(held).toEqual([
      {
        line: unmapped,
        reason: '院内项目[YP-OTHER]尚无已确认的医保目录对照：明细暂挂，在目录对照中确认后自动上传',
      },
    ]);
  });

  it('takes a national code the HIS sent for an item not mapped here, and never refuses a refund line', () => {
    const { lines, refusals } = checkFeeLines(
      [
        line({ medins_list_codg: 'YP-OTHER', med_list_codg: 'X1', fee_ocur_time: '2026-12-03 10:00:00' }),
        line({ pric: '99', cnt: '-1', det_item_fee_sumamt: '-99.00', fee_ocur_time: '2026-12-03 10:00:00' }),
      ],
      lookup,
    );
    expect(refusals).toEqual([]);
    expect(lines.map((l) => l.med_list_codg)).toEqual(['X1', 'XJ01CAA040A001010101445']);
  });
});
