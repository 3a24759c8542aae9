import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { EventStore, ProjectionRunner } from '@yb/event-store';
import { KafkaConsumerHost } from '@yb/messaging';
import { type Telemetry } from '@yb/observability';
import { PlatformClient } from '@yb/platform-client';
import {
  assertWorkerFitsPool,
  PlatformWorker,
  PlatformWorkers,
  SERVICE_LOGGER,
  ServiceRuntimeModule,
  StreamCacheMetrics,
  type ServiceConfig,
} from '@yb/service-runtime';
import { type Logger } from 'pino';
import { ClearingApplicationWorkflow } from './clearing-application/clearing-application-workflow';
import { CLEARING_WORKER, ClearingController } from './inbound/clearing.controller';
import { DayCloseSchedule } from './inbound/day-close-schedule';
import { ClearingApplicant } from './platform/clearing-applicant';
import { DayReconciler } from './platform/day-reconciler';
import { ReconciliationDayWorkflow } from './reconciliation-day/reconciliation-day-workflow';
import { registerReconciliationHandlers } from './inbound/reconciliation-handlers';
import { LedgerRows } from './settlement-ledger/ledger-rows';
import { SettlementLedgerWorkflow } from './settlement-ledger/settlement-ledger-workflow';
import { StatementCalls } from './platform/statement-calls';
import { HubeiSettlementWindow } from './platform/settlement-window';
import { type ReconciliationConfig } from './reconciliation-config';
import { reconciliationTopics } from './reconciliation-topics';

export const RECONCILIATION_HTTP_PORT = 8787;

const DAY_WORKER = Symbol('RECONCILIATION_DAY_WORKER');
const LEDGER_PROJECTION = Symbol('RECONCILIATION_LEDGER_PROJECTION');
const DAY_SCHEDULE = Symbol('RECONCILIATION_DAY_SCHEDULE');

/**
 * Registered before the runtime starts its consumer and workers (onModuleInit comes first): the ledger's table,
 * the handlers and the day worker; then the projection keeping the ledger's table and the schedule run while
 * the service does.
 */
@Injectable()
class ReconciliationRegistrations implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(KafkaConsumerHost) private readonly host: KafkaConsumerHost,
    @Inject(PlatformWorkers) private readonly workers: PlatformWorkers,
    @Inject(SettlementLedgerWorkflow) private readonly ledgers: SettlementLedgerWorkflow,
    @Inject(ReconciliationDayWorkflow) private readonly days: ReconciliationDayWorkflow,
    @Inject(LedgerRows) private readonly rows: LedgerRows,
    @Inject(DAY_WORKER) private readonly worker: PlatformWorker,
    @Inject(LEDGER_PROJECTION) private readonly projection: ProjectionRunner,
    @Inject(DAY_SCHEDULE) private readonly schedule: DayCloseSchedule | null,
    @Inject(CLEARING_WORKER) private readonly clearingWorker: PlatformWorker,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.rows.ensureTables();
    registerReconciliationHandlers(this.host, this.ledgers, this.days, this.rows, this.worker);
    this.workers.add(this.worker);
    this.workers.add(this.clearingWorker);
  }

  onApplicationBootstrap(): void {
    this.projection.start();
    this.schedule?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.schedule?.stop();
    await this.projection.stop();
  }
}

/**
 * The reconciliation service: our ledger of settlements, each day reconciled with the platform (3201/3202), and
 * the month's clearing applications (3202A / 1608, withdrawn with 3204A / 1618) for the billing office.
 */
@Module({})
export class ReconciliationModule {
  static forRoot(
    config: ServiceConfig,
    reconciliation: ReconciliationConfig,
    telemetry?: Telemetry,
  ): DynamicModule {
    const topics = reconciliationTopics(config);
    // The clearing worker holds one lock connection besides the days': the days have one fewer to share.
    const forDays = { databasePoolSize: config.databasePoolSize - 1 };
    assertWorkerFitsPool(forDays, 'RECONCILIATION_CONCURRENCY', reconciliation.concurrency);
    return {
      module: ReconciliationModule,
      imports: [
        ServiceRuntimeModule.forRoot({
          config,
          telemetry,
          consumes: [topics.insuranceInpatient, topics.commands],
        }),
      ],
      controllers: [ClearingController],
      providers: [
        {
          provide: SettlementLedgerWorkflow,
          inject: [EventStore, StreamCacheMetrics],
          useFactory: (store: EventStore, caches: StreamCacheMetrics) =>
            caches.registered(new SettlementLedgerWorkflow(store)),
        },
        {
          provide: ReconciliationDayWorkflow,
          inject: [EventStore, StreamCacheMetrics],
          useFactory: (store: EventStore, caches: StreamCacheMetrics) =>
            caches.registered(new ReconciliationDayWorkflow(store, topics.results)),
        },
        {
          provide: LedgerRows,
          inject: [EventStore],
          useFactory: (store: EventStore) => new LedgerRows(store),
        },
        {
          provide: LEDGER_PROJECTION,
          inject: [EventStore, LedgerRows, SERVICE_LOGGER],
          useFactory: (store: EventStore, rows: LedgerRows, logger: Logger) =>
            new ProjectionRunner(store, rows, {
              onError: (err) => logger.warn({ err }, 'the ledger projection failed; retrying'),
            }),
        },
        {
          provide: DayReconciler,
          inject: [
            ReconciliationDayWorkflow,
            SettlementLedgerWorkflow,
            LedgerRows,
            LEDGER_PROJECTION,
            PlatformClient,
          ],
          useFactory: (
            days: ReconciliationDayWorkflow,
            ledgers: SettlementLedgerWorkflow,
            rows: LedgerRows,
            projection: ProjectionRunner,
            client: PlatformClient,
          ) =>
            new DayReconciler(
              days,
              ledgers,
              rows,
              projection,
              new StatementCalls(client, config.platform.fixmedins_code),
              new HubeiSettlementWindow(client, config.platform.mdtrtarea_admvs),
              config.platform.mdtrtarea_admvs,
            ),
        },
        {
          provide: DAY_WORKER,
          inject: [DayReconciler, ReconciliationDayWorkflow, SERVICE_LOGGER],
          useFactory: (reconciler: DayReconciler, days: ReconciliationDayWorkflow, logger: Logger) =>
            new PlatformWorker(
              'reconciliation-day',
              { run: (stmt_date) => reconciler.drive(stmt_date), owed: () => days.owedDays() },
              { concurrency: reconciliation.concurrency },
              logger,
            ),
        },
        {
          provide: DAY_SCHEDULE,
          inject: [ReconciliationDayWorkflow, DAY_WORKER, SERVICE_LOGGER],
          useFactory: (days: ReconciliationDayWorkflow, worker: PlatformWorker, logger: Logger) =>
            reconciliation.cron === null
              ? null
              : new DayCloseSchedule(
                  {
                    cron: reconciliation.cron,
                    timeZone: reconciliation.timeZone,
                    catchUpDays: reconciliation.catchUpDays,
                    periodChecks: reconciliation.periodChecks,
                  },
                  days,
                  worker,
                  logger,
                ),
        },
        {
          provide: ClearingApplicationWorkflow,
          inject: [EventStore, StreamCacheMetrics],
          useFactory: (store: EventStore, caches: StreamCacheMetrics) =>
            caches.registered(new ClearingApplicationWorkflow(store, topics.clearing)),
        },
        {
          provide: ClearingApplicant,
          inject: [
            ClearingApplicationWorkflow,
            ReconciliationDayWorkflow,
            LedgerRows,
            LEDGER_PROJECTION,
            PlatformClient,
          ],
          useFactory: (
            applications: ClearingApplicationWorkflow,
            days: ReconciliationDayWorkflow,
            rows: LedgerRows,
            projection: ProjectionRunner,
            client: PlatformClient,
          ) =>
            new ClearingApplicant(
              applications,
              days,
              rows,
              projection,
              client,
              config.platform.mdtrtarea_admvs,
            ),
        },
        {
          provide: CLEARING_WORKER,
          inject: [ClearingApplicant, ClearingApplicationWorkflow, SERVICE_LOGGER],
          useFactory: (
            applicant: ClearingApplicant,
            applications: ClearingApplicationWorkflow,
            logger: Logger,
          ) =>
            // One application at a time: the office applies a handful a month.
            new PlatformWorker(
              'clearing-application',
              { run: (key) => applicant.drive(key), owed: () => applications.owedApplications() },
              { concurrency: 1 },
              logger,
            ),
        },
        ReconciliationRegistrations,
      ],
    };
  }
}
