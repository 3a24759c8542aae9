export {
  createEventStoreDataSource,
  eventStoreDataSourceOptions,
  eventStoreMigrations,
  runEventStoreMigrations,
  type EventStoreDataSourceConfig,
} from './data-source';
export {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type Appended,
  type PendingWorkClaim,
  type PendingWorkLease,
  type PendingWorkSweep,
  type EventStoreOptions,
  type ReadAllOptions,
  type ReadStreamAndInboxOptions,
  type ReadStreamOptions,
  type StreamAndInbox,
} from './event-store';
export {
  LOG_START,
  type DuplicateMessage,
  type DuplicateMessages,
  type ExpectedVersion,
  type LogPosition,
  type NewEvent,
  type RecordedEvent,
} from './recorded-event';
export { EventStoreInputError, ExpectedVersionConflictError } from './errors';
export { MESSAGE_ID_HEADER, type OutboxMessage } from './outbox-message';
export { UpcasterRegistry, type Upcast } from './upcasters';
export {
  CommandHandler,
  type AggregatedStream,
  type CommandHandled,
  type CommandHandlerOptions,
  type CommandHandlerStore,
  type Decider,
  type DomainEvent,
  type GroupCommand,
  type GroupCommandOutcome,
  type GroupHandled,
  type HandleAllOptions,
  type HandleCommandOptions,
  type HandleCommandResult,
  type StreamCacheUse,
} from './decider';
export { DeciderSpecification, DeciderOutcome } from './decider-specification';
export { ProjectionRunner, type Projection, type ProjectionRunnerOptions } from './projection-runner';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
export { PollLoop, type PollLoopOptions, type PollStepResult } from './poll-loop';
export { type EventStoreTables } from './schema-tables';
export { withAdvisoryLock } from './advisory-lock';
