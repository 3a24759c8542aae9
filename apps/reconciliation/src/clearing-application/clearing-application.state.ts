import { type CLEARING_STATUSES, type Operator } from '@yb/contracts';
import {
  type ClearingApplicationEvent,
  type ClearingScope,
  type ClearingSubject,
  type DeclaredTotals,
} from './clearing-application.events';

export type ClearingStatus = (typeof CLEARING_STATUSES)[number];

/** The platform call the application owes: its making (3202A / 1608) or its withdrawal (3204A / 1618). */
export interface PendingCall {
  readonly kind: 'apply' | 'withdraw';
  readonly infno: string;
  readonly requested_by: Operator;
  /** A call of it went unanswered: the platform may already hold what it asked (README, lost answers). */
  readonly answer_lost?: boolean;
}

export interface ClearingApplicationState {
  readonly subject?: ClearingSubject;
  readonly scope?: ClearingScope;
  readonly status: ClearingStatus;
  readonly pending: PendingCall | null;
  /** The period and totals of the latest application asked for. */
  readonly begndate?: string;
  readonly enddate?: string;
  readonly declared?: DeclaredTotals;
  /** The platform's key of the standing (or last withdrawn) application. */
  readonly clr_appy_evt_id?: string;
  /** That application as it was made (its printout): period, totals, who applied. */
  readonly applied?: {
    readonly begndate: string;
    readonly enddate: string;
    readonly declared: DeclaredTotals;
    readonly applied_by: Operator;
  };
  /** Why the latest application or withdrawal was refused, until the next succeeds. */
  readonly refusal?: string;
}

export const initialClearingState = (): ClearingApplicationState => ({
  status: 'NOT_APPLIED',
  pending: null,
});

export function evolveClearing(
  state: ClearingApplicationState,
  event: ClearingApplicationEvent,
): ClearingApplicationState {
  switch (event.type) {
    case 'ApplicationRequested': {
      const { setlym, clr_type, setl_optins, scope, infno, begndate, enddate, declared, requested_by } =
        event.data;
      return {
        ...state,
        subject: { setlym, clr_type, setl_optins },
        scope,
        begndate,
        enddate,
        declared,
        pending: { kind: 'apply', infno, requested_by },
      };
    }
    case 'ApplicationAnswerLost':
      return { ...state, pending: state.pending && { ...state.pending, answer_lost: true } };
    case 'Applied':
      return {
        ...state,
        status: 'APPLIED',
        pending: null,
        clr_appy_evt_id: event.data.clr_appy_evt_id,
        applied: {
          begndate: state.begndate!,
          enddate: state.enddate!,
          declared: state.declared!,
          applied_by: event.data.applied_by,
        },
        refusal: undefined,
      };
    case 'ApplicationRefused':
      return { ...state, scope: event.data.scope, pending: null, refusal: event.data.reason };
    case 'WithdrawalRequested':
      return { ...state, pending: { kind: 'withdraw', ...event.data } };
    case 'Withdrawn':
      return { ...state, status: 'WITHDRAWN', pending: null, refusal: undefined };
    case 'WithdrawalRefused':
      return { ...state, pending: null, refusal: event.data.reason };
  }
}
