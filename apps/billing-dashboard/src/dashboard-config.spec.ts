import { type ServiceConfigError } from '@yb/service-runtime';
import { dashboardConfigFromEnv } from './dashboard-config';

describe('dashboardConfigFromEnv', () => {
  it('defaults to 8-hour sessions, no users, the built page under dist, Secure cookies, no proxy, no OIDC', () => {
    const config = dashboardConfigFromEnv({});
    expect(config).toMatchObject({
      sessionTtlSeconds: 28_800,
      bootstrapUsers: [],
      secureCookie: true,
      trustedProxies: false,
      allowedOrigins: [],
      auditRetentionDays: 180,
      oidc: null,
    });
    expect(config.webDir).toMatch(/dist\/apps\/billing-dashboard\/web$/);
  });

  it.each([
    [{ HTTP_HOST: '127.0.0.1' }, false],
    [{ HTTP_HOST: '::1' }, false],
    [{ HTTP_HOST: '0.0.0.0' }, true],
    [{ HTTP_HOST: '127.0.0.1', DASHBOARD_SECURE_COOKIE: 'true' }, true],
    [{ HTTP_HOST: '0.0.0.0', DASHBOARD_SECURE_COOKIE: 'false' }, false],
  ])('Secure cookies outside local development: %j gives %s', (env, secure) => {
    expect(dashboardConfigFromEnv(env).secureCookie).toBe(secure);
  });

  it('reads OpenID Connect sign-in when configured in full, and names what is missing otherwise', () => {
    const oidc = {
      DASHBOARD_OIDC_ISSUER: 'https://sso.hospital.example',
      DASHBOARD_OIDC_CLIENT_ID: 'billing-dashboard',
      DASHBOARD_OIDC_CLIENT_SECRET: 'secret',
      DASHBOARD_OIDC_REDIRECT_URI: 'https://dash.hospital.example/api/session/oidc/callback',
      DASHBOARD_OIDC_ROLES: '{"billing-office":"operator","it-admins":"admin"}',
    };
    expect(dashboardConfigFromEnv(oidc).oidc).toEqual({
      issuer: 'https://sso.hospital.example',
      clientId: 'billing-dashboard',
      clientSecret: 'secret',
      redirectUri: 'https://dash.hospital.example/api/session/oidc/callback',
      usernameClaim: 'preferred_username',
      roleClaim: 'roles',
      roles: { 'billing-office': 'operator', 'it-admins': 'admin' },
      allowInsecureIssuer: false,
    });
    const { DASHBOARD_OIDC_CLIENT_SECRET: _secret, ...withoutSecret } = oidc;
    expect(() => dashboardConfigFromEnv(withoutSecret)).toThrow(
      expect.objectContaining({ variable: 'DASHBOARD_OIDC_CLIENT_SECRET' }) as ServiceConfigError,
    );
  });

  it.each([
    ['900', 900],
    ['90s', 90],
    ['30m', 1800],
    ['8h', 28_800],
  ])('reads DASHBOARD_SESSION_TTL=%s as %i seconds', (text, seconds) => {
    expect(dashboardConfigFromEnv({ DASHBOARD_SESSION_TTL: text }).sessionTtlSeconds).toBe(seconds);
  });

  it('reads RECONCILIATION_URL as the service origin; without it, loopback as the catalogue URL', () => {
    expect(dashboardConfigFromEnv({}).reconciliationUrl).toBe('http://127.0.0.1:8787');
    expect(dashboardConfigFromEnv({}).catalogueUrl).toBe('http://127.0.0.1:8789');
    expect(
      dashboardConfigFromEnv({ RECONCILIATION_URL: 'http://reconciliation:8787/' }).reconciliationUrl,
    ).toBe('http://reconciliation:8787');
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
    ['DASHBOARD_ALLOWED_ORIGINS', 'dash.hospital.example'],
    ['DASHBOARD_TRUSTED_PROXIES', 'any; rm -rf'],
    ['DASHBOARD_AUDIT_RETENTION_DAYS', '30'],
    ['DASHBOARD_OIDC_ROLES', '{"x":"root"}'],
    ['RECONCILIATION_URL', 'reconciliation:8787'],
    ['RECONCILIATION_URL', 'ftp://reconciliation:8787'],
    ['RECONCILIATION_URL', 'http://reconciliation:8787/clearing'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    expect(() => dashboardConfigFromEnv({ [variable]: value })).toThrow(
      expect.objectContaining({ name: 'ServiceConfigError', variable }) as ServiceConfigError,
    );
  });
});
