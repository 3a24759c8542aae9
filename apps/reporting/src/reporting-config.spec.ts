import { reportingConfigFromEnv } from './reporting-config';

describe('reporting configuration', () => {
  const base = { NHSA_MDTRTAREA_ADMVS: '420100' };

  it('defaults to a daily 02:00 run in Asia/Shanghai, due 7 days after settlement', () => {
    expect(reportingConfigFromEnv(base)).toMatchObject({
      cron: '0 2 * * *',
      timeZone: 'Asia/Shanghai',
      dueDays: 7,
      settlementList: {},
    });
  });

  it('names the variable that is wrong', () => {
    expect(() => reportingConfigFromEnv({ ...base, REPORTING_CRON: 'every day' })).toThrow(/REPORTING_CRON/);
    expect(() => reportingConfigFromEnv({ ...base, REPORTING_TZ: 'Mars/Olympus' })).toThrow(/REPORTING_TZ/);
    expect(() => reportingConfigFromEnv({ ...base, REPORTING_DUE_DAYS: '0' })).toThrow(/REPORTING_DUE_DAYS/);
  });
});
