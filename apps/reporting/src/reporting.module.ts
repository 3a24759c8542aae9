import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { EventStore } from '@yb/event-store';
import { KafkaConsumerHost } from '@yb/messaging';
import { type Telemetry } from '@yb/observability';
import { PlatformCallJournal, PlatformClient } from '@yb/platform-client';
import { REPORT_INFNOS } from '@yb/contracts';
import { Gauge } from 'prom-client';
import { type ServiceMetrics } from '@yb/observability';
import {
  PlatformCallRecovery,
  SERVICE_LOGGER,
  SERVICE_METRICS,
  ServiceRuntimeModule,
  StreamCacheMetrics,
  type ServiceConfig,
} from '@yb/service-runtime';
import { DataSource } from 'typeorm';
import { registerReportingHandlers } from './inbound/reporting-handlers';
import { ReportWorkflow } from './report/report-workflow';
import { type ReportingConfig } from './reporting-config';
import { reportingTopics } from './reporting-topics';
import { ReportScheduler } from './inbound/report-scheduler';
import { ReportUploads } from './platform/report-uploads';

export const REPORTING_HTTP_PORT = 8785;

/**
 * Handlers are registered before the runtime starts its consumer (onModuleInit); the schedule starts once
 * the runtime is up (onApplicationBootstrap, after its sign-in and recovery) and stops first at shutdown,
 * letting the report in hand finish.
 */
@Injectable()
class ReportingRegistrations implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(KafkaConsumerHost) private readonly host: KafkaConsumerHost,
    @Inject(ReportWorkflow) private readonly reports: ReportWorkflow,
    @Inject(ReportUploads) private readonly uploads: ReportUploads,
    @Inject(ReportScheduler) private readonly scheduler: ReportScheduler,
    @Inject(PlatformCallRecovery) private readonly recovery: PlatformCallRecovery,
  ) {}

  onModuleInit(): void {
    registerReportingHandlers(this.host, this.reports, this.uploads);
    // An upload a crash left unsettled is resolved by its report on the next run (ReportUploads), which
    // knows the content to repeat; start-up recovery leaves it UNKNOWN until then, saying so.
    this.recovery.resolveWith([...REPORT_INFNOS, '4102'], () =>
      Promise.reject(
        new Error('left to the report’s next run, which repeats the upload to learn its outcome'),
      ),
    );
  }

  onApplicationBootstrap(): Promise<void> {
    return this.scheduler.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.scheduler.stop();
  }
}

/** The reporting service: 4101A, 4401, 4402 and 4501–4506 uploads, daily and on demand. */
@Module({})
export class ReportingModule {
  static forRoot(config: ServiceConfig, reporting: ReportingConfig, telemetry?: Telemetry): DynamicModule {
    const topics = reportingTopics(config);
    const hospital = {
      fixmedins_code: config.platform.fixmedins_code,
      fixmedins_name: config.platform.fixmedins_name,
    };
    return {
      module: ReportingModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          telemetry,
          consumes: [topics.hisInpatient, topics.hisClinical, topics.insuranceInpatient, topics.commands],
        }),
      ],
      providers: [
        {
          provide: ReportWorkflow,
          inject: [EventStore, StreamCacheMetrics],
          useFactory: (store: EventStore, caches: StreamCacheMetrics) =>
            caches.registered(new ReportWorkflow(store, topics.insuranceInpatient)),
        },
        {
          provide: ReportUploads,
          inject: [ReportWorkflow, PlatformClient, DataSource, SERVICE_METRICS, SERVICE_LOGGER],
          useFactory: (
            reports: ReportWorkflow,
            client: PlatformClient,
            dataSource: DataSource,
            metrics: ServiceMetrics,
            logger: ConstructorParameters<typeof ReportUploads>[6],
          ) =>
            new ReportUploads(
              reports,
              client,
              new PlatformCallJournal(dataSource),
              reporting,
              hospital,
              topics.insuranceInpatient,
              logger,
              new Gauge({
                name: 'yb_reporting_reports',
                help: 'Reports owed to the platform after the last run, by infno and state (waiting, overdue, rejected)',
                labelNames: ['infno', 'state'],
                registers: [metrics.registry],
              }),
            ),
        },
        {
          provide: ReportScheduler,
          inject: [ReportWorkflow, ReportUploads, SERVICE_LOGGER],
          useFactory: (
            reports: ReportWorkflow,
            uploads: ReportUploads,
            logger: ConstructorParameters<typeof ReportScheduler>[3],
          ) => new ReportScheduler(reports, uploads, reporting, logger),
        },
        ReportingRegistrations,
      ],
    };
  }
}
