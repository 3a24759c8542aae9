import { paymentMethodFor, reportingConfigFromEnv } from './reporting-config';

describe('reporting configuration', () => {
  const base = { NHSA_MDTRTAREA_ADMVS: '420100' };

  it('defaults to a daily 02:00 run in Asia/Shanghai, due 7 days after settlement', () => {
    expect(reportingConfigFromEnv(base)).toMatchObject({
      cron: '0 2 * * *',
      timeZone: 'Asia/Shanghai',
      dueDays: 7,
      // No payment method until the hospital configures one: a 4101A then waits naming the variable.
      settlementList: { hi_paymtd: {}, newbornFieldNames: 'nwb_admtype' },
    });
  });

  it('names the variable that is wrong', () => {
    expect(() => reportingConfigFromEnv({ ...base, REPORTING_CRON: 'every day' })).toThrow(/REPORTING_CRON/);
    expect(() => reportingConfigFromEnv({ ...base, REPORTING_TZ: 'Mars/Olympus' })).toThrow(/REPORTING_TZ/);
    expect(() => reportingConfigFromEnv({ ...base, REPORTING_DUE_DAYS: '0' })).toThrow(/REPORTING_DUE_DAYS/);
    expect(() => reportingConfigFromEnv({ ...base, REPORTING_NWB_FIELD_NAMES: 'nwbAdmType' })).toThrow(
      /REPORTING_NWB_FIELD_NAMES/,
    );
  });

  it("reads the hospital's payment methods per insured area and insutype, refusing at start what is not one", () => {
    const config = reportingConfigFromEnv({
      ...base,
      REPORTING_HI_PAYMTD: '{"*":"4","*:390":"3","110000":"1","420100:340":"9"}',
    });
    const table = config.settlementList.hi_paymtd;
    // The most specific entry wins: area and insutype, area, insutype, everyone.
    expect(paymentMethodFor(table, '420100', '340')).toBe('9');
    expect(paymentMethodFor(table, '110000', '390')).toBe('1');
    expect(paymentMethodFor(table, '420500', '390')).toBe('3');
    expect(paymentMethodFor(table, '420100', '310')).toBe('4');
    expect(paymentMethodFor({ '420100': '4' }, '110000', '310')).toBeUndefined();

    const refused = (value: string) => () => reportingConfigFromEnv({ ...base, REPORTING_HI_PAYMTD: value });
    expect(refused('DRG')).toThrow(/REPORTING_HI_PAYMTD is not JSON/);
    // psn_setlway 01 (the patient's settlement method) is not a payment method of the fund.
    expect(refused('{"*":"01"}')).toThrow(/REPORTING_HI_PAYMTD.*values are 医保支付方式 codes: 1 按项目/);
    expect(refused('{"湖北":"4"}')).toThrow(/REPORTING_HI_PAYMTD.*keys are "\*"/);
  });
});
