import { closedDays } from './inbound/day-close-schedule';
import { reconciliationConfigFromEnv } from './reconciliation-config';

describe('reconciliation configuration', () => {
  it('reconciles closed days at 01:30 Beijing time by default', () => {
    expect(reconciliationConfigFromEnv({})).toEqual({
      cron: '30 1 * * *',
      timeZone: 'Asia/Shanghai',
      catchUpDays: 3,
      concurrency: 2,
      periodChecks: [],
    });
    expect(reconciliationConfigFromEnv({ RECONCILIATION_CRON: 'off' }).cron).toBeNull();
    expect(reconciliationConfigFromEnv({ RECONCILIATION_PERIOD_CHECKS: '5262, 5267' }).periodChecks).toEqual([
      '5262',
      '5267',
    ]);
  });

  it.each([
    ['RECONCILIATION_CRON', 'every night', 'must be a cron expression'],
    ['RECONCILIATION_TZ', 'Mars/Olympus', 'must be an IANA time zone'],
    ['RECONCILIATION_CATCH_UP_DAYS', '0', 'must be at least 1'],
    ['RECONCILIATION_CONCURRENCY', 'two', 'must be a whole number'],
    ['RECONCILIATION_PERIOD_CHECKS', '3202', 'must be off, or 5262 and/or 5267'],
  ])('refuses %s=%s naming the variable', (variable, value, problem) => {
    expect(() => reconciliationConfigFromEnv({ [variable]: value })).toThrow(`${variable} ${problem}`);
  });
});

describe('closed days', () => {
  it('counts back from the day it is in Beijing, not in UTC', () => {
    // 2024-05-15 17:00 UTC is already 2024-05-16 01:00 in Beijing: the 15th has closed.
    expect(closedDays(new Date('2024-05-15T17:00:00Z'), 'Asia/Shanghai', 2)).toEqual([
      '2024-05-15',
      '2024-05-14',
    ]);
    expect(closedDays(new Date('2024-05-15T17:00:00Z'), 'UTC', 1)).toEqual(['2024-05-14']);
  });
});
