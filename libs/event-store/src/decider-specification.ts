import { deepStrictEqual, fail } from 'node:assert/strict';
import { type Decider, type DomainEvent } from './decider';

type ErrorCheck = (new (...args: never[]) => Error) | RegExp | ((error: unknown) => boolean);

/**
 * Given/when/then for deciders, pure (no database):
 *   DeciderSpecification.for(decider).given([...events]).when(command).then([...expected])
 *   DeciderSpecification.for(decider).given([]).when(command).thenThrows(SomeError)
 * Assertion failures throw node's AssertionError (with a diff), so it works under any test runner.
 * The object `when` returns has a `then` method: do not `await` it.
 */
export class DeciderSpecification<Command, Event extends DomainEvent, State> {
  private constructor(private readonly decider: Decider<Command, Event, State>) {}

  static for<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
  ): DeciderSpecification<Command, Event, State> {
    return new DeciderSpecification(decider);
  }

  given(events: readonly Event[]): { when(command: Command): DeciderOutcome<Event> } {
    return {
      when: (command) =>
        new DeciderOutcome(() => {
          const state = events.reduce((s, e) => this.decider.evolve(s, e), this.decider.initialState());
          return this.decider.decide(command, state);
        }),
    };
  }
}

export class DeciderOutcome<Event> {
  constructor(private readonly decide: () => Event[]) {}

  then(expected: readonly Event[]): void {
    deepStrictEqual(this.decide(), expected);
  }

  thenThrows(check?: ErrorCheck): void {
    let decided: Event[];
    try {
      decided = this.decide();
    } catch (error) {
      if (check && !matches(error, check)) {
        fail(
          `decide threw ${String(error)}, which does not match ${'name' in check ? check.name : String(check)}`,
        );
      }
      return;
    }
    fail(`decide was expected to throw but returned ${JSON.stringify(decided)}`);
  }
}

function matches(error: unknown, check: ErrorCheck): boolean {
  if (check instanceof RegExp) return error instanceof Error && check.test(error.message);
  if (check.prototype instanceof Error || check === Error) return error instanceof check;
  return (check as (error: unknown) => boolean)(error);
}
