import { SpanStatusCode, trace } from '@opentelemetry/api';
import { type Gauge } from 'prom-client';
import { type REPORT_INFNOS } from '@yb/contracts';
import { withAdvisoryLock } from '@yb/event-store';
import {
  PlatformInputError,
  type PlatformCallJournal,
  type PlatformCallRecord,
  type PlatformCallResult,
  type PlatformClient,
} from '@yb/platform-client';
import { resultMessage, type Cause } from '../outbound/report-results';
import {
  buildReport,
  insuredArea,
  settlementListWithdrawal,
  wireInfno,
  wireReportRef,
  type BuildContext,
  type BuiltReport,
  type Hospital,
} from '../report/report-builders';
import { type ReportCommand } from '../report/report.commands';
import { nextUploadStep } from '../report/report.decider';
import { type ReportInfno, type ValiFlag } from '../report/report.events';
import { type ReportState } from '../report/report.state';
import { type ReportWorkflow } from '../report/report-workflow';
import { type RunRequest } from '../report-run/report-run.events';
import { type ReportingConfig } from '../reporting-config';

const tracer = trace.getTracer('reporting');

type Outcome = 'uploaded' | 'waiting' | 'rejected' | 'unchanged';

/**
 * The wording with which the platform refuses a repeat of an upload it already applied (vali_flag 1), a void of
 * a record it no longer holds (vali_flag 0), or a withdrawal (4102) of a list that no longer stands. Only after
 * an attempt of unknown outcome is such a refusal taken as the proof that the earlier attempt took effect.
 */
function alreadyApplied(infno: string, vali_flag: ValiFlag): RegExp {
  if (infno === '4102') return /不存在已上传的结算清单/;
  return vali_flag === '1' ? /已上传|不能重复上传/ : /不存在有效的上传记录/;
}

/** One call that puts a report on the platform or takes it off: the interface, its input and whom it names. */
interface WireRequest {
  readonly infno: string;
  readonly input: Record<string, unknown>;
  /** The report content the call stands for (a withdrawal: the content it withdraws). */
  readonly input_digest: string;
  readonly psn_no: string;
  readonly insuplc_admdvs: string;
}

/**
 * Uploads reports: one at a time, under one PostgreSQL advisory lock for the whole service (runs, reruns),
 * so that no two processes send the same report. Each attempt is an event written before the call; an
 * attempt a crash left without its outcome is resolved first (the journal's answer, else a repeat whose
 * "already uploaded" refusal proves the first one applied), so nothing is uploaded twice.
 */
export interface RunOptions {
  cause?: Cause;
  shouldStop?: () => boolean;
  /** Whether the run is still owed, asked once the uploads' lock is held (a scheduled slot: once across replicas). */
  stillDue?: () => Promise<boolean>;
}

export class ReportUploads {
  constructor(
    private readonly reports: ReportWorkflow,
    private readonly client: PlatformClient,
    private readonly journal: PlatformCallJournal,
    private readonly config: ReportingConfig,
    private readonly hospital: Hospital,
    private readonly resultTopic: string,
    private readonly logger: { error(obj: object, msg: string): void },
    /** The backlog for Prometheus: reports by infno and state (waiting, overdue, rejected), set after each run. */
    private readonly backlogGauge?: Gauge<'infno' | 'state'>,
  ) {}

  /** Every report that is due, then the backlog figures (ReportBacklogSummarized). */
  async run(
    run: RunRequest,
    options: RunOptions = {},
  ): Promise<{ uploaded: number; failed: number; stoppedEarly: boolean; notDue?: true }> {
    // One span per run, so that a scheduled run's platform calls share a trace.
    return tracer.startActiveSpan('reporting.run', async (span) => {
      span.setAttributes({ 'reporting.run_date': run.run_date, 'reporting.trigger': run.trigger });
      try {
        // Asked again under the lock: another replica may have run the slot while this one waited for it.
        const result = await this.exclusively(async () =>
          options.stillDue && !(await options.stillDue())
            ? { uploaded: 0, failed: 0, stoppedEarly: false, notDue: true as const }
            : this.runExclusively(run, options),
        );
        span.setAttribute('reporting.uploaded', result.uploaded);
        return result;
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).name });
        throw err;
      } finally {
        span.end();
      }
    });
  }

  private async runExclusively(
    run: RunRequest,
    options: { cause?: Cause; shouldStop?: () => boolean },
  ): Promise<{ uploaded: number; failed: number; stoppedEarly: boolean }> {
    await this.reports.recordRun({ type: 'StartRun', run });
    let uploaded = 0;
    let failed = 0;
    let stoppedEarly = false;
    const uploadedByInfno = new Map<string, number>();
    for (const streamId of await this.reports.openReportStreams()) {
      if (options.shouldStop?.()) {
        stoppedEarly = true;
        break;
      }
      let result: Awaited<ReturnType<ReportUploads['upload']>>;
      try {
        result = await this.upload(streamId, options.cause);
      } catch (err) {
        // One report's failure (database, platform client) must not stop the others; an attempt it left
        // without an outcome is resolved on the next run.
        failed += 1;
        this.logger.error({ err, streamId }, 'report upload failed; taken up again on the next run');
        continue;
      }
      const { outcome, infno } = result;
      if (outcome === 'uploaded' && infno) {
        uploaded += 1;
        uploadedByInfno.set(infno, (uploadedByInfno.get(infno) ?? 0) + 1);
      }
    }
    const backlog = await this.backlog(run.run_date, uploadedByInfno);
    this.backlogGauge?.reset();
    for (const f of backlog.by_infno) {
      for (const state of ['waiting', 'overdue', 'rejected'] as const) {
        this.backlogGauge?.set({ infno: f.infno, state }, f[state]);
      }
    }
    await this.reports.recordRun(
      { type: 'CompleteRun', run, outcome: { uploaded, failed, stopped_early: stoppedEarly } },
      [resultMessage(this.resultTopic, run.run_date, 'ReportBacklogSummarized', backlog, options.cause)],
    );
    return { uploaded, failed, stoppedEarly };
  }

  /** One report now (a person's rerun), under the same lock as the runs. */
  uploadNow(streamId: string, cause?: Cause): Promise<Outcome> {
    return this.exclusively(async () => (await this.upload(streamId, cause)).outcome);
  }

  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    const { store } = this.reports;
    return withAdvisoryLock(store.dataSource, `${store.tables.schema}:reporting`, 'uploads', work);
  }

  /** Takes the report as far as it can go now: resolve, void a replaced record, upload, or note the wait. */
  private async upload(streamId: string, cause?: Cause): Promise<{ outcome: Outcome; infno?: ReportInfno }> {
    let outcome: Outcome = 'unchanged';
    // At most: resolve an interrupted attempt, void the replaced record, upload the corrected one.
    for (let step = 0; step < 3; step++) {
      const state = await this.reports.read(streamId);
      const identity = state.identity;
      if (!identity) return { outcome };
      const context = await this.context(identity.ipt_no);
      const built = buildReport(identity.infno, state.source, context);
      const now = new Date();
      const next = nextUploadStep(state, built.complete ? built : null, now);
      // A person's rerun is the cause of the upload it asked for, whether this call or a scheduled run sends it.
      const message = cause ?? state.rerunCause ?? undefined;
      const execute = (command: ReportCommand) => this.reports.execute(streamId, command, { message });
      switch (next.kind) {
        case 'none':
          // A rechecked record that builds as uploaded stands: the recheck is closed.
          if (state.recheck) await execute({ type: 'ConfirmUploaded' });
          // Uploaded now, or earlier, or withdrawn (a void of a withdrawn record is no upload).
          return { outcome: state.uploaded ? outcome : 'unchanged', infno: identity.infno };
        case 'blocked':
        case 'backoff':
          return { outcome: 'rejected', infno: identity.infno };
        case 'wait':
          if (!built.complete) {
            const { reason, waiting_for, due_date } = built;
            await execute({ type: 'NoteWaiting', reason, waiting_for, due_date });
          }
          return { outcome: 'waiting', infno: identity.infno };
        case 'resolve':
          outcome = await this.resolveInterrupted(state, built, context, execute);
          continue;
        case 'send': {
          const request = requestOf(state, built, next.vali_flag, context);
          if (!request) return { outcome, infno: identity.infno };
          await execute({
            type: 'StartUpload',
            vali_flag: next.vali_flag,
            input_digest: request.input_digest,
            at: now.toISOString(),
          });
          // After a transport failure the earlier call may have applied: its msgid is the record's.
          const earlier = state.lastOutcomeUnknown ? state.rejection?.msgid : undefined;
          outcome = await this.send(
            state,
            request,
            next.vali_flag,
            state.lastOutcomeUnknown,
            execute,
            earlier,
          );
          if (outcome !== 'uploaded' || next.vali_flag === '1') return { outcome, infno: identity.infno };
        }
      }
    }
    return { outcome };
  }

  private async context(ipt_no: string): Promise<BuildContext> {
    return {
      ipt_no,
      visit: await this.reports.readVisit(ipt_no),
      hospital: this.hospital,
      config: this.config,
    };
  }

  /**
   * Sends one upload and records its outcome. `afterUnknown`: an earlier attempt's outcome is unknown, so
   * the platform's "already uploaded" refusal means that attempt applied.
   */
  private async send(
    state: ReportState,
    request: WireRequest,
    vali_flag: ValiFlag,
    afterUnknown: boolean,
    execute: (command: ReportCommand) => Promise<unknown>,
    earlierMsgid?: string,
  ): Promise<Outcome> {
    const sent = await this.sendOnce(state, request, vali_flag, afterUnknown, execute, earlierMsgid);
    if (sent === 'rejected') return 'rejected';
    // The earlier call's journal row is settled by what the repeat showed, so recovery stops offering it.
    if (earlierMsgid) await this.settleJournalRow(earlierMsgid, sent === 'repeat-refused', state);
    return 'uploaded';
  }

  private async sendOnce(
    state: ReportState,
    request: WireRequest,
    vali_flag: ValiFlag,
    afterUnknown: boolean,
    execute: (command: ReportCommand) => Promise<unknown>,
    earlierMsgid?: string,
  ): Promise<'uploaded' | 'repeat-refused' | 'rejected'> {
    const identity = state.identity!;
    let result: PlatformCallResult;
    try {
      result = await this.client.call(request.infno, request.input, {
        visitKey: identity.ipt_no,
        psn_no: request.psn_no,
        insuplc_admdvs: request.insuplc_admdvs,
      });
    } catch (err) {
      // Refused before sending: the content breaks the interface's rules; only a correction helps.
      if (!(err instanceof PlatformInputError)) throw err;
      await execute({
        type: 'RecordUploadOutcome',
        outcome: { kind: 'rejected', err_msg: `上传内容不符合接口规范: ${err.message}`, will_retry: false },
      });
      return 'rejected';
    }
    switch (result.status) {
      // An upload the platform applied stands even when its answer is unreadable: the list id is read where
      // the raw answer holds one, and never sent again.
      case 'SUCCEEDED':
      case 'APPLIED_UNREADABLE':
        await execute({
          type: 'RecordUploadOutcome',
          outcome: { kind: 'accepted', msgid: result.msgid, learnt_from: 'answer', ...listId(result.output) },
        });
        return 'uploaded';
      case 'REJECTED':
        if (afterUnknown && alreadyApplied(request.infno, vali_flag).test(result.err_msg)) {
          await execute({
            type: 'RecordUploadOutcome',
            outcome: {
              kind: 'accepted',
              msgid: earlierMsgid ?? result.msgid,
              learnt_from: 'repeat-refused-as-already-applied',
              ...listIdInRefusal(result.err_msg),
            },
          });
          return 'repeat-refused';
        }
        await execute({
          type: 'RecordUploadOutcome',
          outcome: {
            kind: 'rejected',
            msgid: result.msgid,
            infcode: result.infcode,
            err_msg: result.err_msg,
            will_retry: false,
          },
        });
        return 'rejected';
      case 'UNKNOWN':
        await execute({
          type: 'RecordUploadOutcome',
          outcome: {
            kind: 'rejected',
            msgid: result.msgid,
            err_msg: `结果未知: ${result.reason}`,
            will_retry: true,
            retry_after: this.retryAfter(state.attempts + 1),
          },
        });
        return 'rejected';
    }
  }

  /**
   * An attempt without a recorded outcome (the process died between the event and the answer): the journal
   * row of its call tells the answer when there was one; otherwise the row is settled here and the upload
   * repeated, its "already uploaded" refusal meaning the interrupted call applied.
   */
  private async resolveInterrupted(
    state: ReportState,
    built: BuiltReport,
    context: BuildContext,
    execute: (command: ReportCommand) => Promise<unknown>,
  ): Promise<Outcome> {
    const inFlight = state.inFlight!;
    const row = await this.interruptedCall(state);
    if (row?.status === 'SUCCEEDED') {
      const output = (row.response as { output?: unknown } | null)?.output;
      await execute({
        type: 'RecordUploadOutcome',
        outcome: { kind: 'accepted', msgid: row.msgid, learnt_from: 'journal', ...listId(output) },
      });
      return 'uploaded';
    }
    if (row?.status === 'REJECTED') {
      await execute({
        type: 'RecordUploadOutcome',
        outcome: {
          kind: 'rejected',
          msgid: row.msgid,
          ...(row.infcode !== null && { infcode: row.infcode }),
          err_msg: row.err_msg ?? '',
          will_retry: false,
        },
      });
      return 'rejected';
    }
    const request = requestOf(state, built, inFlight.vali_flag, context);
    if (!request || request.input_digest !== inFlight.input_digest) {
      // The content changed since: record the interrupted attempt as unknown; the next step sends the new one.
      await execute({
        type: 'RecordUploadOutcome',
        outcome: { kind: 'rejected', err_msg: '上传中断，结果未知', will_retry: true },
      });
      return 'rejected';
    }
    return this.send(state, request, inFlight.vali_flag, true, execute, row?.msgid);
  }

  /** The journal row of the interrupted attempt: this report's call of that interface, sent since it began. */
  private async interruptedCall(state: ReportState): Promise<PlatformCallRecord | undefined> {
    const { ipt_no, infno, report_ref } = state.identity!;
    const wire = wireInfno(infno, state.inFlight!.vali_flag);
    const since = Date.parse(state.inFlight!.at) - 1000;
    const rows = await this.journal.forVisit(ipt_no);
    return rows
      .filter(
        (r) =>
          r.infno === wire &&
          r.createdAt.getTime() >= since &&
          wireReportRef(wire, r.request.input) === report_ref,
      )
      .pop();
  }

  /** Settles the journal row of a call whose outcome was unknown, from what the repeat of it showed. */
  private async settleJournalRow(msgid: string, applied: boolean, state: ReportState): Promise<void> {
    const { infno, report_ref } = state.identity!;
    // A row its dead process left in flight is interrupted now: this process holds the uploads lock.
    await this.journal.markInterrupted(msgid, 0);
    if (!(await this.journal.claimForResolution(msgid))) return;
    await this.journal.recordResolution(msgid, {
      outcome: applied ? 'APPLIED' : 'NOT_APPLIED',
      note: applied
        ? `the platform refused a repeat of ${infno} ${report_ref} as already uploaded`
        : `a repeat of ${infno} ${report_ref} was accepted: this call had not applied`,
    });
  }

  private retryAfter(attempt: number): string {
    const wait = Math.min(this.config.retryBackoffMs * 2 ** Math.max(0, attempt - 1), 86_400_000);
    return new Date(Date.now() + wait).toISOString();
  }

  /** Per interface: reports waiting (and overdue), rejected, uploaded in this run, and why they wait. */
  private async backlog(run_date: string, uploadedByInfno: ReadonlyMap<string, number>) {
    type Figures = { waiting: number; overdue: number; rejected: number; reasons: Map<string, number> };
    const figures = new Map<string, Figures>();
    for (const streamId of await this.reports.openReportStreams()) {
      const state = await this.reports.read(streamId);
      if (!state.identity || state.uploaded || state.withdrawn) continue;
      const f = figures.get(state.identity.infno) ?? {
        waiting: 0,
        overdue: 0,
        rejected: 0,
        reasons: new Map(),
      };
      figures.set(state.identity.infno, f);
      if (state.rejection) f.rejected += 1;
      else if (state.waiting) {
        f.waiting += 1;
        if (state.waiting.due_date < run_date) f.overdue += 1;
        f.reasons.set(state.waiting.reason, (f.reasons.get(state.waiting.reason) ?? 0) + 1);
      }
    }
    const infnos = new Set([...figures.keys(), ...uploadedByInfno.keys()]);
    return {
      as_of: new Date().toISOString(),
      run_date,
      by_infno: [...infnos].sort().map((infno) => {
        const f = figures.get(infno);
        return {
          infno: infno as (typeof REPORT_INFNOS)[number],
          waiting: f?.waiting ?? 0,
          overdue: f?.overdue ?? 0,
          rejected: f?.rejected ?? 0,
          uploaded_today: uploadedByInfno.get(infno) ?? 0,
          reasons: [...(f?.reasons ?? new Map<string, number>())]
            .sort((a, b) => b[1] - a[1])
            .map(([reason, count]) => ({ reason: reason.slice(0, 500), count })),
        };
      }),
    };
  }
}

/**
 * The call that takes a report's next step: the record built now (vali_flag 1, or 0 to void a clinical record),
 * or 4102 withdrawing a 4101A list, which names only the person and the settlement, so that the list of a
 * settlement cancelled since (whose content no longer builds) is withdrawn all the same.
 */
function requestOf(
  state: ReportState,
  built: BuiltReport,
  vali_flag: ValiFlag,
  context: BuildContext,
): WireRequest | undefined {
  const { infno, report_ref } = state.identity!;
  if (infno === '4101A' && vali_flag === '0') {
    const registration = context.visit.registration;
    const insuplc_admdvs = insuredArea(context.visit);
    if (!registration || insuplc_admdvs === undefined || !state.uploaded) return undefined;
    return {
      infno: wireInfno(infno, vali_flag),
      input: settlementListWithdrawal(report_ref, registration.psn_no),
      // A correction withdraws the list for the content now built; a cancellation, the content uploaded.
      input_digest: built.complete ? built.input_digest : state.uploaded.input_digest,
      psn_no: registration.psn_no,
      insuplc_admdvs,
    };
  }
  if (!built.complete) return undefined;
  const { input_digest, psn_no, insuplc_admdvs } = built;
  return { infno, input: built.input(vali_flag), input_digest, psn_no, insuplc_admdvs };
}

/** 4101A answers its 清单流水号. */
function listId(output: unknown): { setl_list_id?: string } {
  const id = (output as { setl_list_id?: unknown } | null | undefined)?.setl_list_id;
  return typeof id === 'string' && id !== '' ? { setl_list_id: id } : {};
}

/** The platform names the standing list in its refusal of a second one ("…已上传[<setl_list_id>]…"). */
function listIdInRefusal(err_msg: string): { setl_list_id?: string } {
  const match = /已上传\[([^\]]+)\]/.exec(err_msg);
  return match ? { setl_list_id: match[1] } : {};
}
