import Decimal from 'decimal.js';
import fc from 'fast-check';
import { policyFor, splitSettlement } from './settlement-split';

const cents = (max: number) => fc.integer({ min: 0, max }).map((n) => new Decimal(n).div(100));

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
        (inscp, fulamt, overlmt, preselfpay, balance, insutype, retired, useAccount) => {
          const medfee = inscp.plus(fulamt).plus(overlmt).plus(preselfpay);
          const split = splitSettlement({
            totals: {
              medfee_sumamt: medfee,
              fulamt_ownpay_amt: fulamt,
              overlmt_selfpay: overlmt,
              preselfpay_amt: preselfpay,
              inscp_scp_amt: inscp,
            },
            policy: policyFor(insutype)!,
            retired,
            useAccount,
            accountBalance: balance,
          });
          expect(
            split.medfee_sumamt.eq(split.fund_pay_sumamt.plus(split.psn_part_amt).plus(split.hosp_part_amt)),
          ).toBe(true);
          expect(split.psn_part_amt.eq(split.acct_pay.plus(split.psn_cash_pay))).toBe(true);
          expect(split.fund_pay_sumamt.lte(inscp)).toBe(true);
          expect(split.acct_pay.lte(balance)).toBe(true);
          expect(split.psn_cash_pay.isNegative()).toBe(false);
          for (const amount of [split.hifp_pay, split.fund_pay_sumamt, split.acct_pay, split.balc]) {
            expect(amount.decimalPlaces()).toBeLessThanOrEqual(2);
          }
        },
      ),
    );
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
      useAccount: false,
      accountBalance: new Decimal(0),
    });
    // (200800 − 800) × 0.85 = 170000: the pool pays its cap 150000; the rest, 20000 / 0.85 × 0.80 = 18823.53
    expect(split.hifp_pay.toFixed(2)).toBe('150000.00');
    expect(split.hifob_pay.toFixed(2)).toBe('18823.53');
    expect(split.funds.map((f) => f.fund_pay_type)).toEqual(['310100', '330100']);
  });
});
