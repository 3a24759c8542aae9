import { Module, type DynamicModule } from '@nestjs/common';
import { type Telemetry } from '@yb/observability';
import { ServiceRuntimeModule, type ServiceConfig } from '@yb/service-runtime';
import { AuditCases } from './audit-case/audit-cases';
import { QualityHandlers } from './messages/quality-handlers';
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
        AuditCases,
        AuditRunner,
        QualityHandlers,
      ],
    };
  }
}
