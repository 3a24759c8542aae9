import { type Envelope } from '@yb/contracts';
import {
  CommandHandler,
  type AggregatedStream,
  type EventStore,
  type PendingWorkSweep,
} from '@yb/event-store';
import { WaitOutHandlerError } from '@yb/messaging';
import { type PlatformClient } from '@yb/platform-client';
import {
  type ClaimedKey,
  PendingWorkLeases,
  PlatformWorker,
  type OwedNothing,
  type PlatformWorkers,
  type ServiceConfig,
  type StreamCaches,
} from '@yb/service-runtime';
import { type Logger } from 'pino';
import { type AdmissionConfig } from '../admission-config';
import { type AdmissionTopics } from '../admission-topics';
import { resultMessages } from '../outbound/visit-results';
import { sendPendingRequest } from '../platform/visit-platform-requests';
import { type RequestCause, type VisitCommand } from './visit.commands';
import { RequestOutstandingError, visitDecider } from './visit.decider';
import { type VisitEvent } from './visit.events';
import { type VisitState } from './visit.state';

/** The message a command came from: its id goes to the inbox, and it causes the published results. */
export interface CommandSource {
  readonly envelope: Pick<Envelope, 'id' | 'correlationId'>;
  /** The handler's name in the inbox (one service may act twice on one message). */
  readonly consumer: string;
}

export const VISIT_STREAM_PREFIX = 'visit-';
export const visitStreamId = (ipt_no: string): string => `${VISIT_STREAM_PREFIX}${ipt_no}`;

/**
 * A message arrived while the visit's platform request is still unanswered (the platform away, the worker
 * retrying): the consumer waits it out, in order, never dead-letters it.
 */
export class VisitRequestOutstanding extends WaitOutHandlerError {
  override readonly name = 'VisitRequestOutstanding';
}

/**
 * The platform did not answer the visit's request (recorded, and queued again by the decider): the worker
 * backs off before asking again (1 s doubling to 60 s), so a platform away for minutes is waited out, not
 * hammered; the visit counts as failing in yb_platform_work_keys meanwhile.
 */
export class PlatformDidNotAnswer extends Error {
  override readonly name = 'PlatformDidNotAnswer';
}

/**
 * A visit's commands and its platform requests, the requests off the consumer path. A command is decided and
 * recorded (events + results + inbox + the mark that the visit owes the platform a request, one transaction)
 * and the visit handed to the worker, which sends the pending request and records its answer (a command of
 * its own) until none is pending, holding the visit's lease (one replica at a time) — so consumption never
 * waits for the platform. A visit's commands are decided with no request outstanding (the decider's rule:
 * one request at a time, in message order): a message that finds one waits for the worker, and is retried
 * by the consumer if the request is still unanswered then. A crash leaves the mark, and the worker's sweep
 * takes the visit up again. Visits are kept in memory by version (CommandHandler).
 */
export class VisitWorkflow {
  private readonly visits: CommandHandler<VisitCommand, VisitEvent, VisitState>;
  /** The visits whose requests wait to be sent (started and stopped by the service's lifecycle). */
  private readonly worker: PlatformWorker;

  constructor(
    private readonly store: EventStore,
    private readonly platform: PlatformClient,
    private readonly topics: AdmissionTopics,
    private readonly config: ServiceConfig,
    settings: AdmissionConfig,
    workers: PlatformWorkers,
    logger: Logger,
  ) {
    this.visits = new CommandHandler(store, visitDecider);
    this.worker = new PlatformWorker(
      'visit-requests',
      {
        run: (ipt_no, claimed) => this.sendRequests(ipt_no, claimed),
        owed: (sweep) => this.owedVisits(sweep),
      },
      {
        concurrency: settings.platformConcurrency,
        leases: new PendingWorkLeases(store, VISIT_STREAM_PREFIX, config.replicaId),
      },
      logger,
    );
    workers.add(this.worker);
  }

  /** Its command handler's cache, under the name /metrics reports it by (StreamCacheMetrics). */
  streamCaches(): StreamCaches {
    return { visit: this.visits };
  }

  /**
   * Decides the message's command and hands the visit to the worker. One that finds the visit's previous request
   * unanswered (the decider's RequestOutstandingError, decided on the stream as read) has the worker send it now
   * and is decided again once it is answered; still unanswered, the consumer waits it out.
   */
  async handle(ipt_no: string, command: VisitCommand, source: CommandSource): Promise<void> {
    try {
      await this.decide(ipt_no, command, source);
    } catch (err) {
      if (!(err instanceof RequestOutstandingError)) throw err;
      this.worker.schedule(ipt_no);
      await this.worker.settled(ipt_no);
      try {
        await this.decide(ipt_no, command, source);
      } catch (again) {
        if (!(again instanceof RequestOutstandingError)) throw again;
        throw new VisitRequestOutstanding(`${again.message}; the message is handled once it is`);
      }
    }
  }

  private async decide(ipt_no: string, command: VisitCommand, source: CommandSource): Promise<void> {
    const leaseAskedAt = Date.now();
    const result = await this.visits.handle(
      visitStreamId(ipt_no),
      { ...command, cause: source.envelope },
      {
        inboxMessageId: source.envelope.id,
        inboxConsumer: source.consumer,
        outbox: (events, state) => this.results(ipt_no, events, state, source.envelope),
        owesWork: (state) => state.pending !== null,
        // A visit begins with its admission: its stream is not read first (a redelivery fails the append).
        opensStream: command.type === 'AdmitPatient',
        // The visit goes to the worker right after, which then runs it under this lease without a claim.
        takeLease: this.worker.leaseToTake(),
      },
    );
    if (result.kind === 'handled' && result.state.pending) {
      this.worker.schedule(
        ipt_no,
        0,
        result.leaseTaken ? { streamVersion: result.nextExpectedVersion, askedAt: leaseAskedAt } : undefined,
      );
    }
  }

  /**
   * Fee-detail's notes of a visit's lines on the platform (consecutive messages of a batch), recorded in one
   * append without waiting for the visit's request: a note asks the platform nothing and changes no request,
   * and what it gates (2404) is a later message, which waits as every request does. `done` is told how many
   * of the notes, from the first, are recorded (or were already) before a refused one's error is thrown (the
   * consumer host then handles the others alone).
   */
  async noteFeeLines(
    ipt_no: string,
    notes: readonly { command: VisitCommand; source: CommandSource }[],
    consumer: string,
    done: (count: number) => void,
  ): Promise<void> {
    const result = await this.visits.handleAll(
      visitStreamId(ipt_no),
      notes.map(({ command, source }) => ({
        command: { ...command, cause: source.envelope },
        inboxMessageId: source.envelope.id,
        outbox: (events: readonly VisitEvent[], state: VisitState) =>
          this.results(ipt_no, events, state, source.envelope),
      })),
      { inboxConsumer: consumer, owesWork: (state) => state.pending !== null },
    );
    done(result.completed);
    const rejected = result.outcomes.find((outcome) => outcome.kind === 'rejected');
    if (rejected?.kind === 'rejected') throw rejected.error;
  }

  /**
   * The worker's run: sends the visit's pending requests until none is left, then says so (the worker clears
   * its mark with the lease's release, one statement for both). Starts from the visit as the lease's claim saw
   * it: one held at that version is not read.
   */
  async sendRequests(ipt_no: string, claimed?: ClaimedKey): Promise<OwedNothing> {
    let visit: AggregatedStream<VisitState> & { markCleared?: boolean } = await this.visits.aggregateStream(
      visitStreamId(ipt_no),
      claimed?.streamVersion,
    );
    for (;;) {
      const { state, version, markCleared } = visit;
      if (!state.pending) return { owedNothingAsOf: version, markCleared };
      const { fixmedins_code } = this.config.platform;
      const sent = await sendPendingRequest(this.platform, ipt_no, state, state.pending, fixmedins_code);
      const command: VisitCommand =
        'answer' in sent
          ? { type: 'RecordPlatformAnswer', answer: sent.answer }
          : { type: 'RecordReversal', reversal: sent.reversal };
      const cause = state.pendingCause ?? undefined;
      // The answer that leaves nothing pending clears the visit's mark and lease in its own append.
      const recorded = await this.visits.handle(visitStreamId(ipt_no), command, {
        outbox: (events, next) => this.results(ipt_no, events, next, cause),
        owesWork: (next) => next.pending !== null,
        clearsOwedWork: true,
      });
      // The visit the answer's append left, not read back (a round trip per request): a message consumed since
      // is a later mark, which the clearing leaves, and the next request's append decides afresh.
      visit =
        recorded.kind === 'handled'
          ? {
              state: recorded.state,
              version: recorded.nextExpectedVersion,
              markCleared: recorded.owedWorkCleared,
            }
          : await this.visits.aggregateStream(visitStreamId(ipt_no));
      const unanswered =
        'answer' in sent ? sent.answer.status === 'UNKNOWN' : sent.reversal.verdict === 'unanswered';
      if (unanswered) {
        throw new PlatformDidNotAnswer(`${state.pending.infno} got no answer; asked again after a pause`);
      }
    }
  }

  /** The visits marked as owing the platform a request (the worker's sweep: those no replica is on). */
  async owedVisits(sweep?: PendingWorkSweep): Promise<string[]> {
    return (await this.store.pendingWork(VISIT_STREAM_PREFIX, undefined, sweep)).map((id) =>
      id.slice(VISIT_STREAM_PREFIX.length),
    );
  }

  private results(
    ipt_no: string,
    events: readonly VisitEvent[],
    state: VisitState,
    cause: RequestCause | undefined,
  ) {
    return resultMessages(this.topics.insuranceInpatient, ipt_no, events, state, cause);
  }
}
