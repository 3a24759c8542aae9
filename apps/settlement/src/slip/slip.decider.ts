import { type Decider } from '@yb/event-store';
import { type OwedSlip, type SlipCommand, type SlipEvent } from './slip.events';

/** Attempts before a slip is left to a person (the hospital's own slip prints meanwhile). */
export const MAX_SLIP_ATTEMPTS = 5;

export interface SlipState {
  readonly slip: OwedSlip | null;
  readonly printed: boolean;
  readonly attempts: number;
  readonly givenUp: boolean;
}

/** Whether the platform is still asked for the slip (the worker's durable mark). */
export const slipOwed = (state: SlipState): boolean =>
  state.slip !== null && !state.printed && !state.givenUp;

/**
 * The platform's slip of one settlement: owed once the settlement is recorded, printed once, or given up after
 * MAX_SLIP_ATTEMPTS failures. It never touches the settlement: a slip is a print.
 */
export const slipDecider: Decider<SlipCommand, SlipEvent, SlipState> = {
  initialState: () => ({ slip: null, printed: false, attempts: 0, givenUp: false }),
  decide(command, state) {
    switch (command.type) {
      case 'OweSlip':
        return state.slip ? [] : [{ type: 'SlipOwed', data: command.slip }];
      case 'RecordSlip':
        return slipOwed(state) ? [{ type: 'SlipPrinted', data: command.printed }] : [];
      case 'RecordSlipFailure': {
        if (!slipOwed(state)) return [];
        const attempts = state.attempts + 1;
        const retrying = attempts < MAX_SLIP_ATTEMPTS;
        return [{ type: 'SlipAttemptFailed', data: { reason: command.reason, attempts, retrying } }];
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'SlipOwed':
        return { ...state, slip: event.data };
      case 'SlipPrinted':
        return { ...state, printed: true };
      case 'SlipAttemptFailed':
        return { ...state, attempts: event.data.attempts, givenUp: !event.data.retrying };
    }
  },
};
