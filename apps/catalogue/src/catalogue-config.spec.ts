import { catalogueConfigFromEnv } from './catalogue-config';

describe('catalogue configuration', () => {
  it('has defaults for Hubei (1312A instead of 1301–1306), daily at 03:00 Beijing time', () => {
    expect(catalogueConfigFromEnv({})).toMatchObject({
      cron: '0 3 * * *',
      timeZone: 'Asia/Shanghai',
      downloads: ['1312A', '1318', '1319', '1901'],
      pageSize: 1000,
    });
  });

  it('names the variable that is wrong', () => {
    expect(() => catalogueConfigFromEnv({ CATALOGUE_DOWNLOADS: '1312,1301' })).toThrow(/CATALOGUE_DOWNLOADS/);
    expect(() => catalogueConfigFromEnv({ CATALOGUE_CRON: 'daily' })).toThrow(/CATALOGUE_CRON/);
    expect(() => catalogueConfigFromEnv({ CATALOGUE_PAGE_SIZE: '10000' })).toThrow(/CATALOGUE_PAGE_SIZE/);
  });
});
