import { type Envelope } from '@yb/contracts';
import { CommandHandler, type AggregatedStream, type EventStore } from '@yb/event-store';
import { type StreamCaches } from '@yb/service-runtime';
import { clearingResultMessages } from '../outbound/clearing-results';
import { type ClearingApplicationCommand } from './clearing-application.commands';
import { ClearingApplication } from './clearing-application.decider';
import { type ClearingApplicationEvent, type ClearingSubject } from './clearing-application.events';
import { type ClearingApplicationState } from './clearing-application.state';

const STREAM_PREFIX = 'clearing-application-';

/** The worker's key and the stream's suffix of an application: `yyyyMM-clr_type-setl_optins`. */
export const clearingKey = (s: ClearingSubject): string => `${s.setlym}-${s.clr_type}-${s.setl_optins}`;

export function subjectOf(key: string): ClearingSubject {
  const [setlym, clr_type, setl_optins] = key.split('-');
  return { setlym, clr_type, setl_optins };
}

/**
 * The months' clearing applications in the event store (stream per month × clr_type × setl_optins): events,
 * result messages and the mark of an application that owes the platform a call, in one append.
 */
export class ClearingApplicationWorkflow {
  private readonly applications: CommandHandler<
    ClearingApplicationCommand,
    ClearingApplicationEvent,
    ClearingApplicationState
  >;

  constructor(
    private readonly store: EventStore,
    private readonly resultTopic: string,
  ) {
    this.applications = new CommandHandler(store, ClearingApplication);
  }

  /** Its command handler's cache, under the name /metrics reports it by (StreamCacheMetrics). */
  streamCaches(): StreamCaches {
    return { 'clearing-application': this.applications };
  }

  async execute(
    subject: ClearingSubject,
    command: ClearingApplicationCommand,
    causedBy?: Pick<Envelope, 'id' | 'correlationId'>,
  ): Promise<ClearingApplicationState> {
    const key = clearingKey(subject);
    const result = await this.applications.handle(`${STREAM_PREFIX}${key}`, command, {
      outbox: (events, state) => clearingResultMessages(events, state, subject, this.resultTopic, causedBy),
      owesWork: (state) => state.pending !== null,
    });
    return result.kind === 'handled' ? result.state : (await this.load(subject)).state;
  }

  load(subject: ClearingSubject): Promise<AggregatedStream<ClearingApplicationState>> {
    return this.applications.aggregateStream(`${STREAM_PREFIX}${clearingKey(subject)}`);
  }

  /** The applications that owe the platform a call, oldest mark first. */
  async owedApplications(): Promise<string[]> {
    return (await this.store.pendingWork(STREAM_PREFIX)).map((stream) => stream.slice(STREAM_PREFIX.length));
  }

  async clearOwed(subject: ClearingSubject, version: number): Promise<void> {
    await this.store.clearPendingWork(`${STREAM_PREFIX}${clearingKey(subject)}`, version);
  }
}
