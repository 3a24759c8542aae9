import { type ServiceConfigError } from '@yb/service-runtime';
import { dashboardConfigFromEnv } from './dashboard-config';

describe('dashboardConfigFromEnv', () => {
  it('defaults to 8-hour sessions, no users, the built page under dist', () => {
    const config = dashboardConfigFromEnv({});
    expect(config).toMatchObject({ sessionTtlSeconds: 28_800, bootstrapUsers: [], secureCookie: false });
    expect(config.webDir).toMatch(/dist\/apps\/billing-dashboard\/web$/);
  });

  it.each([
    ['900', 900],
    ['90s', 90],
    ['30m', 1800],
    ['8h', 28_800],
  ])('reads DASHBOARD_SESSION_TTL=%s as %i seconds', (text, seconds) => {
    expect(dashboardConfigFromEnv({ DASHBOARD_SESSION_TTL: text }).sessionTtlSeconds).toBe(seconds);
  });

  it('reads bootstrap users, a password may hold colons', () => {
    const { bootstrapUsers } = dashboardConfigFromEnv({
      DASHBOARD_BOOTSTRAP_USERS: 'admin:s3cret:with:colons:admin, zhangli:longenough:operator',
    });
    expect(bootstrapUsers).toEqual([
      { username: 'admin', password: 's3cret:with:colons', role: 'admin' },
      { username: 'zhangli', password: 'longenough', role: 'operator' },
    ]);
  });

  it.each([
    ['DASHBOARD_SESSION_TTL', 'soon'],
    ['DASHBOARD_SESSION_TTL', '0'],
    ['DASHBOARD_BOOTSTRAP_USERS', 'admin:short:admin'],
    ['DASHBOARD_BOOTSTRAP_USERS', 'admin:longenough:root'],
    ['DASHBOARD_BOOTSTRAP_USERS', 'admin-without-role'],
    ['DASHBOARD_SECURE_COOKIE', 'yes'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    expect(() => dashboardConfigFromEnv({ [variable]: value })).toThrow(
      expect.objectContaining({ name: 'ServiceConfigError', variable }) as ServiceConfigError,
    );
  });
});
