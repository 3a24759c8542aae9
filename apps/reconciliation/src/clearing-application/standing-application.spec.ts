import { declared, subject } from './clearing-application.test-kit';
import { ourStandingApplication, type PlatformClearingRecord } from './standing-application';

const record: PlatformClearingRecord = {
  clr_appy_evt_id: 'E1',
  clr_stas: '10',
  clr_ym: '202405',
  clr_type: '21',
  medfee_sumamt: '600',
  fund_appy_sum: '480',
  cash_payamt: '120',
  acct_pay: '0',
};

describe('ourStandingApplication', () => {
  it('given the platform’s record with our month, type and totals (in any decimal form), finds it', () => {
    expect(ourStandingApplication([record], subject, declared)).toBe(record);
  });

  it('given a record that leaves fields out, goes by what it gives', () => {
    const bare = { clr_appy_evt_id: 'E2' };
    expect(ourStandingApplication([bare], subject, declared)).toBe(bare);
  });

  it('given a standing application with other totals (made elsewhere), or another clr_type, finds none', () => {
    expect(
      ourStandingApplication([{ ...record, fund_appy_sum: '479.99' }], subject, declared),
    ).toBeUndefined();
    expect(ourStandingApplication([{ ...record, clr_type: '11' }], subject, declared)).toBeUndefined();
    expect(ourStandingApplication([], subject, declared)).toBeUndefined();
  });

  it('given two that fit, will not guess', () => {
    expect(
      ourStandingApplication([record, { ...record, clr_appy_evt_id: 'E3' }], subject, declared),
    ).toBeUndefined();
  });
});
