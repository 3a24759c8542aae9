import { type Envelope } from '@yb/contracts';
import { CommandHandler, withAdvisoryLock, type EventStore } from '@yb/event-store';
import { type StreamCaches } from '@yb/service-runtime';
import { type ServiceMetrics } from '@yb/observability';
import { Counter } from 'prom-client';
import { auditResultMessages } from '../outbound/audit-results';
import { type QualityConfig } from '../quality-config';
import { type QualityTopics } from '../quality-topics';
import { type AuditCaseCommand } from './audit-case.commands';
import { auditCaseDecider } from './audit-case.decider';
import { type AuditCaseEvent } from './audit-case.events';
import { type AuditCaseState } from './audit-case.state';

export const auditStreamId = (ipt_no: string): string => `audit-${ipt_no}`;
const STREAM_PREFIX = 'audit-';

/** The message a command came from: its id goes to the inbox and causes the published results. */
export interface CommandSource {
  readonly envelope: Pick<Envelope, 'id' | 'correlationId'>;
  /** The handler's name in the inbox. */
  readonly consumer: string;
}

/**
 * The visits' audit cases in the event store: runs a command through the decider and appends its events,
 * the results to publish (outbox) and the message's inbox row in one transaction. A redelivered message is
 * answered by the inbox and changes nothing. Cases are kept in memory by version (CommandHandler): a command
 * reads only the events appended since.
 */
export class AuditCaseWorkflow {
  private readonly cases: CommandHandler<AuditCaseCommand, AuditCaseEvent, AuditCaseState>;
  private readonly audits: Counter<'infno' | 'trig_scen' | 'outcome'>;

  constructor(
    private readonly store: EventStore,
    private readonly topics: QualityTopics,
    config: QualityConfig,
    metrics: ServiceMetrics,
  ) {
    this.cases = new CommandHandler(store, auditCaseDecider(config.policy));
    this.audits = new Counter({
      name: 'yb_quality_audits_total',
      help: 'Finished 3101/3102 audits by trigger scenario and outcome (clean, findings, blocked, unavailable)',
      labelNames: ['infno', 'trig_scen', 'outcome'] as const,
      registers: [metrics.registry],
    });
  }

  /** Its command handler's cache, under the name /metrics reports it by (StreamCacheMetrics). */
  streamCaches(): StreamCaches {
    return { 'audit-case': this.cases };
  }

  /** Handles a command; returns the events it added (none for a redelivered message). */
  async handle(ipt_no: string, command: AuditCaseCommand, source?: CommandSource): Promise<AuditCaseEvent[]> {
    const result = await this.cases.handle(auditStreamId(ipt_no), command, {
      ...(source && { inboxMessageId: source.envelope.id, inboxConsumer: source.consumer }),
      outbox: (events, state) =>
        auditResultMessages(this.topics.insuranceInpatient, ipt_no, events, state, source?.envelope),
    });
    if (result.kind !== 'handled') return [];
    this.count(result.newEvents, result.state);
    return result.newEvents;
  }

  /** The case as its events tell it (events other processes appended included). */
  async load(ipt_no: string): Promise<AuditCaseState> {
    return (await this.cases.aggregateStream(auditStreamId(ipt_no))).state;
  }

  /**
   * The index the sweeps read AuditRequested by (the events table holds every visit's history). Created
   * here, beside the event store's own migrations, because only this service asks that question.
   */
  async ensureSweepIndex(): Promise<void> {
    const { events, schema } = this.store.tables;
    // Replicas starting together take turns: two concurrent CREATE INDEX IF NOT EXISTS can collide.
    await withAdvisoryLock(this.store.dataSource, `${schema}:ddl`, 'audit_requested_at', () =>
      this.store.dataSource.query(
        `CREATE INDEX IF NOT EXISTS audit_requested_at ON ${events} (recorded_at) WHERE type = 'AuditRequested'`,
      ),
    );
  }

  /**
   * Visits with an audit asked for (since `since`, when given) and not yet completed or given up, e.g. left
   * by a crash or by another replica.
   */
  async visitsWithAuditsInFlight(since?: Date): Promise<string[]> {
    const { events } = this.store.tables;
    const rows: { stream_id: string }[] = await this.store.dataSource.query(
      `SELECT DISTINCT r.stream_id FROM ${events} r
        WHERE r.type = 'AuditRequested' AND r.stream_id LIKE $1 AND r.recorded_at >= $2
          AND NOT EXISTS (SELECT 1 FROM ${events} d
                           WHERE d.stream_id = r.stream_id
                             AND d.type IN ('AuditCompleted', 'AuditUnavailable')
                             AND d.data->>'audit_id' = r.data->>'audit_id')`,
      [`${STREAM_PREFIX}%`, since ?? new Date(0)],
    );
    return rows.map((r) => r.stream_id.slice(STREAM_PREFIX.length));
  }

  private count(events: readonly AuditCaseEvent[], state: AuditCaseState): void {
    for (const event of events) {
      if (event.type !== 'AuditCompleted' && event.type !== 'AuditUnavailable') continue;
      const audit = state.audits.find((a) => a.audit_id === event.data.audit_id);
      if (!audit) continue;
      const outcome =
        event.type === 'AuditUnavailable'
          ? 'unavailable'
          : event.data.findings.some((f) => f.blocking)
            ? 'blocked'
            : event.data.findings.length > 0
              ? 'findings'
              : 'clean';
      this.audits.inc({ infno: audit.infno, trig_scen: audit.trig_scen, outcome });
    }
  }
}
