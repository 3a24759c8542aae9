import { type SagaEvent, type SagaStep, type SentCommand } from './saga.events';
import { evolveSaga, type Saga, type SagaState } from './saga.state';
import { attemptOf, Timeline, type At } from './saga-timeline.decider';

// A settle saga's steps: fee totals (fee-detail), 3102 (quality), 2303, a person's confirmation, 2402
// (admission), 3102 again, 2304; a cancel saga's: 2305, then 2405 (admission) when it undoes the discharge.

/** The step after `done` in a settle or cancel saga, started (or the saga's end). */
export function nextAfter(b: Timeline, state: SagaState, done: SagaStep, at: At): SagaEvent[] {
  const saga = b.saga;
  const audit = saga.audit_enabled;
  const discharge = saga.mid_setl_flag === '0';
  const order: Partial<Record<SagaStep, SagaStep | 'END'>> =
    saga.kind === 'SETTLE'
      ? {
          FEE_RECONCILIATION: audit ? 'PRE_SETTLEMENT_AUDIT' : 'PRE_SETTLEMENT',
          PRE_SETTLEMENT_AUDIT: 'PRE_SETTLEMENT',
          PRE_SETTLEMENT: discharge ? 'DISCHARGE' : audit ? 'SETTLEMENT_AUDIT' : 'SETTLEMENT',
          CONFIRMATION: discharge ? 'DISCHARGE' : audit ? 'SETTLEMENT_AUDIT' : 'SETTLEMENT',
          DISCHARGE: audit ? 'SETTLEMENT_AUDIT' : 'SETTLEMENT',
          SETTLEMENT_AUDIT: 'SETTLEMENT',
        }
      : {
          SETTLEMENT_CANCEL: saga.cancel!.undo_discharge && discharge ? 'DISCHARGE_UNDO' : 'END',
        };
  const next = order[done];
  if (next === undefined) throw new Error(`no step follows ${done} in a ${saga.kind} saga`);
  if (next === 'END') return b.end('CANCELLED', 'SETTLEMENT_CANCEL', saga.cancel!.reason, false);
  return startStep(b, state, next, at);
}

export function continueWith(state: SagaState, prefix: SagaEvent[], step: SagaStep, at: At): SagaEvent[] {
  state = prefix.reduce(evolveSaga, state);
  const b = new Timeline(state.saga!, prefix);
  return startStep(b, state, step, at);
}

export function startStep(
  b: Timeline,
  state: SagaState,
  step: SagaStep,
  at: At,
  /** The total the platform said it holds, when a 2303 refusal sends the saga back to the fees. */
  platform_sumamt?: string,
): SagaEvent[] {
  const saga = b.saga;
  // A step started again in the same saga is a new attempt: its platform call gets a new request key.
  const attempt = (saga.attempts[step] ?? 0) + 1;
  const { visit } = state;
  const ipt_no = saga.ipt_no;
  const deadline = new Date(Date.parse(at.now) + saga.step_timeout_ms).toISOString();
  const send = (type: SentCommand['type'], data: Record<string, unknown>, detail: string, infno?: string) =>
    b.started(step, attempt, {
      command: { id: at.id, type, data },
      deadline,
      detail,
      ...(infno && { infno }),
    });
  switch (step) {
    case 'FEE_RECONCILIATION': {
      const his_sumamt = saga.request!.medfee_sumamt;
      const platform = platform_sumamt === undefined ? '' : `, platform total ${platform_sumamt}`;
      // The totals of the lines charged before the cashier asked (the request's place in the HIS's order).
      const request_id = saga.request_id ?? undefined;
      send(
        'ReconcileFeeTotals',
        {
          ipt_no,
          his_sumamt,
          ...(platform_sumamt !== undefined && { platform_sumamt }),
          ...(request_id !== undefined && { request_id }),
        },
        `fee-detail: HIS total ${his_sumamt}${platform}`,
      );
      break;
    }
    case 'PRE_SETTLEMENT_AUDIT':
    case 'SETTLEMENT_AUDIT': {
      const trig_scen = step === 'PRE_SETTLEMENT_AUDIT' ? '9' : '8';
      const data = { ipt_no, mdtrt_id: visit.mdtrt_id, trig_scen, saga_id: saga.saga_id };
      send('AuditSettlement', data, `quality: 3102 事中审核 trig_scen ${trig_scen}`, '3102');
      break;
    }
    case 'DISCHARGE':
      if (visit.discharged) {
        b.started('DISCHARGE', attempt, { infno: '2402', detail: 'admission: 2402 出院办理' });
        b.answered('DISCHARGE', 'SUCCEEDED', {
          infno: '2402',
          detail: 'the discharge (2402) is already registered',
        });
        return nextAfter(b, state, 'DISCHARGE', at);
      }
      send('DischargePatient', { ...visit.discharge! }, 'admission: 2402 出院办理', '2402');
      break;
    case 'PRE_SETTLEMENT':
      b.started(step, attempt, { infno: '2303', detail: '2303 住院预结算' });
      break;
    case 'SETTLEMENT':
      b.started(step, attempt, { infno: '2304', detail: '2304 住院结算' });
      break;
    case 'SETTLEMENT_CANCEL':
      b.started(step, attempt, { infno: '2305', detail: `2305 住院结算撤销 of ${saga.cancel!.setl_id}` });
      break;
    case 'DISCHARGE_UNDO':
      send('UndoDischarge', { ipt_no, reason: saga.cancel!.reason }, 'admission: 2405 出院撤销', '2405');
      break;
    case 'REVERSAL':
      throw new Error('2601 is started by an unknown outcome, not as a forward step');
  }
  return b.events;
}

export function retryPlatformStep(
  b: Timeline,
  saga: Saga,
  step: 'PRE_SETTLEMENT' | 'SETTLEMENT' | 'SETTLEMENT_CANCEL',
  why: string,
): SagaEvent[] {
  const infno = step === 'PRE_SETTLEMENT' ? '2303' : step === 'SETTLEMENT' ? '2304' : '2305';
  const attempt = attemptOf(saga, step) + 1;
  b.started(step, attempt, { infno, detail: `${infno} sent again with a new msgid (previous: ${why})` });
  return b.events;
}
