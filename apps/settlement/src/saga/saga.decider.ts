import { type Decider } from '@yb/event-store';
import { type SagaCommand } from './saga.commands';
import { type SagaEvent } from './saga.events';
import { evolveSaga, initialSagaState, isActive, type SagaState } from './saga.state';
import { recordAdmissionAnswer } from './admission-answers.decider';
import { confirmationTimedOut, decideConfirmation } from './confirmation.decider';
import { recordFeeTotals } from './fee-reconciliation.decider';
import { recordLocalReversal } from './local-reversal.decider';
import { takeQueuedRequest } from './next-request.decider';
import { recordPlatformAnswer } from './platform-answers.decider';
import { heldTimedOut, noteRegistration } from './registration-hold.decider';
import { recordReversal } from './reversal.decider';
import { retrySaga } from './saga-retry.decider';
import { stripUndefined, type At } from './saga-timeline.decider';
import { recordAudit } from './settlement-audit.decider';
import { requestCancel } from './settlement-cancel.decider';
import { requestSettlement } from './settlement-request.decider';
import { askAgain, stepTimedOut } from './waiting-for-platform.decider';

// The saga's decisions live in one file per flow (*.decider.ts beside this one); this one routes each command.
export { MAX_PLATFORM_ATTEMPTS } from './platform-answers.decider';
export { AREA_MISSING, NOT_REGISTERED } from './settlement-request.decider';
export { MAX_STEP_ASKS, PLATFORM_WAIT_MS } from './waiting-for-platform.decider';

export function decideSaga(command: SagaCommand, state: SagaState): SagaEvent[] {
  switch (command.type) {
    case 'NoteAdmission':
      return [{ type: 'AdmissionNoted', data: stripUndefined(command.admission) }];
    case 'NoteRegistration':
      return noteRegistration(state, command.registration, command);
    case 'NoteDischarge':
      return [{ type: 'DischargeNoted', data: { discharge: command.discharge } }];
    case 'RequestSettlement':
      return requestSettlement(
        state,
        command.request,
        { ...command, ipt_no: command.request.ipt_no },
        command.cause,
      );
    case 'RequestCancel':
      return requestCancel(state, command.cancel, { ...command, ipt_no: command.ipt_no }, command.cause);
    case 'TakeQueuedRequest':
      return takeQueuedRequest(state, command);
    case 'RetrySaga':
      return retrySaga(state, command.saga_id, command.comment, command);
    case 'RecordFeeTotals':
      return recordFeeTotals(state, command.causation_id, command.answer, command);
    case 'RecordAudit':
      return recordAudit(state, command.answer, command);
    case 'RecordAdmissionAnswer':
      return recordAdmissionAnswer(state, command.causation_id, command.answer, command);
    case 'RecordPlatformAnswer':
      return recordPlatformAnswer(state, command.answer, command);
    case 'RecordReversal':
      return recordReversal(state, command.reversal, command);
    case 'TimeOutStep':
      return timeOutStep(state, command);
    case 'DecideConfirmation':
      return decideConfirmation(state, command.confirmation, command);
    case 'RecordLocalReversal':
      return recordLocalReversal(state, command.reversal, command, command.cause);
  }
}

/** A deadline passed: the held request's, a waiting saga's retry time, the confirmation's, or a step's. */
function timeOutStep(state: SagaState, at: At): SagaEvent[] {
  const { held, saga } = state;
  if (held && held.deadline <= at.now) return heldTimedOut(held, at);
  if (!isActive(saga)) return [];
  if (saga.status === 'WAITING_FOR_PLATFORM') {
    return saga.retry_at !== null && saga.retry_at <= at.now ? askAgain(state, saga, at) : [];
  }
  const pending = saga.pending;
  if (pending?.kind === 'confirmation' && pending.deadline <= at.now) return confirmationTimedOut(saga);
  return stepTimedOut(state, saga, at);
}

export const sagaDecider: Decider<SagaCommand, SagaEvent, SagaState> = {
  decide: decideSaga,
  evolve: evolveSaga,
  initialState: () => initialSagaState,
};
