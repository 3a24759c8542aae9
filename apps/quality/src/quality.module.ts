import { Module, type DynamicModule } from '@nestjs/common';
import { EventStore } from '@yb/event-store';
import { type ServiceMetrics, type Telemetry } from '@yb/observability';
import { PlatformClient } from '@yb/platform-client';
import {
  SERVICE_LOGGER,
  SERVICE_METRICS,
  ServiceRuntimeModule,
  StreamCacheMetrics,
  type ServiceConfig,
} from '@yb/service-runtime';
import { type Logger } from 'pino';
import { AuditCaseWorkflow } from './audit-case/audit-case-workflow';
import { QualityHandlers } from './inbound/quality-handlers';
import { AuditRunner } from './platform/audit-runner';
import { type QualityConfig } from './quality-config';
import { QUALITY_CONFIG, QUALITY_TOPICS, qualityTopics } from './quality-topics';

export const QUALITY_HTTP_PORT = 8784;

/** The quality service: 3101 事前 and 3102 事中 audits of each inpatient visit, on the shared service runtime. */
@Module({})
export class QualityModule {
  static forRoot(config: ServiceConfig, quality: QualityConfig, telemetry?: Telemetry): DynamicModule {
    const topics = qualityTopics(config);
    return {
      module: QualityModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          telemetry,
          consumes: [topics.hisInpatient, topics.hisClinical, topics.insuranceInpatient, topics.commands],
        }),
      ],
      providers: [
        { provide: QUALITY_TOPICS, useValue: topics },
        { provide: QUALITY_CONFIG, useValue: quality },
        {
          provide: AuditCaseWorkflow,
          inject: [EventStore, SERVICE_METRICS, StreamCacheMetrics],
          useFactory: (store: EventStore, metrics: ServiceMetrics, caches: StreamCacheMetrics) =>
            caches.registered(new AuditCaseWorkflow(store, topics, quality, metrics)),
        },
        {
          provide: AuditRunner,
          inject: [AuditCaseWorkflow, PlatformClient, EventStore, SERVICE_LOGGER],
          useFactory: (
            cases: AuditCaseWorkflow,
            platform: PlatformClient,
            store: EventStore,
            logger: Logger,
          ) => new AuditRunner(cases, platform, store, quality, config, logger),
        },
        QualityHandlers,
      ],
    };
  }
}
