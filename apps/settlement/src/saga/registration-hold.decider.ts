import { type Registration } from './saga.commands';
import { type SagaEvent } from './saga.events';
import { evolveSaga, type HeldRequest, type SagaState } from './saga.state';
import { NOT_REGISTERED, requestSettlement } from './settlement-request.decider';
import { MAX_STEP_ASKS } from './waiting-for-platform.decider';
import { refused, stripUndefined, type At } from './saga-timeline.decider';

// A settlement request held for admission's registration result (requestSettlement holds it): decided when the
// registration is noted, refused when admission refuses the registration or the deadline passes.

/** The registration came: noted, and the request held for it is decided now. */
export function noteRegistration(state: SagaState, registration: Registration, at: At): SagaEvent[] {
  const noted: SagaEvent = { type: 'RegistrationNoted', data: stripUndefined(registration) };
  const { held } = state;
  if (!held) return [noted];
  const released = releaseOf(held, at);
  const after = [noted, released].reduce(evolveSaga, state);
  const start = { ...at, settings: held.settings, ipt_no: held.request.ipt_no };
  return [noted, released, ...requestSettlement(after, held.request, start)];
}

/** The held request refused: the registration was refused, or did not come before the deadline. */
export function refuseHeld(held: HeldRequest, reason: string, at: At): SagaEvent[] {
  return [releaseOf(held, at), refused('SettlementRequested', `${NOT_REGISTERED}: ${reason}`)];
}

function releaseOf(held: HeldRequest, at: At): SagaEvent {
  return {
    type: 'HeldRequestReleased',
    data: { released_at: at.now, ...(held.cause && { cause: held.cause }) },
  };
}

/** The held request's deadline passed with no registration. */
export function heldTimedOut(held: HeldRequest, at: At): SagaEvent[] {
  const waitedMs = held.settings.step_timeout_ms * MAX_STEP_ASKS;
  const waited = `admission's result did not come within ${waitedMs} ms of the request; send SettlementRequested again once the visit is registered`;
  return refuseHeld(held, waited, at);
}
