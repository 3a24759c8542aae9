import { spawn, type ChildProcess } from 'node:child_process';
import crypto, { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { KafkaPublisher } from '@yb/messaging';
import {
  freeTextArbitrary,
  identifierValues,
  patientArbitrary,
  testKafka,
  waitFor,
  withClient,
  type TestSchema,
} from '@yb/testing';
import fc from 'fast-check';
import { type Browser } from 'playwright-core';
import { scryptRunning } from '../src/auth/passwords';
import { AuthService } from '../src/auth/auth.service';
import { launchChromium } from './support/browser';
import { DashboardClient, type Json } from './support/dashboard-client';
import { EpisodeResults } from './support/episode-results';
import { startTestDashboard, type TestDashboard } from './support/test-dashboard';

// The dashboard attacked as an attacker would, in process over the real Kafka and PostgreSQL, with a local
// OpenID Connect provider (oidc-provider) on loopback and Debian's Chromium. Clients at other addresses are
// stood for with X-Forwarded-For (DASHBOARD_TRUSTED_PROXIES=loopback, as behind the hospital's reverse proxy).

const ROOT = path.join(__dirname, '../../..');
const PASSWORDS = { admin: randomUUID(), op: randomUUID(), viewer: randomUUID() };
const DAY = '2024-05-08';
const OIDC_CLIENT = { id: 'billing-dashboard', secret: randomUUID() };
const runs: Record<string, number> = {};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((counts, s) => ({ ...counts, [s]: (counts[s] ?? 0) + 1 }), {});

describe('the billing dashboard under attack', () => {
  let dashboard: TestDashboard;
  let prefix: string;
  const run = String(Date.now()).slice(-8);
  let schema: TestSchema;
  let app: NestExpressApplication;
  let publisher: KafkaPublisher;
  let provider: ChildProcess;
  let browser: Browser | undefined;
  let url: string;
  let origin: string;
  let admin: DashboardClient;
  let operator: DashboardClient;
  let viewer: DashboardClient;
  let adminDevice: string;
  let visitId: string;
  let episode: EpisodeResults;

  /** A sign-in attempt from `address`, as the page sends it. */
  const signIn = (
    username: string,
    password: string,
    address: string,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, 'x-forwarded-for': address, ...headers },
      body: JSON.stringify({ username, password }),
    });

  const audit = async (): Promise<Json[]> => (await admin.get('/api/admin/sign-ins?page_size=200')).items;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    origin = url;
    provider = spawn(
      process.execPath,
      [
        path.join(__dirname, 'support/oidc-provider.mjs'),
        OIDC_CLIENT.id,
        OIDC_CLIENT.secret,
        `${url}/api/session/oidc/callback`,
      ],
      { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const issuer = await new Promise<string>((resolve, reject) => {
      provider.stdout!.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString()).issuer));
      provider.once('exit', (code) => reject(new Error(`the OIDC provider exited (${code})`)));
    });

    dashboard = await startTestDashboard(
      'dashboard_security',
      {
        DASHBOARD_BOOTSTRAP_USERS: `admin:${PASSWORDS.admin}:admin,op:${PASSWORDS.op}:operator,viewer:${PASSWORDS.viewer}:viewer`,
        DASHBOARD_WEB_DIR: '/nonexistent/web',
        DASHBOARD_TRUSTED_PROXIES: 'loopback',
        // Plain http on loopback, as in development: Chromium keeps the cookies without TLS.
        HTTP_HOST: '127.0.0.1',
        DASHBOARD_OIDC_ISSUER: issuer,
        DASHBOARD_OIDC_CLIENT_ID: OIDC_CLIENT.id,
        DASHBOARD_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
        DASHBOARD_OIDC_REDIRECT_URI: `${url}/api/session/oidc/callback`,
        DASHBOARD_OIDC_ROLES: '{"billing-office":"operator","it-admins":"admin"}',
        // The services the dashboard asks on a request are away (port 9 is discard's, nothing listens here): their
        // routes are fuzzed for what the dashboard itself answers before and instead of them.
        RECONCILIATION_URL: 'http://127.0.0.1:9',
        DASHBOARD_CATALOGUE_URL: 'http://127.0.0.1:9',
        DASHBOARD_OIDC_ALLOW_HTTP: 'true',
      },
      port,
    );
    ({ app, schema, prefix } = dashboard);

    // The admin's own workstation: signed in once, so its browser holds a device cookie.
    const first = await signIn('admin', PASSWORDS.admin, '10.9.0.1');
    expect(first.status).toBe(200);
    adminDevice = first.headers
      .getSetCookie()
      .find((c) => c.startsWith('yb_dashboard_device='))!
      .split(';')[0]!;
    [admin, operator, viewer] = await Promise.all([
      DashboardClient.signIn(url, 'admin', PASSWORDS.admin),
      DashboardClient.signIn(url, 'op', PASSWORDS.op),
      DashboardClient.signIn(url, 'viewer', PASSWORDS.viewer),
    ]);

    publisher = new KafkaPublisher(testKafka());
    await publisher.connect();
    episode = new EpisodeResults(publisher, prefix, {
      ipt_no: `ZS${run}01`,
      day: DAY,
      certno: '420102198001011234',
    });
    await episode.publish([...episode.admission(), ...episode.blockingFinding()]);
    visitId = (
      await waitFor('the visit waiting for its finding', async () => {
        const visit = ((await viewer.get('/api/visits?page_size=200')).items as Json[]).find(
          (v) => v.ipt_no === episode.options.ipt_no,
        );
        if (visit?.saga_state === 'WAITING_FOR_PERSON') return visit;
        throw new Error(`the visit is ${JSON.stringify(visit)}`);
      })
    ).visit_id;
  }, 120_000);

  afterAll(async () => {
    console.log(`security suite property runs: ${JSON.stringify(runs)}`);
    await browser?.close();
    await publisher?.disconnect();
    await dashboard?.stop();
    provider?.stdin?.end();
  });

  describe('sign-in', () => {
    it('200 parallel wrong passwords from one address: exactly 5 are checked, 195 refused before any check', async () => {
      const statuses = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          signIn('viewer', `guess-${i}`, '10.1.0.1').then((r) => r.status),
        ),
      );
      expect(tally(statuses)).toEqual({ 401: 5, 429: 195 });
      const entries = (await audit()).filter((e) => e.address === '10.1.0.1');
      expect(tally(entries.map((e) => (e.outcome === 'WRONG_PASSWORD' ? 401 : 429)))).toEqual({
        401: 5,
        429: 195,
      });
      // The right password from that address is refused too, for the lock's time; viewer elsewhere is not.
      expect((await signIn('viewer', PASSWORDS.viewer, '10.1.0.1')).status).toBe(429);
      expect((await signIn('viewer', PASSWORDS.viewer, '10.1.0.2')).status).toBe(200);
    });

    it("200 parallel wrong passwords for admin from 200 addresses: 10 checked; admin's own browser still signs in", async () => {
      const statuses = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          signIn('admin', `guess-${i}`, `10.2.${Math.floor(i / 100)}.${i % 100}`).then((r) => r.status),
        ),
      );
      expect(tally(statuses)).toEqual({ 401: 10, 429: 190 });
      // A new browser is locked out for now; the workstation's browser (device cookie) is not, from anywhere.
      expect((await signIn('admin', PASSWORDS.admin, '10.9.0.7')).status).toBe(429);
      expect((await signIn('admin', PASSWORDS.admin, '10.9.0.8', { cookie: adminDevice })).status).toBe(200);
      // Another user's device cookie does not help.
      const viewerDevice = (await signIn('viewer', PASSWORDS.viewer, '10.9.0.9')).headers
        .getSetCookie()
        .find((c) => c.startsWith('yb_dashboard_device='))!
        .split(';')[0]!;
      expect((await signIn('admin', PASSWORDS.admin, '10.9.0.10', { cookie: viewerDevice })).status).toBe(
        429,
      );
      expect((await audit()).some((e) => e.username === 'admin' && e.outcome === 'USER_LOCKED')).toBe(true);
    });

    it('a burst of sign-ins: at most two scrypt computations at once, the excess answered 503 at once', async () => {
      let most = 0;
      const sampler = setInterval(() => (most = Math.max(most, scryptRunning())), 1);
      const statuses = await Promise.all(
        Array.from({ length: 120 }, (_, i) =>
          signIn(`ghost-${run}-${i}`, 'x', `10.3.0.${i}`).then((r) => r.status),
        ),
      );
      clearInterval(sampler);
      const counts = tally(statuses);
      expect(Object.keys(counts).sort()).toEqual(['401', '503']);
      expect(counts[503]).toBeGreaterThan(0);
      expect(most).toBeGreaterThan(0);
      expect(most).toBeLessThanOrEqual(2);
      expect((await audit()).some((e) => e.outcome === 'BUSY')).toBe(true);
    });

    it('failure records expire: a lock ends with its time, and expired counters are pruned', async () => {
      for (let i = 0; i < 6; i += 1) await signIn('op', `guess-${i}`, '10.4.0.1');
      expect((await signIn('op', PASSWORDS.op, '10.4.0.1')).status).toBe(429);
      await withClient(schema.databaseUrl, (c) =>
        c.query(
          `UPDATE "${schema.schema}".dash_sign_in_failures
           SET window_ends = now() - interval '1 second', locked_until = now() - interval '1 second'
           WHERE subject = '10.4.0.1'`,
        ),
      );
      expect((await signIn('op', PASSWORDS.op, '10.4.0.1')).status).toBe(200);
      await withClient(schema.databaseUrl, (c) =>
        c.query(
          `UPDATE "${schema.schema}".dash_sign_in_failures SET window_ends = now() - interval '1 second',
           locked_until = NULL WHERE subject = '10.4.0.1'`,
        ),
      );
      await app.get(AuthService).pruneExpired();
      const left = await withClient(schema.databaseUrl, (c) =>
        c.query(`SELECT 1 FROM "${schema.schema}".dash_sign_in_failures WHERE subject = '10.4.0.1'`),
      );
      expect(left.rows).toEqual([]);
    });

    it('session, CSRF and device tokens come from crypto.randomBytes', async () => {
      const fixed = (size: number) => Buffer.alloc(size, 7);
      const randomBytes = jest.spyOn(crypto, 'randomBytes').mockImplementation(fixed as never);
      let response: Response;
      try {
        response = await signIn('viewer', PASSWORDS.viewer, '10.5.0.1');
      } finally {
        randomBytes.mockRestore();
      }
      const expected = fixed(32).toString('base64url');
      expect(response.headers.getSetCookie()).toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`^yb_dashboard_session=${expected};`)),
          expect.stringMatching(new RegExp(`^yb_dashboard_device=${expected};.*Path=/api/session;`)),
        ]),
      );
      const device = response.headers.getSetCookie().find((c) => c.startsWith('yb_dashboard_device='))!;
      expect(device).toMatch(/; HttpOnly/);
      expect(device).toMatch(/; SameSite=Strict/);
      expect(((await response.json()) as Json).csrf_token).toBe(expected);
      // That predictable session goes.
      await withClient(schema.databaseUrl, (c) =>
        c.query(`DELETE FROM "${schema.schema}".dash_sessions WHERE csrf_token = $1`, [expected]),
      );
    });

    it('no Math.random in the product’s sources, but for the retry back-off jitter (not a secret)', () => {
      const found: string[] = [];
      const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const file = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(file);
          else if (/\.(ts|tsx|js|mjs)$/.test(entry.name) && !/\.spec\.|\.d\.ts$/.test(entry.name)) {
            // Code, not comments (sm2.ts explains why it does not rely on Math.random).
            const code = fs
              .readFileSync(file, 'utf8')
              .split('\n')
              .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line));
            if (code.some((line) => line.includes('Math.random'))) found.push(path.relative(ROOT, file));
          }
        }
      };
      for (const kind of ['apps', 'libs', 'tools']) {
        // libs/testing is the tests' own support (unique test names), not the product.
        for (const project of fs.readdirSync(path.join(ROOT, kind)).filter((p) => p !== 'testing')) {
          const src = path.join(ROOT, kind, project, 'src');
          if (fs.existsSync(src)) walk(src);
        }
      }
      expect(found.sort()).toEqual(['libs/messaging/src/retry-policy.ts']);
    });
  });

  describe('state changes from elsewhere', () => {
    const acknowledge = `/api/visits/:visit/findings/:jr/acknowledge`;
    const route = () => acknowledge.replace(':visit', visitId).replace(':jr', episode.jr_id);
    const actionsRecorded = async () => (await admin.get(`/api/visits/${visitId}`)).operator_actions.length;

    it('refuses a cross-site form, a text body, a foreign Origin, no Origin, no or a wrong CSRF token; sends nothing', async () => {
      const before = await actionsRecorded();
      const post = (headers: Record<string, string>, body: string) =>
        fetch(`${url}${route()}`, {
          method: 'POST',
          headers: { cookie: operator.sessionCookie!, ...headers },
          body,
        });
      const json = JSON.stringify({ comment: '已核实' });
      const cases: [string, Record<string, string>, string, number][] = [
        [
          'a same-site HTML form',
          { 'content-type': 'application/x-www-form-urlencoded', origin },
          'comment=x',
          415,
        ],
        ['a text/plain "simple request"', { 'content-type': 'text/plain', origin }, json, 415],
        [
          'a foreign Origin',
          {
            'content-type': 'application/json',
            origin: 'https://evil.example',
            'x-csrf-token': operator.csrfToken!,
          },
          json,
          403,
        ],
        [
          'a foreign Referer and no Origin',
          {
            'content-type': 'application/json',
            referer: 'https://evil.example/x',
            'x-csrf-token': operator.csrfToken!,
          },
          json,
          403,
        ],
        [
          'no Origin nor Referer',
          { 'content-type': 'application/json', 'x-csrf-token': operator.csrfToken! },
          json,
          403,
        ],
        ['no CSRF token', { 'content-type': 'application/json', origin }, json, 403],
        [
          'another session’s CSRF token',
          { 'content-type': 'application/json', origin, 'x-csrf-token': admin.csrfToken! },
          json,
          403,
        ],
      ];
      for (const [what, headers, body, status] of cases) {
        expect([what, (await post(headers, body)).status]).toEqual([what, status]);
      }
      expect(await actionsRecorded()).toBe(before);
      // The page's own request goes through.
      expect((await operator.request('POST', route(), { comment: '已核实' })).status).toBe(202);
      await waitFor('the action recorded', async () =>
        (await actionsRecorded()) === before + 1 ? true : undefined,
      );
    });

    it('refuses sign-in from another origin (login CSRF) and sign-out without the CSRF token', async () => {
      expect(
        (await signIn('viewer', PASSWORDS.viewer, '10.6.0.1', { origin: 'https://evil.example' })).status,
      ).toBe(403);
      const client = await DashboardClient.signIn(url, 'viewer', PASSWORDS.viewer);
      expect(
        (await client.request('DELETE', '/api/session', undefined, { 'x-csrf-token': 'forged' })).status,
      ).toBe(403);
      expect((await client.request('GET', '/api/session')).status).toBe(200);
      expect((await client.request('DELETE', '/api/session')).status).toBe(204);
      expect((await client.request('GET', '/api/session')).status).toBe(401);
    });
  });

  describe('edges', () => {
    it("sends helmet's headers and keeps API answers out of caches", async () => {
      const response = await fetch(`${url}/api/session/methods`);
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-powered-by')).toBeNull();
      expect(await response.json()).toEqual({ password: true, oidc: true });
    });

    it('serves the OpenAPI pages to signed-in admins only', async () => {
      for (const route of ['/api/docs', '/api/docs-json']) {
        expect([route, (await DashboardClient.anonymous(url).request('GET', route)).status]).toEqual([
          route,
          401,
        ]);
        expect([route, (await viewer.request('GET', route)).status]).toEqual([route, 403]);
        expect([route, (await operator.request('GET', route)).status]).toEqual([route, 403]);
        expect([route, (await admin.request('GET', route)).status]).toEqual([route, 200]);
      }
    });

    it('declares the session cookie and a response schema for every operation; a validator accepts the document', async () => {
      const document = await admin.get('/api/docs-json');
      await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeDefined();
      // What `redocly lint` runs (its recommended rules: security-defined found the review's 22 operations).
      const lint = await lintFromString({
        source: JSON.stringify(document),
        absoluteRef: 'dashboard-openapi.json',
        config: await createConfig({ extends: ['recommended'] }),
      });
      const errors = lint.filter((problem) => problem.severity === 'error');
      expect(
        errors.map((problem) => `${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`),
      ).toEqual([]);
      expect(document.components.securitySchemes).toMatchObject({
        session: { type: 'apiKey', in: 'cookie', name: 'yb_dashboard_session' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
      });
      const operations = Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(
        ([route, methods]) => Object.entries(methods).map(([method, op]) => ({ route, method, op })),
      );
      expect(operations.length).toBeGreaterThan(20);
      const PUBLIC = [
        'post /api/session',
        'get /api/session/methods',
        'get /api/session/oidc',
        'get /api/session/oidc/callback',
      ];
      for (const { route, method, op } of operations) {
        const name = `${method} ${route}`;
        const required = PUBLIC.includes(name)
          ? []
          : method === 'get'
            ? [{ session: [] }]
            : [{ session: [], csrf: [] }];
        expect([name, op.security]).toEqual([name, required]);
        const success = Object.entries(op.responses as Record<string, Json>).filter(([code]) =>
          /^[23]/.test(code),
        );
        expect([name, success.length > 0]).toEqual([name, true]);
        for (const [code, answer] of success) {
          const described = code === '204' || code === '302' || answer.content !== undefined;
          expect([name, code, described]).toEqual([name, code, true]);
        }
      }
    });

    it('answers 400, never 500, to an impossible date, a NUL byte, a malformed cookie or JSON', async () => {
      expect((await viewer.request('GET', '/api/visits?from=2024-02-30')).status).toBe(400);
      expect((await viewer.request('GET', '/api/overview?date=2024-13-45')).status).toBe(400);
      expect((await viewer.request('GET', '/api/visits?department=%00')).status).toBe(400);
      expect((await viewer.request('GET', '/api/sagas/%00/timeline')).status).toBe(400);
      const malformed = await fetch(`${url}/api/visits`, {
        headers: { cookie: 'yb_dashboard_session=%E0%A4%A' },
      });
      expect(malformed.status).toBe(401);
      const badJson = await fetch(`${url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: '{"username":',
      });
      expect(badJson.status).toBe(400);
      expect(await badJson.json()).toMatchObject({ statusCode: 400 });
    });

    it('fuzzed over every route with fast-check: no input answers 5xx', async () => {
      const uuid = () => fc.oneof(fc.uuid(), fc.constant(visitId));
      const segment = fc.oneof(
        fc.string({ maxLength: 40 }).map(encodeURIComponent),
        fc.fullUnicodeString({ maxLength: 20 }).map(encodeURIComponent),
        fc.constantFrom('%E0%A4%A', '%00', '%', '..%2F..', 'x'.repeat(300), '2024-05-08', '2024-02-30'),
        uuid(),
      );
      const value = fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.fullUnicodeString({ maxLength: 10 }),
        fc.constantFrom(
          '2024-02-30',
          '2024-05-08',
          '0000-00-00',
          '9999-12-31',
          '1e400',
          '-1',
          'NaN',
          '\u0000',
          'true',
        ),
        fc.integer().map(String),
      );
      const query = fc
        .array(
          fc.tuple(
            fc.constantFrom(
              'page',
              'page_size',
              'from',
              'to',
              'department',
              'insutype',
              'state',
              'in_hospital',
              'status',
              'blocking',
              'infno',
              'date',
              'days',
              'q',
              'list_type',
              'setlym',
              'x',
            ),
            value,
          ),
          { maxLength: 4 },
        )
        .map((pairs) => new URLSearchParams(pairs).toString());
      const body = fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc
          .record(
            {
              comment: value,
              saga_id: value,
              setl_id: value,
              undo_discharge: fc.anything(),
              reason: value,
              infno: value,
              report_ref: value,
              run_date: value,
              request_id: fc.oneof(fc.uuid(), value),
              username: value,
              password: value,
              explanation: value,
              med_list_codg: value,
              begndate: value,
              enddate: value,
              csv: fc.oneof(
                value,
                fc
                  .array(fc.tuple(value, value, fc.constantFrom('101', '201', '9', '')), { maxLength: 3 })
                  .map((rows) =>
                    [
                      'fixmedins_hilist_id,fixmedins_hilist_name,list_type',
                      ...rows.map((r) => r.join(',')),
                    ].join('\n'),
                  ),
              ),
            },
            { requiredKeys: [] },
          )
          .map((v) => JSON.stringify(v)),
        fc.constantFrom('{', '[]', 'null', '"x"', '{"__proto__":{"x":1}}', '{"comment":"x","comment":"y"}'),
      );
      const READS = [
        '/api/overview',
        '/api/visits',
        '/api/visits/:id',
        '/api/settlements',
        '/api/sagas',
        '/api/sagas/:s/timeline',
        '/api/findings',
        '/api/reports',
        '/api/reports/backlog',
        '/api/platform-health',
        '/api/queue',
        '/api/operator-actions',
        '/api/session',
        '/api/session/methods',
        '/api/admin/read-models',
        '/api/admin/sign-ins',
        '/api/reconciliation',
        '/api/reconciliation/:s',
        '/api/catalogue/items',
        '/api/catalogue/items/export.csv',
        '/api/catalogue/held-lines',
        '/api/clearing',
        '/api/clearing/month',
        '/api/clearing/printout.pdf',
        '/api/catalogue/lookup',
        '/api/catalogue/lookup/:s',
      ];
      const CHANGES = [
        '/api/visits/:id/retry-settlement',
        '/api/visits/:id/cancel-settlement',
        '/api/visits/:id/findings/:s/acknowledge',
        '/api/visits/:id/reports/rerun',
        '/api/reports/run-uploads',
        '/api/session',
        '/api/reconciliation/:s/run',
        '/api/reconciliation/:s/differences/:id/explain',
        '/api/catalogue/items/:s/map',
        '/api/catalogue/items/:s/withdraw',
        '/api/catalogue/held-lines/:s/decide',
        '/api/catalogue/items/import',
        '/api/clearing/applications',
        '/api/clearing/applications/withdrawal',
      ];
      // Asked of another service on the request: with that service away, 503 saying so is the right answer.
      const ASKS_A_SERVICE = /^\/api\/(clearing\/(month|printout|applications)|catalogue\/lookup)/;
      const fill = (route: string, id: string, s: string) => route.replace(':id', id).replace(':s', s);
      const seen: Record<number, number> = {};
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({
              kind: fc.constant('read' as const),
              route: fc.constantFrom(...READS),
              id: segment,
              s: segment,
              query,
              as: fc.constantFrom(viewer, admin),
            }),
            fc.record({
              kind: fc.constant('change' as const),
              route: fc.constantFrom(...CHANGES),
              id: segment,
              s: segment,
              query,
              body,
              as: fc.constantFrom(operator, admin),
            }),
          ),
          async (input) => {
            runs.fuzz = (runs.fuzz ?? 0) + 1;
            const target = `${fill(input.route, input.id, input.s)}?${input.query}`;
            const response =
              input.kind === 'read'
                ? await fetch(`${url}${target}`, { headers: { cookie: input.as.sessionCookie! } })
                : await fetch(`${url}${target}`, {
                    method: 'POST',
                    headers: {
                      cookie: input.as.sessionCookie!,
                      origin,
                      'content-type': 'application/json',
                      'x-csrf-token': input.as.csrfToken!,
                    },
                    body: input.body,
                  });
            seen[response.status] = (seen[response.status] ?? 0) + 1;
            const serviceAway =
              response.status === 503 &&
              ASKS_A_SERVICE.test(target) &&
              /unreachable|暂时无法访问/.test(await response.text());
            expect([target, response.status < 500 || serviceAway]).toEqual([target, true]);
          },
        ),
        { numRuns: 400 },
      );
      // The fuzz reached past the validation too (not only 400s).
      expect(Object.keys(seen).length).toBeGreaterThan(2);
      console.log(`fuzz statuses: ${JSON.stringify(seen)}`);
    });

    it('ends live-update streams at sign-out: at once here, and when another process signs the session out', async () => {
      const open = async (client: DashboardClient) => {
        const response = await fetch(`${url}/api/stream`, {
          headers: { cookie: client.sessionCookie!, accept: 'text/event-stream' },
        });
        const reader = response.body!.getReader();
        return async () => {
          for (;;) if ((await reader.read()).done) return Date.now();
        };
      };
      const here = await DashboardClient.signIn(url, 'viewer', PASSWORDS.viewer);
      const ended = (await open(here))();
      const signedOutAt = Date.now();
      expect((await here.request('DELETE', '/api/session')).status).toBe(204);
      expect((await ended) - signedOutAt).toBeLessThan(2_000);

      const elsewhere = await DashboardClient.signIn(url, 'viewer', PASSWORDS.viewer);
      const endedToo = (await open(elsewhere))();
      const removedAt = Date.now();
      await withClient(schema.databaseUrl, (c) =>
        c.query(`DELETE FROM "${schema.schema}".dash_sessions WHERE csrf_token = $1`, [elsewhere.csrfToken]),
      );
      expect((await endedToo) - removedAt).toBeLessThan(8_000);
    });
  });

  describe('patient identifiers', () => {
    it('none in the API answers viewers and operators get (generated patients, the platform quoting them in err_msg); admins see them', async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(patientArbitrary, freeTextArbitrary, async (patient, words) => {
          runs.api = (runs.api ?? 0) + 1;
          n += 1;
          const visit = new EpisodeResults(publisher, prefix, {
            ipt_no: `ZP${run}${String(n).padStart(3, '0')}`,
            day: DAY,
            certno: patient.certno,
            patient: { psn_name: patient.psn_name, tel: patient.mobileWritten, psn_no: patient.psn_no },
          });
          const err_msg = `${words}参保人${patient.psn_name}（${patient.psn_no}）证件${patient.certno}，旧证${patient.certno15}，电话${patient.mobileWritten}${words}`;
          await visit.publish([...visit.admission(), ...visit.platformRejected('2403', err_msg)]);
          const id = await waitFor('the rejection on the visit', async () => {
            const v = ((await admin.get('/api/visits?page_size=200')).items as Json[]).find(
              (x) => x.ipt_no === visit.options.ipt_no,
            );
            if (v?.attention_kind === 'PLATFORM_REJECTED') return v.visit_id as string;
            throw new Error(`the visit is ${JSON.stringify(v)}`);
          });
          const routes = ['/api/visits?page_size=200', `/api/visits/${id}`, '/api/queue'];
          // The admin's answers hold them: so the check below can fail.
          expect(JSON.stringify(await admin.get(`/api/visits/${id}`))).toContain(patient.psn_name);
          for (const client of [viewer, operator]) {
            for (const route of routes) {
              const text = JSON.stringify(await client.get(route));
              expect([route, identifierValues(patient).filter((v) => text.includes(v))]).toEqual([route, []]);
            }
          }
        }),
        { numRuns: 12 },
      );
    });
  });

  describe('sign-in through the hospital’s identity provider (OpenID Connect)', () => {
    const viaProvider = async (login: string) => {
      browser ??= await launchChromium();
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${url}/api/session/oidc`);
      await page.fill('input[name=login]', login);
      await page.fill('input[name=password]', 'any');
      await page.click('button[type=submit]');
      await page.click('button[type=submit]');
      await page.waitForURL(/127\.0\.0\.1:\d+\/(\?oidc_error=1)?$/);
      const session = await page.evaluate(async () => {
        const response = await fetch('/api/session');
        return { status: response.status, body: await response.json() };
      });
      return { page, session };
    };

    it('signs a billing-office member in as an operator, with the audit', async () => {
      const { session } = await viaProvider('zhangsan');
      expect(session).toMatchObject({ status: 200, body: { username: 'oidc:zhangsan', role: 'operator' } });
      expect(
        (await audit()).some(
          (e) => e.username === 'oidc:zhangsan' && e.method === 'oidc' && e.outcome === 'SIGNED_IN',
        ),
      ).toBe(true);
    });

    it('refuses an account with no dashboard role, and a callback link replayed in another browser', async () => {
      const { page, session } = await viaProvider('nobody-lisi');
      expect(page.url()).toMatch(/\?oidc_error=1$/);
      expect(session.status).toBe(401);
      // An attacker's own callback (code and state) opened in the victim's browser signs nobody in.
      const attacker = await (await browser!.newContext()).newPage();
      let callback = '';
      attacker.on('request', (request) => {
        if (request.url().includes('/api/session/oidc/callback')) callback = request.url();
      });
      await attacker.route('**/api/session/oidc/callback*', (route) => route.abort());
      await attacker.goto(`${url}/api/session/oidc`);
      await attacker.fill('input[name=login]', 'wangwu');
      await attacker.fill('input[name=password]', 'any');
      await attacker.click('button[type=submit]');
      await attacker.click('button[type=submit]').catch(() => undefined);
      await waitFor('the attacker’s callback URL', () => callback || undefined);
      const victim = await (await browser!.newContext()).newPage();
      await victim.goto(callback);
      await victim.waitForURL(/\?oidc_error=1$/);
      expect(await victim.evaluate(async () => (await fetch('/api/session')).status)).toBe(401);
    });
  });
});
