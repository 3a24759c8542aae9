import { type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger } from '@yb/observability';
import { type Logger } from 'pino';
import { type ServiceConfig } from './service-config';
import { SERVICE_CONFIG, SERVICE_LOGGER } from './tokens';

/**
 * Creates the service's Nest application (pino for Nest's own messages, shutdown hooks on SIGTERM/SIGINT),
 * starts it — migrations, 9001 sign-in, recovery, relay, consumer — and listens on HTTP_HOST:HTTP_PORT.
 * The root module must import ServiceRuntimeModule.forRoot(...).
 */
export async function bootstrapService(rootModule: Type | DynamicModule): Promise<INestApplication> {
  const app = await NestFactory.create(rootModule, { bufferLogs: true });
  const logger = app.get<Logger>(SERVICE_LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  app.enableShutdownHooks();
  const config = app.get<ServiceConfig>(SERVICE_CONFIG);
  await app.listen(config.httpPort, config.httpHost);
  const url = await app.getUrl();
  logger.info({ url }, `${config.serviceName} listening on ${url}`);
  return app;
}
