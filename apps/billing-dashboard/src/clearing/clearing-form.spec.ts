import { clearingFormSections, type ClearingPrintout } from './clearing-form';

const printout: ClearingPrintout = {
  setlym: '202405',
  clr_type: '21',
  setl_optins: '420500',
  scope: 'CROSS_AREA',
  clr_appy_evt_id: '420100202406010000000001',
  begndate: '2024-05-01',
  enddate: '2024-05-31',
  declared: {
    psntime: 2,
    medfee_sumamt: '600.00',
    med_sumfee: '600.00',
    fund_appy_sum: '480.00',
    cash_payamt: '120.00',
    acct_pay: '0.00',
  },
  applied_by: 'zhangli',
  platform: {
    clr_appy_evt_id: '420100202406010000000001',
    clr_stas: '10',
    opt_time: '2024-06-01 09:30:00',
    psntime: '2',
    medfee_sumamt: '600',
    hi_agre_sumfee: '600',
    fund_appy_sum: '480',
    cash_payamt: '120',
    acct_pay: '0',
  },
};

describe('the clearing application form', () => {
  it('given the platform’s record with our totals, prints both side by side in Chinese', () => {
    const s = clearingFormSections(printout, '武汉市第一医院');
    expect(s.title).toBe('武汉市第一医院医疗保障基金清算申请单');
    expect(s.application).toContainEqual(['清算经办机构', '420500（异地就医）']);
    expect(s.application).toContainEqual(['中心清算状态', '已申请 (10)']);
    expect(s.amounts).toEqual([
      ['清算人次', '2', '2'],
      ['医疗费总额', '600.00', '600.00'],
      ['医保认可费用总额', '600.00', '600.00'],
      ['基金申报总额', '480.00', '480.00'],
      ['个人账户支出', '0.00', '0.00'],
      ['现金支付金额', '120.00', '120.00'],
    ]);
  });

  it('given a record that differs from ours or leaves a field out, marks the one and dashes the other', () => {
    const { platform } = printout;
    const s = clearingFormSections(
      { ...printout, platform: { ...platform, fund_appy_sum: '479.99', acct_pay: undefined, clr_stas: '7' } },
      '',
    );
    expect(s.amounts).toContainEqual(['基金申报总额', '480.00', '479.99（不一致）']);
    expect(s.amounts).toContainEqual(['个人账户支出', '0.00', '—']);
    expect(s.application).toContainEqual(['中心清算状态', '代码 (7)']);
  });
});
