import { Module, type DynamicModule } from '@nestjs/common';
import { type Telemetry } from '@yb/observability';
import { SERVICE_CONFIG, ServiceRuntimeModule, type ServiceConfig } from '@yb/service-runtime';
import { DataSource } from 'typeorm';
import { ActionsController } from './actions/actions.controller';
import { OperatorActions } from './actions/operator-actions';
import { CatalogueReads } from './api/catalogue-reads';
import { ReadModels } from './api/read-models';
import { CatalogueController } from './api/catalogue.controller';
import { ClearingController } from './api/clearing.controller';
import { ReadModelsController } from './api/read-models.controller';
import { ReconciliationController } from './api/reconciliation.controller';
import { RoleRedaction } from './api/role-redaction';
import { AuthController, SignInAuditController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { OidcController } from './auth/oidc.controller';
import { SessionGuard } from './auth/session.guard';
import { ReconciliationClient } from './clearing/reconciliation-client';
import { type DashboardConfig } from './dashboard-config';
import { DASHBOARD_CONFIG, DASHBOARD_TOPICS, dashboardTopics } from './dashboard-topics';
import { SlipController } from './slip/slip.controller';
import { DeadLetterDesk } from './dead-letters/dead-letter-desk';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { AdminController } from './live/admin.controller';
import { LiveController } from './live/live.controller';
import { createDashboardTables, DASHBOARD_TABLES } from './read-model/dashboard-tables';
import { ReadModelRunner } from './read-model/read-model-runner';
import { RecordedMessageHandlers } from './read-model/recorded-message-handlers';

export const BILLING_DASHBOARD_HTTP_PORT = 8786;

/**
 * The billing office's dashboard: records every result, platform call and HIS admission it needs, projects them
 * into read models, serves them (and the page) over HTTP with sign-in and roles, and sends the operator actions.
 */
@Module({})
export class BillingDashboardModule {
  static forRoot(config: ServiceConfig, dashboard: DashboardConfig, telemetry?: Telemetry): DynamicModule {
    const topics = dashboardTopics(config);
    return {
      module: BillingDashboardModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          telemetry,
          // The dashboard reads what the services did; it never calls the platform itself.
          callsPlatform: false,
          consumes: [
            topics.insuranceInpatient,
            topics.platformCalls,
            topics.hisInpatient,
            topics.reconciliation,
            topics.clearing,
            topics.hisCatalogue,
            topics.catalogueMappings,
            topics.catalogueVersions,
          ],
        }),
      ],
      controllers: [
        AuthController,
        SignInAuditController,
        OidcController,
        ReadModelsController,
        ActionsController,
        ReconciliationController,
        ClearingController,
        CatalogueController,
        SlipController,
        LiveController,
        AdminController,
        DeadLettersController,
      ],
      providers: [
        { provide: DASHBOARD_TOPICS, useValue: topics },
        { provide: DASHBOARD_CONFIG, useValue: dashboard },
        { provide: CatalogueReads, useValue: new CatalogueReads(dashboard.catalogueUrl) },
        {
          provide: ReconciliationClient,
          useFactory: () => new ReconciliationClient(dashboard.reconciliationUrl),
        },
        {
          provide: DASHBOARD_TABLES,
          inject: [DataSource, SERVICE_CONFIG],
          useFactory: (dataSource: DataSource, service: ServiceConfig) =>
            createDashboardTables(dataSource, service.schema),
        },
        AuthService,
        SessionGuard,
        RecordedMessageHandlers,
        ReadModelRunner,
        ReadModels,
        RoleRedaction,
        OperatorActions,
        DeadLetterDesk,
      ],
    };
  }
}
