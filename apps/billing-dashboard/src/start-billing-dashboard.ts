import fs from 'node:fs';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { PinoNestLogger, type Telemetry } from '@yb/observability';
import { SERVICE_LOGGER, serviceConfigFromEnv, type ServiceConfig } from '@yb/service-runtime';
import { type Logger } from 'pino';
import { BILLING_DASHBOARD_HTTP_PORT, BillingDashboardModule } from './billing-dashboard.module';
import { dashboardConfigFromEnv, type DashboardConfig } from './dashboard-config';

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
    { bufferLogs: true },
  );
  const logger = app.get<Logger>(SERVICE_LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  app.enableShutdownHooks();
  app.set('trust proxy', false);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('医保住院 · 收费处看板 API (billing dashboard)')
      .setDescription(
        'Read models of the inpatient insurance flow and the operator actions. Sign in with POST /api/session; ' +
          'the session cookie is HttpOnly and SameSite=Strict. Viewers read; operators and admins act; only ' +
          'admins see patient identifiers in clear.',
      )
      .setVersion('1')
      .build(),
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
  const app = await createDashboardApp(config, dashboardConfigFromEnv(), telemetry);
  await app.listen(config.httpPort, config.httpHost);
  const url = await app.getUrl();
  app.get<Logger>(SERVICE_LOGGER).info({ url }, `billing-dashboard listening on ${url}`);
}
