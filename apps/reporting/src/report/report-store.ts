import { handleCommand, type EventStore, type HandleCommandResult } from '@yb/event-store';
import { reportResults, type Cause } from '../messages/report-results';
import {
  reportingVisitDecider,
  reportingVisitStream,
  type VisitEvent,
  type VisitFacts,
} from '../visit/reporting-visit';
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

const inbox = ({ message, consumer }: ExecuteOptions) =>
  message && consumer ? { inboxMessageId: message.id, inboxConsumer: consumer } : {};

/** The report streams and the visits' facts in the event store; results go to the outbox with the events. */
export class ReportStore {
  constructor(
    readonly store: EventStore,
    private readonly resultTopic: string,
  ) {}

  execute(
    streamId: string,
    command: ReportCommand,
    options: ExecuteOptions = {},
  ): Promise<HandleCommandResult<ReportEvent, ReportState>> {
    return handleCommand(this.store, reportDecider, streamId, command, {
      ...inbox(options),
      outbox: (events, state) => reportResults(this.resultTopic, events, state, options.message),
    });
  }

  async read(streamId: string): Promise<ReportState> {
    const recorded = await this.store.readStream(streamId);
    return recorded
      .map((e) => ({ type: e.type, data: e.data }) as ReportEvent)
      .reduce(reportDecider.evolve, reportDecider.initialState());
  }

  noteVisitFact(ipt_no: string, fact: VisitEvent, options: ExecuteOptions = {}): Promise<unknown> {
    return handleCommand(
      this.store,
      reportingVisitDecider,
      reportingVisitStream(ipt_no),
      { type: 'NoteVisitFact', fact },
      inbox(options),
    );
  }

  async readVisit(ipt_no: string): Promise<VisitFacts> {
    const recorded = await this.store.readStream(reportingVisitStream(ipt_no));
    return recorded
      .map((e) => ({ type: e.type, data: e.data }) as VisitEvent)
      .reduce(reportingVisitDecider.evolve, reportingVisitDecider.initialState());
  }

  /**
   * The report streams a run has to look at, oldest first (`report-<infno>-<report_ref>`): every one whose
   * last event is not an accepted upload (vali_flag 1), i.e. not yet uploaded, corrected since, or withdrawn.
   * Uploaded reports stay out of the run without reading their streams.
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
        ORDER BY opened.global_position`,
    );
    return rows.map((r) => r.stream_id);
  }
}
