import { context } from '@opentelemetry/api';
import { withAdvisoryLock, type EventStore } from '@yb/event-store';
import { contextFromTraceparent } from '@yb/messaging';
import {
  PlatformCallJournal,
  PlatformInputError,
  type PlatformClient,
  missingFields,
  type CallResolution,
  type PlatformCallRecord,
} from '@yb/platform-client';
import { type ServiceConfig } from '@yb/service-runtime';
import { type Logger } from 'pino';
import { type AuditAnswer } from '../audit-case/audit-case.commands';
import { type AuditCaseWorkflow } from '../audit-case/audit-case-workflow';
import { nextAuditInFlight, type AuditCaseState, type AuditRecord } from '../audit-case/audit-case.state';
import { type QualityConfig } from '../quality-config';
import { auditInput, VisitIncompleteError } from './audit-request';

/**
 * Makes the audits the cases ask for. Each step of a visit (one 3101/3102 call, or giving up past the
 * deadline) runs under a PostgreSQL advisory lock on the visit and is recorded in the case before the next;
 * between failed attempts the visit is left alone until its backoff ends (a timer, no connection held).
 * Everything it needs is in the case's events, so after a restart the sweep finds the audits in flight and
 * goes on where they were. At most `concurrentVisits` visits are worked on at once. Nest calls its
 * onApplicationBootstrap and onModuleDestroy (the module builds it by useFactory).
 */
export class AuditRunner {
  private readonly queued = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private sweeper: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly journal: PlatformCallJournal;

  constructor(
    private readonly cases: AuditCaseWorkflow,
    private readonly platform: PlatformClient,
    private readonly store: EventStore,
    private readonly config: QualityConfig,
    private readonly service: ServiceConfig,
    private readonly logger: Logger,
  ) {
    this.journal = new PlatformCallJournal(store.dataSource);
  }

  /** After the runtime signed in and recovered (its bootstrap runs first): resume what a crash left. */
  async onApplicationBootstrap(): Promise<void> {
    await this.cases.ensureSweepIndex();
    void this.sweep();
    // Later sweeps look at recent requests only (the events table grows with every visit); older ones
    // still in flight were found by the sweep at start.
    const window = Math.max(2 * this.config.policy.deadlineMs, 3_600_000);
    this.sweeper = setInterval(
      () => void this.sweep(new Date(Date.now() - window)),
      this.config.sweepIntervalMs,
    );
    this.sweeper.unref();
  }

  /** First on shutdown (before the runtime signs out and closes the pool): the steps in hand finish. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweeper);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queued.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  /** Works on the visit's audits in flight, now or as soon as a slot is free. */
  kick(ipt_no: string): void {
    if (this.stopped) return;
    if (this.running.has(ipt_no)) {
      this.again.add(ipt_no);
      return;
    }
    this.queued.add(ipt_no);
    this.startQueued();
  }

  /** The resolver of 3101/3102 calls a crash left unsettled: an analysis changes nothing on the platform. */
  static resolveCall(call: Pick<PlatformCallRecord, 'infno'>): Promise<CallResolution> {
    return Promise.resolve({
      outcome: 'NOT_APPLIED',
      note: `${call.infno} is an analysis that changes nothing on the platform; the audit case asks again with a new msgid`,
    });
  }

  private async sweep(since?: Date): Promise<void> {
    try {
      for (const ipt_no of await this.cases.visitsWithAuditsInFlight(since)) {
        if (!this.timers.has(ipt_no)) this.kick(ipt_no);
      }
    } catch (err) {
      if (!this.stopped) this.logger.error({ err }, 'looking for audits in flight failed');
    }
  }

  private startQueued(): void {
    for (const ipt_no of this.queued) {
      if (this.running.size >= this.config.concurrentVisits) return;
      this.queued.delete(ipt_no);
      const timer = this.timers.get(ipt_no);
      if (timer) clearTimeout(timer);
      this.timers.delete(ipt_no);
      const run = this.run(ipt_no)
        .catch((err: unknown) => {
          // The case is unchanged: the next sweep tries again.
          if (!this.stopped) this.logger.error({ err, ipt_no }, 'audit step failed');
        })
        .finally(() => {
          this.running.delete(ipt_no);
          if (this.again.delete(ipt_no)) this.kick(ipt_no);
          this.startQueued();
        });
      this.running.set(ipt_no, run);
    }
  }

  private async run(ipt_no: string): Promise<void> {
    while (!this.stopped) {
      const waitMs = await withAdvisoryLock(
        this.store.dataSource,
        `${this.store.tables.schema}:audit`,
        ipt_no,
        () => this.step(ipt_no),
      );
      if (waitMs === null) return;
      if (waitMs > 0) {
        this.timers.set(
          ipt_no,
          setTimeout(() => {
            this.timers.delete(ipt_no);
            this.kick(ipt_no);
          }, waitMs),
        );
        return;
      }
    }
  }

  /** One step of the oldest audit in flight; the wait before the next step, or null when none is left. */
  private async step(ipt_no: string): Promise<number | null> {
    const state = await this.cases.load(ipt_no);
    const audit = nextAuditInFlight(state);
    if (!audit) return null;
    // Inside the trace of the message that asked for the audit: the call's span and the results join it.
    return context.with(contextFromTraceparent(audit.cause.traceparent), async () => {
      const now = Date.now();
      if (audit.attempts > 0 && now >= Date.parse(audit.deadline)) {
        await this.cases.handle(ipt_no, {
          type: 'ExpireAudit',
          audit_id: audit.audit_id,
          at: new Date(now).toISOString(),
        });
        return 0;
      }
      const wait = audit.next_attempt_at === null ? 0 : Date.parse(audit.next_attempt_at) - now;
      if (wait > 0) return wait;
      const answer = await this.attempt(ipt_no, state, audit);
      await this.cases.handle(ipt_no, {
        type: 'RecordAuditAnswer',
        audit_id: audit.audit_id,
        answer,
        at: new Date().toISOString(),
      });
      return 0;
    });
  }

  private async attempt(ipt_no: string, state: AuditCaseState, audit: AuditRecord): Promise<AuditAnswer> {
    let input;
    try {
      input = auditInput(state, audit, this.service.platform);
    } catch (err) {
      // The HIS or admission's result may still be on its way: retried like an unanswered call.
      if (err instanceof VisitIncompleteError)
        return { status: 'FAILED', reason: err.message, retryable: true };
      throw err;
    }
    try {
      const result = await this.platform.call(audit.infno, input, {
        visitKey: ipt_no,
        psn_no: state.psn_no ?? undefined,
        // The platform routes by the insured area: the poolarea the input already names.
        insuplc_admdvs: input.data.patient_dtos[0]!.poolarea,
      });
      switch (result.status) {
        case 'SUCCEEDED':
          return { status: 'SUCCEEDED', msgid: result.msgid, result: result.output.result ?? [] };
        case 'APPLIED_UNREADABLE':
          // An analysis changes nothing on the platform; its unreadable findings may read next time.
          return {
            status: 'FAILED',
            msgid: result.msgid,
            reason: `平台应答无法读取: ${missingFields(result.problems).join('; ')}`,
            retryable: true,
          };
        case 'REJECTED':
          return {
            status: 'FAILED',
            msgid: result.msgid,
            reason: `平台拒绝 (infcode ${result.infcode}): ${result.err_msg}`,
            retryable: false,
          };
        case 'UNKNOWN':
          await this.settleUnanswered(result.msgid, audit.infno);
          return { status: 'FAILED', msgid: result.msgid, reason: result.reason, retryable: true };
      }
    } catch (err) {
      // A request the platform's rules refuse before sending will be refused again. Anything else (the
      // database) fails the step.
      if (err instanceof PlatformInputError)
        return { status: 'FAILED', reason: err.message, retryable: false };
      throw err;
    }
  }

  /** The case asks again with a new msgid: the unanswered call is settled in the journal now, not at start. */
  private async settleUnanswered(msgid: string, infno: string): Promise<void> {
    if (await this.journal.claimForResolution(msgid)) {
      await this.journal.recordResolution(msgid, await AuditRunner.resolveCall({ infno }));
    }
  }
}
