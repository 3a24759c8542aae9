import { type AdmissionAnswer } from './saga.commands';
import { type SagaEvent } from './saga.events';
import { evolveSaga, isRegistered, type SagaState } from './saga.state';
import { nextAfter } from './forward-steps.decider';
import { refuseHeld } from './registration-hold.decider';
import { awaiting, Timeline, type At } from './saga-timeline.decider';

/** admission's answers to a PatientAdmitted that mean the visit will not be registered (1101, 2001, 2401). */
const REGISTRATION_INFNOS: readonly string[] = ['1101', '2001', '2401'];

/**
 * admission's answers: a refused registration (the held request refused, or kept for a later one), the
 * discharge (2402) the saga asked for, or its undoing (2405: a settle saga's compensation, a cancel's last step).
 */
export function recordAdmissionAnswer(
  state: SagaState,
  causation_id: string,
  answer: AdmissionAnswer,
  at: At,
): SagaEvent[] {
  if (state.held && isRegistrationRefusal(answer)) {
    return refuseHeld(state.held, `admission's registration was refused: ${answerText(answer)}`, at);
  }
  // Kept for a settlement request that comes later (it would otherwise wait for a registration that never comes).
  if (isRegistrationRefusal(answer) && !isRegistered(state.visit)) {
    return [{ type: 'RegistrationRefusalNoted', data: { reason: answerText(answer) } }];
  }
  const noted: SagaEvent[] =
    answer.kind === 'DISCHARGED' || answer.kind === 'DISCHARGE_UNDONE'
      ? [{ type: 'DischargeStatusNoted', data: { discharged: answer.kind === 'DISCHARGED' } }]
      : [];
  const pendingStep = state.saga?.pending?.step;
  const step = pendingStep === 'DISCHARGE' || pendingStep === 'DISCHARGE_UNDO' ? pendingStep : null;
  const saga = step ? awaiting(state, step, causation_id) : null;
  if (!saga || !step) return noted;
  const after = noted.reduce(evolveSaga, state);
  const b = new Timeline(saga, noted);
  if (step === 'DISCHARGE') {
    if (
      answer.kind === 'DISCHARGED' ||
      // admission refuses a 2402 it already registered: the discharge stands.
      (answer.kind === 'REFUSED' && answer.code === 'ALREADY_DISCHARGED')
    ) {
      const msgid = answer.kind === 'DISCHARGED' ? answer.msgid : undefined;
      b.answered('DISCHARGE', 'SUCCEEDED', { infno: '2402', msgid, detail: answerText(answer) });
      return nextAfter(b, after, 'DISCHARGE', at);
    }
    const status = answer.kind === 'UNCERTAIN' ? 'UNKNOWN' : 'REJECTED';
    b.answered('DISCHARGE', status, { infno: '2402', msgid: msgidOf(answer), detail: answerText(answer) });
    const reason =
      answer.kind === 'UNCERTAIN'
        ? `2402 outcome unknown (${answer.reason}): check the discharge on the platform, undo it (2405) if it stands, then retry`
        : answerText(answer);
    return b.end('FAILED', 'DISCHARGE', reason, answer.kind === 'UNCERTAIN');
  }
  // DISCHARGE_UNDO: a compensation of a settle saga, or the second step of a cancel.
  const undone = answer.kind === 'DISCHARGE_UNDONE';
  // admission refuses a 2405 when no discharge is registered: nothing to undo.
  const nothingToUndo = answer.kind === 'REFUSED' && answer.code === 'NOT_DISCHARGED';
  if (undone || nothingToUndo) {
    const detail = undone ? '2405 出院撤销 succeeded' : `nothing to undo: ${answerText(answer)}`;
    if (saga.kind === 'CANCEL') {
      b.answered('DISCHARGE_UNDO', 'SUCCEEDED', { infno: '2405', msgid: msgidOf(answer), detail });
      return b.end('CANCELLED', 'SETTLEMENT_CANCEL', saga.cancel!.reason, false);
    }
    const failure = saga.failure!;
    b.answered('DISCHARGE_UNDO', 'SUCCEEDED', {
      infno: '2405',
      msgid: msgidOf(answer),
      detail,
      ...(undone && { result: { kind: 'discharge-undone', compensation: '2405', reason: failure.reason } }),
    });
    return b.end('FAILED', failure.step, failure.reason, false);
  }
  b.answered('DISCHARGE_UNDO', answer.kind === 'UNCERTAIN' ? 'UNKNOWN' : 'REJECTED', {
    infno: '2405',
    msgid: msgidOf(answer),
    detail: answerText(answer),
  });
  return b.compensationFailed(saga.failure?.step ?? 'SETTLEMENT_CANCEL', {
    compensation: '2405',
    msgid: msgidOf(answer),
    platform_answer: answerText(answer),
    platform_state:
      saga.kind === 'CANCEL'
        ? 'the settlement is cancelled (2305 succeeded); the discharge (2402) still stands'
        : `the discharge (2402) may still stand; settlement not applied (${saga.failure?.reason ?? ''})`,
    suggested_action: '在医保平台查询该就诊的出院状态，必要时人工办理出院撤销 (2405)，再在看板上重试',
  });
}

function isRegistrationRefusal(answer: AdmissionAnswer): boolean {
  return (
    (answer.kind === 'REJECTED' || answer.kind === 'REFUSED') && REGISTRATION_INFNOS.includes(answer.infno)
  );
}

function msgidOf(answer: AdmissionAnswer): string | undefined {
  return 'msgid' in answer ? answer.msgid : undefined;
}

function answerText(answer: AdmissionAnswer): string {
  switch (answer.kind) {
    case 'DISCHARGED':
      return '2402 出院办理 succeeded';
    case 'DISCHARGE_UNDONE':
      return '2405 出院撤销 succeeded';
    case 'REJECTED':
      return `${answer.infno} refused by the platform: ${answer.err_msg}`;
    case 'REFUSED':
      return `${answer.infno} refused by admission: ${answer.reason}`;
    case 'UNCERTAIN':
      return `${answer.infno} outcome unknown: ${answer.reason}`;
  }
}
