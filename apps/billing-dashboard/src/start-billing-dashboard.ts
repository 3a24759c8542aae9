import fs from 'node:fs';
import { type IncomingMessage } from 'node:http';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { PinoNestLogger, type Telemetry } from '@yb/observability';
import { SERVICE_LOGGER, serviceConfigFromEnv, type ServiceConfig } from '@yb/service-runtime';
import { type Logger } from 'pino';
import { BILLING_DASHBOARD_HTTP_PORT, BillingDashboardModule } from './billing-dashboard.module';
import { AuthService } from './auth/auth.service';
import { adminOnly, CSRF_SECURITY, SESSION_COOKIE, SESSION_SECURITY } from './auth/session.guard';
import { dashboardConfigFromEnv, type DashboardConfig } from './dashboard-config';
import { BadInputFilter, badJson, noStore, securityHeaders, stateChangeEdges } from './http/edges';

const ITEM_IMPORT_ROUTE = '/api/catalogue/items/import';

/**
 * The dashboard's Nest application: the module, OpenAPI at /api/docs (JSON at /api/docs-json) and the built page
 * at `/`. Like bootstrapService (@yb/service-runtime), plus what only an HTTP product needs.
 */
export async function createDashboardApp(
  config: ServiceConfig,
  dashboard: DashboardConfig,
  telemetry?: Telemetry,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    BillingDashboardModule.forRoot(config, dashboard, telemetry),
    // JSON bodies only: the form and text parsers are never installed.
    { bufferLogs: true, bodyParser: false },
  );
  const logger = app.get<Logger>(SERVICE_LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  app.enableShutdownHooks();
  app.set('trust proxy', dashboard.trustedProxies);
  app.disable('x-powered-by');
  app.use(securityHeaders(dashboard));
  app.use('/api', noStore);
  app.use(stateChangeEdges(dashboard));
  // A CSV import of the hospital's item list is larger than any other request; everything else stays small.
  // (The edges above refuse any body that is not JSON.)
  app.useBodyParser('json', {
    limit: '4mb',
    type: (req: IncomingMessage) => req.url?.split('?')[0] === ITEM_IMPORT_ROUTE,
  });
  app.useBodyParser('json', { limit: '64kb' });
  app.use(badJson);
  app.useGlobalFilters(new BadInputFilter(app.getHttpAdapter()));
  app.use(['/api/docs', '/api/docs-json'], adminOnly(app.get(AuthService)));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('医保住院 · 收费处看板 API (billing dashboard)')
      .setDescription(
        'Read models of the inpatient insurance flow and the operator actions. Sign in with POST /api/session ' +
          '(or GET /api/session/oidc through the hospital’s identity provider); the session cookie is HttpOnly and ' +
          'SameSite=Strict. Every POST and DELETE sends JSON, a same-origin Origin and the session’s X-CSRF-Token. ' +
          'Viewers read; operators and admins act; only admins see patient identifiers in clear. This page is ' +
          'for signed-in admins.',
      )
      .setVersion('1')
      // Relative: the document is served by the dashboard it describes, wherever the hospital puts it.
      .addServer('/', 'This dashboard')
      .addCookieAuth(
        SESSION_COOKIE,
        { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Set by POST /api/session' },
        SESSION_SECURITY,
      )
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'X-CSRF-Token',
          description:
            'The csrf_token of the session answer; every POST and DELETE sends it, with a same-origin Origin',
        },
        CSRF_SECURITY,
      )
      .build(),
    // The dashboard's own API: the runtime's probes and metrics (/health, /metrics) are for the platform team.
    { include: [BillingDashboardModule] },
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  if (fs.existsSync(dashboard.webDir)) {
    app.useStaticAssets(dashboard.webDir, { index: 'index.html', maxAge: 0 });
  } else {
    logger.warn({ webDir: dashboard.webDir }, 'the web page is not built: the API runs without it');
  }
  return app;
}

/** Reads the configuration from the environment and starts the dashboard (main.ts, after telemetry). */
export async function startBillingDashboard(telemetry: Telemetry): Promise<void> {
  const config = serviceConfigFromEnv({
    serviceName: 'billing-dashboard',
    httpPort: BILLING_DASHBOARD_HTTP_PORT,
  });
  const dashboard = dashboardConfigFromEnv();
  const app = await createDashboardApp(config, dashboard, telemetry);
  await app.listen(config.httpPort, config.httpHost);
  const url = await app.getUrl();
  const logger = app.get<Logger>(SERVICE_LOGGER);
  logger.info({ url }, `billing-dashboard listening on ${url}`);
  if (!dashboard.secureCookie && !/^127\.|^localhost$|^::1$/.test(config.httpHost)) {
    logger.warn(
      'DASHBOARD_SECURE_COOKIE=false on a non-loopback address: session cookies travel without TLS',
    );
  }
}
