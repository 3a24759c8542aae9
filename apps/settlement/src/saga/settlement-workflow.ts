import { randomUUID } from 'node:crypto';
import { CommandHandler, withAdvisoryLock, type EventStore } from '@yb/event-store';
import { type StreamCaches } from '@yb/service-runtime';
import { type PlatformClient } from '@yb/platform-client';
import { type DataSource } from 'typeorm';
import { sagaMessages, type Cause } from '../outbound/saga-results';
import { SettlementCalls } from '../platform/settlement-calls';
import { type SettlementConfig } from '../settlement-config';
import { type SettlementTopics } from '../settlement-topics';
import { type SagaCommand, type SagaSettings } from './saga.commands';
import { sagaDecider } from './saga.decider';
import { type SagaEvent } from './saga.events';
import { type SagaIndex } from './saga-index';
import { isActive, isBusy, type SagaState } from './saga.state';

/** The message a command came from: its id goes to the inbox, and it causes the published results. */
export interface CommandSource {
  readonly envelope: { id: string; correlationId: string };
  /** The handler's name in the inbox. */
  readonly consumer: string;
}

type Stamped<C> = C extends { now: string; id: string } ? Omit<C, 'now' | 'id'> : C;
/** A command as handlers build it: the workflow adds the time and a fresh id for what the decision sends. */
export type SagaRequest = Stamped<SagaCommand>;

export const sagaStreamId = (ipt_no: string): string => `settlement-${ipt_no}`;
export const STREAM_PREFIX = 'settlement-';

/**
 * Runs a visit's saga command, then the platform calls the saga owes, one at a time, until it waits for
 * another service or ends: each answer is recorded as a command of its own (events + outbox, one transaction).
 * The message id goes to the inbox with the events, so a redelivery has no second effect but still drives the
 * saga (finishing what a crash interrupted). One visit is handled by one process at a time (advisory lock).
 * Sagas are kept in memory by version (CommandHandler): a load reads only the events appended since.
 */
export class SettlementWorkflow {
  private readonly calls: SettlementCalls;
  private readonly sagas: CommandHandler<SagaCommand, SagaEvent, SagaState>;

  constructor(
    private readonly store: EventStore,
    platform: PlatformClient,
    dataSource: DataSource,
    private readonly topics: SettlementTopics,
    private readonly settings: SettlementConfig,
    private readonly index: SagaIndex,
  ) {
    this.calls = new SettlementCalls(platform, dataSource);
    this.sagas = new CommandHandler(store, sagaDecider);
  }

  /** Its command handler's cache, under the name /metrics reports it by (StreamCacheMetrics). */
  streamCaches(): StreamCaches {
    return { 'settlement-saga': this.sagas };
  }

  get sagaSettings(): SagaSettings {
    return {
      audit_enabled: this.settings.auditEnabled,
      step_timeout_ms: this.settings.stepTimeoutMs,
      confirmation_required: this.settings.confirmationRequired,
      confirmation_timeout_ms: this.settings.confirmationTimeoutMs,
    };
  }

  async handle(ipt_no: string, request: SagaRequest, source?: CommandSource): Promise<void> {
    await this.withSagaLock(ipt_no, async () => {
      await this.drive(ipt_no, source?.envelope);
      const inbox = source && { inboxMessageId: source.envelope.id, inboxConsumer: source.consumer };
      const appended = await this.record(ipt_no, request, source?.envelope, inbox);
      if (appended !== undefined) await this.drive(ipt_no, source?.envelope, appended);
    });
  }

  /** Drives a saga its own platform calls are owed to (at start, after a crash). */
  async resume(ipt_no: string): Promise<void> {
    await this.withSagaLock(ipt_no, () => this.drive(ipt_no, undefined));
  }

  /** Times out the visit's step if its deadline passed (the sweeper's call). */
  async timeOut(ipt_no: string): Promise<void> {
    await this.handle(ipt_no, { type: 'TimeOutStep' });
  }

  /**
   * The saga as its events tell it (events other processes appended included). `knownVersion`: the stream's
   * version as a statement just saw it; a saga held at that version or later is current without a read.
   */
  async load(ipt_no: string, knownVersion?: number): Promise<SagaState> {
    return (await this.sagas.aggregateStream(sagaStreamId(ipt_no), knownVersion)).state;
  }

  /** Decides and appends the command: the stream's version after its events, or undefined when nothing was. */
  private async record(
    ipt_no: string,
    request: SagaRequest,
    cause: Cause,
    inbox?: { inboxMessageId: string; inboxConsumer: string },
  ): Promise<number | undefined> {
    const command = { ...request, now: new Date().toISOString(), id: randomUUID() } as SagaCommand;
    const result = await this.sagas.handle(sagaStreamId(ipt_no), command, {
      ...inbox,
      outbox: (events, state) => sagaMessages(this.topics, ipt_no, events, state, cause),
    });
    if (result.kind !== 'handled') return undefined;
    this.index.update(ipt_no, result.state);
    return result.nextExpectedVersion;
  }

  /**
   * Under the visit's lock. `appended`: the version this process's own append just brought the saga to. Only
   * this workflow appends to a saga, always under the lock, so its cached state at that version is current: it
   * is taken without a read. Otherwise (the lock just taken: another replica may have appended before) the
   * stream is read from the cached version on.
   */
  private async drive(ipt_no: string, cause: Cause, appended?: number): Promise<void> {
    let current = appended;
    for (;;) {
      const { state } = await this.sagas.aggregateStream(sagaStreamId(ipt_no), current);
      this.index.update(ipt_no, state);
      // The visit is free and a request waits its turn: decide it now (it may start a saga driven below).
      if (state.queued.length > 0 && !isBusy(state)) {
        current = await this.record(ipt_no, { type: 'TakeQueuedRequest' }, cause);
        if (current === undefined) return;
        continue;
      }
      const saga = state.saga;
      // A saga waiting out the platform is asked again by the sweeper at its retry time, not here.
      if (!isActive(saga) || !saga.pending || saga.status === 'WAITING_FOR_PLATFORM') return;
      const { pending } = saga;
      let request: SagaRequest;
      if (pending.kind === 'platform') {
        request = { type: 'RecordPlatformAnswer', answer: await this.calls.send(ipt_no, state, pending) };
      } else if (pending.kind === 'reversal') {
        request = { type: 'RecordReversal', reversal: await this.calls.reverse(pending.omsgid) };
      } else {
        return;
      }
      current = await this.record(ipt_no, request, cause);
    }
  }

  private withSagaLock<T>(ipt_no: string, work: () => Promise<T>): Promise<T> {
    return withAdvisoryLock(this.store.dataSource, `${this.store.tables.schema}:settlement`, ipt_no, work);
  }
}
