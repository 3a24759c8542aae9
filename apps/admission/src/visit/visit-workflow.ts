import { Inject, Injectable } from '@nestjs/common';
import { type Envelope } from '@yb/contracts';
import { CommandHandler, EventStore, withAdvisoryLock } from '@yb/event-store';
import { PlatformClient } from '@yb/platform-client';
import { SERVICE_CONFIG, type ServiceConfig } from '@yb/service-runtime';
import { ADMISSION_TOPICS, type AdmissionTopics } from '../admission-topics';
import { resultMessages } from '../messages/visit-results';
import { sendPendingRequest } from '../platform/visit-platform-requests';
import { type VisitCommand } from './visit.commands';
import { visitDecider } from './visit.decider';
import { type VisitEvent } from './visit.events';
import { type VisitState } from './visit.state';

/** The message a command came from: its id goes to the inbox, and it causes the published results. */
export interface CommandSource {
  readonly envelope: Pick<Envelope, 'id' | 'correlationId'>;
  /** The handler's name in the inbox (one service may act twice on one message). */
  readonly consumer: string;
}

export const visitStreamId = (ipt_no: string): string => `visit-${ipt_no}`;

/**
 * Runs a visit's command, then the platform requests it queued, one at a time, until none is pending: each
 * answer is recorded as a command of its own (events + results in the outbox, one transaction). The command's
 * message id is recorded in the inbox with its events, so a redelivered message has no second effect; a
 * redelivery still drives the visit, which finishes a request a crash interrupted. A visit is handled by one
 * process at a time (a PostgreSQL advisory lock held for the duration). Visits are kept in memory by version
 * (CommandHandler): a load reads only the events appended since.
 */
@Injectable()
export class VisitWorkflow {
  private readonly visits: CommandHandler<VisitCommand, VisitEvent, VisitState>;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PlatformClient) private readonly platform: PlatformClient,
    @Inject(ADMISSION_TOPICS) private readonly topics: AdmissionTopics,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.visits = new CommandHandler(store, visitDecider);
  }

  async handle(ipt_no: string, command: VisitCommand, source: CommandSource): Promise<void> {
    await this.withVisitLock(ipt_no, async () => {
      await this.drive(ipt_no, source.envelope);
      const result = await this.visits.handle(visitStreamId(ipt_no), command, {
        inboxMessageId: source.envelope.id,
        inboxConsumer: source.consumer,
        outbox: (events, state) => this.results(ipt_no, events, state, source.envelope),
      });
      if (result.kind === 'handled') await this.drive(ipt_no, source.envelope);
    });
  }

  /** The visit as its events tell it (events other processes appended included). */
  async load(ipt_no: string): Promise<VisitState> {
    return (await this.visits.aggregateStream(visitStreamId(ipt_no))).state;
  }

  private async drive(ipt_no: string, cause: Pick<Envelope, 'id' | 'correlationId'>): Promise<void> {
    for (;;) {
      const state = await this.load(ipt_no);
      if (!state.pending) return;
      const { fixmedins_code } = this.config.platform;
      const sent = await sendPendingRequest(this.platform, ipt_no, state, state.pending, fixmedins_code);
      const command: VisitCommand =
        'answer' in sent
          ? { type: 'RecordPlatformAnswer', answer: sent.answer }
          : { type: 'RecordReversal', reversal: sent.reversal };
      await this.visits.handle(visitStreamId(ipt_no), command, {
        outbox: (events, next) => this.results(ipt_no, events, next, cause),
      });
    }
  }

  private results(
    ipt_no: string,
    events: readonly VisitEvent[],
    state: VisitState,
    cause: Pick<Envelope, 'id' | 'correlationId'>,
  ) {
    return resultMessages(this.topics.insuranceInpatient, ipt_no, events, state, cause);
  }

  private withVisitLock(ipt_no: string, work: () => Promise<void>): Promise<void> {
    return withAdvisoryLock(this.store.dataSource, `${this.store.tables.schema}:visit`, ipt_no, work);
  }
}
