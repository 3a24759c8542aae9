import { Module, type DynamicModule } from '@nestjs/common';
import { EventStore } from '@yb/event-store';
import { type Telemetry } from '@yb/observability';
import { PlatformClient } from '@yb/platform-client';
import {
  PlatformWorkers,
  SERVICE_LOGGER,
  ServiceRuntimeModule,
  StreamCacheMetrics,
  type ServiceConfig,
} from '@yb/service-runtime';
import { type Logger } from 'pino';
import { ADMISSION_CONFIG, admissionConfigFromEnv, type AdmissionConfig } from './admission-config';
import { ADMISSION_TOPICS, admissionTopics } from './admission-topics';
import { AdmissionHandlers } from './inbound/admission-handlers';
import { VisitWorkflow } from './visit/visit-workflow';

export const ADMISSION_HTTP_PORT = 8781;

/** The admission service: 1101, 2001 and 2401–2407 for each inpatient visit, on the shared service runtime. */
@Module({})
export class AdmissionModule {
  static forRoot(
    config: ServiceConfig,
    telemetry?: Telemetry,
    settings: AdmissionConfig = admissionConfigFromEnv(),
  ): DynamicModule {
    const topics = admissionTopics(config);
    return {
      module: AdmissionModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          telemetry,
          consumes: [topics.hisInpatient, topics.commands, topics.insuranceInpatient],
        }),
      ],
      providers: [
        { provide: ADMISSION_TOPICS, useValue: topics },
        { provide: ADMISSION_CONFIG, useValue: settings },
        {
          provide: VisitWorkflow,
          inject: [EventStore, PlatformClient, PlatformWorkers, SERVICE_LOGGER, StreamCacheMetrics],
          useFactory: (
            store: EventStore,
            platform: PlatformClient,
            workers: PlatformWorkers,
            logger: Logger,
            caches: StreamCacheMetrics,
          ) =>
            caches.registered(new VisitWorkflow(store, platform, topics, config, settings, workers, logger)),
        },
        AdmissionHandlers,
      ],
    };
  }
}
