import { LedgerTestKit, PSN_NO } from './ledger-test-kit';
import { CUMULATIVE_TYPES } from './yearly-totals';

// The deductible (起付线) once per person per year, and the yearly totals 5206 answers, over mid-way (中途结算)
// and final settlements of one stay. CT at 250 (乙类, 8% 先行自付): a line of n × 250 has inscp 230·n.
const CT = { med_list_codg: '002701000010000-270100001' };

interface Setlinfo {
  setl_id: string;
  act_pay_dedc: number;
  hifp_pay: number;
  fund_pay_sumamt: number;
  psn_cash_pay: number;
  medfee_sumamt: number;
}

describe('yearly totals: deductible once per person per year', () => {
  let kit: LedgerTestKit;
  let mdtrt_id: string;

  const upload = (sn: string, n: number) =>
    kit.ok('2301', {
      feedetail: [kit.feeLine(mdtrt_id, sn, String(n), '250', (n * 250).toFixed(2), CT)],
    });
  const settle = (sumamt: string, mid_setl_flag: '0' | '1') =>
    (
      kit.ok('2304', kit.settlementData(mdtrt_id, sumamt, { acct_used_flag: '0', mid_setl_flag })) as {
        setlinfo: Setlinfo;
      }
    ).setlinfo;
  const totals = (cum_ym = '202405') =>
    Object.fromEntries(
      (
        kit.ok('5206', { data: { psn_no: PSN_NO, cum_ym } }) as {
          cuminfo: { cum_type_code: string; cum: number; insutype: string; year: string }[];
        }
      ).cuminfo.map((r) => [r.cum_type_code, r.cum]),
    );

  beforeEach(() => {
    kit = new LedgerTestKit();
    mdtrt_id = kit.admit();
  });

  it('a final settlement after a mid-way one does not take the deductible again', () => {
    upload('FY1', 10); // inscp 2300: deductible 800, pool (2300 − 800) × 0.85 = 1275
    const midWay = settle('2500.00', '1');
    expect(midWay).toMatchObject({ act_pay_dedc: 800, hifp_pay: 1275 });
    upload('FY2', 4); // inscp 920, no deductible left: pool 920 × 0.85 = 782
    kit.discharge(mdtrt_id);
    const final = settle('1000.00', '0');
    expect(final).toMatchObject({
      medfee_sumamt: 1000,
      act_pay_dedc: 0,
      hifp_pay: 782,
      fund_pay_sumamt: 782,
    });
    expect(totals()).toEqual({
      [CUMULATIVE_TYPES.deductible]: 800,
      [CUMULATIVE_TYPES.medicalFees]: 3500,
      [CUMULATIVE_TYPES.pool]: 2057,
      [CUMULATIVE_TYPES.stays]: 1,
    });
  });

  it('a cancelled mid-way settlement gives its deductible back: the final one takes it, over all lines', () => {
    upload('FY1', 10);
    const midWay = settle('2500.00', '1');
    kit.ok('2305', { data: { mdtrt_id, setl_id: midWay.setl_id, psn_no: PSN_NO } });
    expect(totals()).toEqual({});
    upload('FY2', 4);
    kit.discharge(mdtrt_id);
    // inscp 3220: deductible 800, pool (3220 − 800) × 0.85 = 2057
    expect(settle('3500.00', '0')).toMatchObject({ act_pay_dedc: 800, hifp_pay: 2057 });
    expect(totals()[CUMULATIVE_TYPES.deductible]).toBe(800);
  });

  it("a deductible smaller than one settlement's policy range is completed by the next", () => {
    upload('FY1', 2); // inscp 460: all of it to the deductible, nothing from the pool
    expect(settle('500.00', '1')).toMatchObject({ act_pay_dedc: 460, hifp_pay: 0 });
    upload('FY2', 4); // inscp 920: the deductible's remaining 340, pool (920 − 340) × 0.85 = 493
    kit.discharge(mdtrt_id);
    expect(settle('1000.00', '0')).toMatchObject({ act_pay_dedc: 340, hifp_pay: 493 });
    expect(totals()[CUMULATIVE_TYPES.deductible]).toBe(800);
  });

  it('5206 counts through cum_ym and refuses a malformed month or an unknown person', () => {
    upload('FY1', 10);
    settle('2500.00', '1');
    expect(totals('202404')).toEqual({});
    expect(kit.refused('5206', { data: { psn_no: PSN_NO, cum_ym: '2024-05' } })).toContain('cum_ym');
    expect(kit.refused('5206', { data: { psn_no: 'NOBODY' } })).toContain('人员编号[NOBODY]不存在');
  });
});
