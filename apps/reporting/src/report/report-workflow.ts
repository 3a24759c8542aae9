import {
  CommandHandler,
  type EventStore,
  type HandleCommandResult,
  type OutboxMessage,
} from '@yb/event-store';
import { type StreamCaches } from '@yb/service-runtime';
import { reportResults, type Cause } from '../outbound/report-results';
import {
  reportingVisitDecider,
  reportingVisitStream,
  type NoteVisitFact,
  type VisitEvent,
  type VisitFacts,
} from '../visit/reporting-visit';
import { type RunCommand } from '../report-run/report-run.commands';
import { reportRunsDecider } from '../report-run/report-run.decider';
import { type RunEvent } from '../report-run/report-run.events';
import { type RunsState } from '../report-run/report-run.state';
import { type ReportCommand } from './report.commands';
import { reportDecider } from './report.decider';
import { type ReportEvent } from './report.events';
import { type ReportState } from './report.state';

export interface ExecuteOptions {
  /** The consumed message: recorded in the inbox with the events, and the cause of the results. */
  readonly message?: Cause;
  /** The handler's name in the inbox (one message may feed several streams). */
  readonly consumer?: string;
}

/** The runs' stream: when the schedule started, and when each run started and finished. */
const RUNS_STREAM = 'reporting-runs';

const inbox = ({ message, consumer }: ExecuteOptions) =>
  message && consumer ? { inboxMessageId: message.id, inboxConsumer: consumer } : {};

/**
 * The report streams and the visits' facts in the event store; results go to the outbox with the events.
 * Both are kept in memory by version (CommandHandler): a command reads only the events appended since.
 */
export class ReportWorkflow {
  private readonly reports: CommandHandler<ReportCommand, ReportEvent, ReportState>;
  private readonly visits: CommandHandler<NoteVisitFact, VisitEvent, VisitFacts>;
  private readonly runs: CommandHandler<RunCommand, RunEvent, RunsState>;

  constructor(
    readonly store: EventStore,
    private readonly resultTopic: string,
  ) {
    this.reports = new CommandHandler(store, reportDecider);
    this.visits = new CommandHandler(store, reportingVisitDecider);
    this.runs = new CommandHandler(store, reportRunsDecider);
  }

  /** Its command handlers' caches, under the names /metrics reports them by (StreamCacheMetrics). */
  streamCaches(): StreamCaches {
    return { report: this.reports, 'reporting-visit': this.visits, 'report-runs': this.runs };
  }

  execute(
    streamId: string,
    command: ReportCommand,
    options: ExecuteOptions = {},
  ): Promise<HandleCommandResult<ReportEvent, ReportState>> {
    return this.reports.handle(streamId, command, {
      ...inbox(options),
      outbox: (events, state) => reportResults(this.resultTopic, events, state, options.message),
    });
  }

  async read(streamId: string): Promise<ReportState> {
    return (await this.reports.aggregateStream(streamId)).state;
  }

  noteVisitFact(ipt_no: string, fact: VisitEvent, options: ExecuteOptions = {}): Promise<unknown> {
    return this.visits.handle(reportingVisitStream(ipt_no), { type: 'NoteVisitFact', fact }, inbox(options));
  }

  async readVisit(ipt_no: string): Promise<VisitFacts> {
    return (await this.visits.aggregateStream(reportingVisitStream(ipt_no))).state;
  }

  /** Records the schedule's start, or a run's start or end, with the results it publishes. */
  recordRun(command: RunCommand, results: OutboxMessage[] = []): Promise<unknown> {
    return this.runs.handle(RUNS_STREAM, command, { outbox: () => results });
  }

  async readRuns(): Promise<RunsState> {
    return (await this.runs.aggregateStream(RUNS_STREAM)).state;
  }

  /**
   * The report streams a run has to look at, oldest first (`report-<infno>-<report_ref>`): every one whose
   * last event is not an accepted upload (vali_flag 1) or a recheck that found it unchanged, i.e. not yet
   * uploaded, corrected since (its source, or for a 4101A its visit's facts), or withdrawn. Uploaded reports
   * stay out of the run without reading their streams.
   */
  async openReportStreams(): Promise<string[]> {
    const events = this.store.tables.events;
    const rows: { stream_id: string }[] = await this.store.dataSource.query(
      `SELECT latest.stream_id
         FROM (SELECT DISTINCT ON (stream_id) stream_id, type, data->>'vali_flag' AS vali_flag
                 FROM ${events} WHERE stream_id LIKE 'report-%'
                ORDER BY stream_id, stream_version DESC) latest
         JOIN ${events} opened ON opened.stream_id = latest.stream_id AND opened.stream_version = 1
        WHERE NOT (latest.type = 'UploadAccepted' AND latest.vali_flag = '1')
          AND latest.type <> 'UploadConfirmed'
        ORDER BY opened.global_position`,
    );
    return rows.map((r) => r.stream_id);
  }
}
