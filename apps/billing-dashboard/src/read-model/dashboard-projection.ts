import { type Projection, type RecordedEvent } from '@yb/event-store';
import { type EntityManager } from 'typeorm';
import { catalogueReadModel } from './catalogue.read-model';
import { clearingReadModel } from './clearing.read-model';
import { type DashboardTables, readModelTables } from './dashboard-tables';
import { feeLinesReadModel } from './fee-lines.read-model';
import { findingsReadModel } from './findings.read-model';
import { operatorActionsReadModel } from './operator-actions.read-model';
import { platformHealthReadModel } from './platform-health.read-model';
import { type ApplyContext, type ProjectedType, type ReadModelHandlers } from './read-model-handlers';
import {
  OPERATOR_ACTION_REQUESTED,
  RECORDED_MESSAGE_TYPES,
  type RecordedMessageMetadata,
} from './recorded-messages';
import { reconciliationReadModel } from './reconciliation.read-model';
import { reportBacklogReadModel } from './report-backlog.read-model';
import { reportsReadModel } from './reports.read-model';
import { sagasReadModel } from './sagas.read-model';
import { settlementsReadModel } from './settlements.read-model';
import { timelineReadModel } from './timeline.read-model';
import { VisitPatients } from './visit-patient';
import { visitsReadModel } from './visits.read-model';

/** What a committed batch changed, for the live view (no patient identifier: visit ids and read-model names). */
export interface ReadModelChange {
  readonly models: ReadonlySet<string>;
  readonly iptNos: ReadonlySet<string>;
}

type Handler = (data: unknown, x: ApplyContext) => Promise<void>;

/**
 * Every read model of the dashboard from the recorded messages, under one checkpoint (one transaction per
 * batch): each read model is a handler map of its own file, applied in this order for every event — visits
 * first, since the others' rows hang on the visit (fee totals, saga state), the timeline last. Each apply is
 * idempotent per event (the runner applies an event once; timeline rows are keyed by position).
 */
export class DashboardProjection implements Projection {
  readonly name = 'billing-dashboard.read-models';
  readonly eventTypes = [...RECORDED_MESSAGE_TYPES, OPERATOR_ACTION_REQUESTED];
  private readonly handlers: ReadonlyMap<string, readonly Handler[]>;
  private changedModels = new Set<string>();
  private changedVisits = new Set<string>();

  constructor(
    private readonly t: DashboardTables,
    patients: VisitPatients = new VisitPatients(),
  ) {
    const models: ReadModelHandlers[] = [
      visitsReadModel(t, patients),
      feeLinesReadModel(t),
      settlementsReadModel(t),
      sagasReadModel(t),
      findingsReadModel(t),
      reportsReadModel(t),
      reportBacklogReadModel(t),
      platformHealthReadModel(t),
      operatorActionsReadModel(t),
      reconciliationReadModel(t),
      clearingReadModel(t),
      catalogueReadModel(t),
      timelineReadModel(t),
    ];
    this.handlers = new Map(
      this.eventTypes.map((type) => [
        type,
        models.flatMap((model) => (model[type as ProjectedType] as Handler | undefined) ?? []),
      ]),
    );
  }

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const metadata = event.metadata as unknown as RecordedMessageMetadata;
    const x: ApplyContext = {
      m: manager,
      at: metadata.occurred_at ?? event.recordedAt.toISOString(),
      position: event.position.globalPosition.toString(),
      changed: (model, ipt_no) => this.changed(model, ipt_no),
    };
    for (const handler of this.handlers.get(event.type) ?? []) await handler(event.data, x);
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query(`TRUNCATE ${readModelTables(this.t).join(', ')}`);
    this.changed('visits');
  }

  /** The changes applied since the last call (the runner calls it after its batch committed). */
  takeChanges(): ReadModelChange {
    const change = { models: this.changedModels, iptNos: this.changedVisits };
    this.changedModels = new Set();
    this.changedVisits = new Set();
    return change;
  }

  /** Forgets the changes of a batch that was rolled back. */
  discardChanges(): void {
    this.takeChanges();
  }

  private changed(model: string, ipt_no?: string): void {
    this.changedModels.add(model);
    if (ipt_no) this.changedVisits.add(ipt_no);
  }
}
