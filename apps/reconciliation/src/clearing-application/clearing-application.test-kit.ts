/** The month, totals and person the clearing application's tests share. */
export const office = { username: 'zhangli', role: 'operator' as const };
export const subject = { setlym: '202405', clr_type: '21', setl_optins: '420100' };
export const declared = {
  psntime: 2,
  medfee_sumamt: '600.00',
  med_sumfee: '600.00',
  fund_appy_sum: '480.00',
  cash_payamt: '120.00',
  acct_pay: '0.00',
};
