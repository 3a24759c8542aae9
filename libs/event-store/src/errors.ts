import { type ExpectedVersion } from './recorded-event';

/** The stream was not at the version the append expected: another writer got there first. */
export class ExpectedVersionConflictError extends Error {
  override readonly name = 'ExpectedVersionConflictError';

  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    /** null when another writer's row was met at insert time, version not read. */
    readonly actualVersion: number | null,
  ) {
    super(
      `stream ${streamId} is at version ${actualVersion ?? '(changed concurrently)'}, ` +
        `the append expected ${String(expectedVersion)}`,
    );
  }
}

/** Bad input to the event store; `field` names what was wrong. */
export class EventStoreInputError extends TypeError {
  override readonly name = 'EventStoreInputError';

  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}
