import Decimal from 'decimal.js';
import fc from 'fast-check';
import { MED_LIST, priceFeeLine, unmatchedMedListItem } from './fee-catalogue';
import {
  ACCOUNT_FUND,
  HOSPITAL_SHARE_FUND,
  policyFor,
  splitSettlement,
  type BillTotals,
  type SettlementSplit,
} from './settlement-split';

const cents = (max: number) => fc.integer({ min: 0, max }).map((n) => new Decimal(n).div(100));
const ZERO = new Decimal(0);

/** One generated fee line: a list item (or one the list lacks), a quantity and a unit price, maybe over its ceiling. */
const feeLine = fc.record({
  item: fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...MED_LIST) },
    { weight: 1, arbitrary: fc.constant(unmatchedMedListItem('X0000000000000000000')) },
  ),
  cnt: fc.integer({ min: 1, max: 4000 }).map((n) => new Decimal(n).div(100)),
  // Up to twice the ceiling: some lines are priced over it (超限价).
  priceShare: fc.integer({ min: 1, max: 200 }),
});

type GeneratedLine = typeof feeLine extends fc.Arbitrary<infer T> ? T : never;

/** The bill's totals as the platform sums them from each line's 2301 split, in decimal. */
function totalsOf(lines: readonly GeneratedLine[]): BillTotals {
  const sum = { medfee: ZERO, fulamt: ZERO, overlmt: ZERO, preselfpay: ZERO, inscp: ZERO };
  for (const { item, cnt, priceShare } of lines) {
    const ceiling = new Decimal(item.pric_uplmt_amt === '0' ? '35' : item.pric_uplmt_amt);
    const pric = ceiling.times(priceShare).div(100).toDecimalPlaces(6);
    const sumamt = cnt.times(pric).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const priced = priceFeeLine(item, cnt, pric, sumamt);
    sum.medfee = sum.medfee.plus(sumamt);
    sum.fulamt = sum.fulamt.plus(priced.fulamt_ownpay_amt);
    sum.overlmt = sum.overlmt.plus(priced.overlmt_amt);
    sum.preselfpay = sum.preselfpay.plus(priced.preselfpay_amt);
    sum.inscp = sum.inscp.plus(priced.inscp_scp_amt);
  }
  return {
    medfee_sumamt: sum.medfee,
    fulamt_ownpay_amt: sum.fulamt,
    overlmt_selfpay: sum.overlmt,
    preselfpay_amt: sum.preselfpay,
    inscp_scp_amt: sum.inscp,
  };
}

/** The platform's identities and the fund rows' agreement with setlinfo, for any split. */
function expectConsistent(split: SettlementSplit, totals: BillTotals, balance: Decimal): void {
  expect(
    split.medfee_sumamt.eq(split.fund_pay_sumamt.plus(split.psn_part_amt).plus(split.hosp_part_amt)),
  ).toBe(true);
  expect(split.psn_part_amt.eq(split.acct_pay.plus(split.psn_cash_pay))).toBe(true);
  const rows = (keep: (fund: string) => boolean) =>
    split.funds.filter((f) => keep(f.fund_pay_type)).reduce((sum, f) => sum.plus(f.fund_payamt), ZERO);
  // The pooled funds' rows are fund_pay_sumamt; the account's and the hospital's are rows of their own.
  expect(rows((f) => f !== ACCOUNT_FUND && f !== HOSPITAL_SHARE_FUND).eq(split.fund_pay_sumamt)).toBe(true);
  expect(rows((f) => f === ACCOUNT_FUND).eq(split.acct_pay)).toBe(true);
  expect(rows((f) => f === HOSPITAL_SHARE_FUND).eq(split.hosp_part_amt)).toBe(true);
  expect(split.fund_pay_sumamt.lte(Decimal.max(totals.inscp_scp_amt, ZERO))).toBe(true);
  expect(split.acct_pay.lte(balance)).toBe(true);
  expect(split.psn_cash_pay.isNegative()).toBe(false);
  for (const amount of [
    split.hifp_pay,
    split.fund_pay_sumamt,
    split.psn_part_amt,
    split.hosp_part_amt,
    split.acct_pay,
    split.psn_cash_pay,
    split.balc,
    ...split.funds.map((f) => f.fund_payamt),
  ]) {
    expect(amount.decimalPlaces()).toBeLessThanOrEqual(2);
  }
}

describe('splitSettlement', () => {
  it('keeps the platform identities exact for any bill, policy and account balance', () => {
    fc.assert(
      fc.property(
        cents(50_000_000),
        cents(5_000_000),
        cents(1_000_000),
        cents(1_000_000),
        cents(2_000_000),
        fc.constantFrom('310', '390'),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (inscp, fulamt, overlmt, preselfpay, balance, insutype, retired, hospitalBears, useAccount) => {
          const totals = {
            medfee_sumamt: inscp.plus(fulamt).plus(overlmt).plus(preselfpay),
            fulamt_ownpay_amt: fulamt,
            overlmt_selfpay: overlmt,
            preselfpay_amt: preselfpay,
            inscp_scp_amt: inscp,
          };
          const split = splitSettlement({
            totals,
            policy: policyFor(insutype)!,
            retired,
            hospitalBearsOverlimit: hospitalBears,
            useAccount,
            accountBalance: balance,
          });
          expectConsistent(split, totals, balance);
        },
      ),
    );
  });

  it('over a generated bill of fee lines: 超限价 is the patient’s, or the hospital’s own row when the policy says so', () => {
    fc.assert(
      fc.property(
        fc.array(feeLine, { minLength: 1, maxLength: 40 }),
        cents(500_000),
        fc.constantFrom('310', '390'),
        fc.boolean(),
        fc.boolean(),
        (lines, balance, insutype, hospitalBears, useAccount) => {
          const totals = totalsOf(lines);
          const split = splitSettlement({
            totals,
            policy: policyFor(insutype)!,
            retired: false,
            hospitalBearsOverlimit: hospitalBears,
            useAccount,
            accountBalance: balance,
          });
          expectConsistent(split, totals, balance);
          const selfPaid = totals.fulamt_ownpay_amt.plus(totals.preselfpay_amt);
          if (hospitalBears) {
            expect(split.hosp_part_amt.eq(totals.overlmt_selfpay)).toBe(true);
            expect(split.psn_part_amt.gte(selfPaid)).toBe(true);
          } else {
            expect(split.hosp_part_amt.isZero()).toBe(true);
            expect(split.funds.some((f) => f.fund_pay_type === HOSPITAL_SHARE_FUND)).toBe(false);
            // The patient pays at least what is wholly self-paid, paid first and over the ceiling.
            expect(split.psn_part_amt.gte(selfPaid.plus(totals.overlmt_selfpay))).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('puts the over-limit part on the patient by default and on a 999996 row when the hospital bears it', () => {
    const totals = {
      medfee_sumamt: new Decimal('1100'),
      fulamt_ownpay_amt: ZERO,
      overlmt_selfpay: new Decimal('100'),
      preselfpay_amt: ZERO,
      inscp_scp_amt: new Decimal('1000'),
    };
    const split = (hospitalBearsOverlimit: boolean) =>
      splitSettlement({
        totals,
        policy: policyFor('310')!,
        retired: false,
        hospitalBearsOverlimit,
        useAccount: false,
        accountBalance: ZERO,
      });
    // (1000 − 800 起付线) × 0.85 = 170 from the pool; the patient 800 + 30 + 100 over the ceiling.
    const patient = split(false);
    expect(
      [patient.fund_pay_sumamt, patient.psn_part_amt, patient.hosp_part_amt].map((d) => d.toFixed(2)),
    ).toEqual(['170.00', '930.00', '0.00']);
    const hospital = split(true);
    expect(
      [hospital.fund_pay_sumamt, hospital.psn_part_amt, hospital.hosp_part_amt].map((d) => d.toFixed(2)),
    ).toEqual(['170.00', '830.00', '100.00']);
    expect(hospital.funds.map((f) => [f.fund_pay_type, f.fund_payamt.toFixed(2)])).toEqual([
      ['310100', '170.00'],
      [HOSPITAL_SHARE_FUND, '100.00'],
    ]);
  });

  it('hands the part over the pool cap to the serious-illness fund (职工大额)', () => {
    const split = splitSettlement({
      totals: {
        medfee_sumamt: new Decimal('200800'),
        fulamt_ownpay_amt: new Decimal(0),
        overlmt_selfpay: new Decimal(0),
        preselfpay_amt: new Decimal(0),
        inscp_scp_amt: new Decimal('200800'),
      },
      policy: policyFor('310')!,
      retired: false,
      hospitalBearsOverlimit: false,
      useAccount: false,
      accountBalance: new Decimal(0),
    });
    // (200800 − 800) × 0.85 = 170000: the pool pays its cap 150000; the rest, 20000 / 0.85 × 0.80 = 18823.53
    expect(split.hifp_pay.toFixed(2)).toBe('150000.00');
    expect(split.hifob_pay.toFixed(2)).toBe('18823.53');
    expect(split.funds.map((f) => f.fund_pay_type)).toEqual(['310100', '330100']);
  });
});
