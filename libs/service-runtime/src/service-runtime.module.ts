import { Module, type DynamicModule } from '@nestjs/common';
import { createLogger, createMetrics } from '@yb/observability';
import { type Logger } from 'pino';
import { DatabaseModule } from './database.module';
import { HealthController } from './health.controller';
import { InboxAndJournalRetention } from './inbox-and-journal-retention';
import { ServiceMessagingModule } from './messaging.module';
import { MetricsController } from './metrics.controller';
import { PlatformModule } from './platform.module';
import { PlatformWorkers } from './platform-worker';
import { ReplicaName } from './replica-name';
import { SagaStateMetrics } from './saga-state-metrics';
import { StreamCacheMetrics } from './stream-cache-metrics';
import { ScrapeTimeMetrics } from './scrape-time-metrics';
import { ServiceLifecycle } from './service-lifecycle';
import { type ServiceRuntimeOptions } from './service-runtime-options';
import { SERVICE_CONFIG, SERVICE_LOGGER, SERVICE_METRICS, SERVICE_RUNTIME_OPTIONS } from './tokens';

/** Configuration, logger and metrics, visible to every module of the service. */
@Module({})
class ServiceBasicsModule {
  static forRoot(options: ServiceRuntimeOptions): DynamicModule {
    return {
      module: ServiceBasicsModule,
      global: true,
      providers: [
        { provide: SERVICE_RUNTIME_OPTIONS, useValue: options },
        { provide: SERVICE_CONFIG, useValue: options.config },
        {
          provide: SERVICE_LOGGER,
          useFactory: () => createLogger({ serviceName: options.config.serviceName }),
        },
        { provide: SERVICE_METRICS, useFactory: () => createMetrics(options.config.serviceName) },
        {
          provide: ReplicaName,
          inject: [SERVICE_LOGGER],
          useFactory: (logger: Logger) =>
            new ReplicaName(
              options.config.databaseUrl,
              options.config.schema,
              options.config.replicaId,
              logger,
            ),
        },
      ],
      exports: [SERVICE_RUNTIME_OPTIONS, SERVICE_CONFIG, SERVICE_LOGGER, SERVICE_METRICS, ReplicaName],
    };
  }
}

/**
 * What every service shares, as one global module: import `ServiceRuntimeModule.forRoot({ config, consumes })`
 * in the service's root module, inject what it exports, register message handlers on KafkaConsumerHost (and
 * resolvers on PlatformCallRecovery, saga state counts on SagaStateMetrics) in onModuleInit, and command handlers'
 * caches on StreamCacheMetrics where their workflows are made (`registered`, which reads `streamCaches()`).
 * GET /health/live, /health/ready and /metrics are served; ServiceLifecycle orders start-up and shutdown.
 */
@Module({})
export class ServiceRuntimeModule {
  static forRoot(options: ServiceRuntimeOptions): DynamicModule {
    return {
      module: ServiceRuntimeModule,
      global: true,
      imports: [ServiceBasicsModule.forRoot(options), DatabaseModule, ServiceMessagingModule, PlatformModule],
      controllers: [HealthController, MetricsController],
      providers: [
        ServiceLifecycle,
        SagaStateMetrics,
        StreamCacheMetrics,
        PlatformWorkers,
        ScrapeTimeMetrics,
        InboxAndJournalRetention,
      ],
      exports: [
        ServiceBasicsModule,
        DatabaseModule,
        ServiceMessagingModule,
        PlatformModule,
        ServiceLifecycle,
        SagaStateMetrics,
        StreamCacheMetrics,
        PlatformWorkers,
        InboxAndJournalRetention,
      ],
    };
  }
}
