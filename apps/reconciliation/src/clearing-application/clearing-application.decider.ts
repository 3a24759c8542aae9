import { type Decider } from '@yb/event-store';
import { type ClearingApplicationCommand } from './clearing-application.commands';
import { type ClearingApplicationEvent, type ClearingScope } from './clearing-application.events';
import {
  evolveClearing,
  initialClearingState,
  type ClearingApplicationState,
} from './clearing-application.state';

/** What the billing office asked that the application cannot do now (answered 409, nothing recorded). */
export class ClearingRefusal extends Error {
  override readonly name = 'ClearingRefusal';
}

/** Hubei's interfaces (its list): by clearing agency for our own area's insured, 1608 / 1618 for 异地. */
export const CLEARING_INTERFACES: Record<ClearingScope, { apply: string; withdraw: string }> = {
  LOCAL: { apply: '3202A', withdraw: '3204A' },
  CROSS_AREA: { apply: '1608', withdraw: '1618' },
};

/** Why the month may not be applied for yet, in the billing office's words. */
function notReconciled(unreconciled_days: readonly string[], open_differences: number): string {
  return [
    ...(unreconciled_days.length > 0 ? [`${unreconciled_days.join('、')} 未对账平衡`] : []),
    ...(open_differences > 0 ? [`尚有 ${open_differences} 笔差账未处理`] : []),
  ].join('；');
}

/** A platform answer recorded when no call is owed (a late answer after a restart) changes nothing. */
function decide(
  command: ClearingApplicationCommand,
  state: ClearingApplicationState,
): ClearingApplicationEvent[] {
  const { pending } = state;
  switch (command.type) {
    case 'ApplyForClearing': {
      if (pending) throw new ClearingRefusal('该月清算申请或撤销正在办理中');
      if (state.status === 'APPLIED')
        throw new ClearingRefusal(`该月已申请清算（${state.clr_appy_evt_id}），如需重报请先撤销`);
      if (command.declared.psntime === 0) throw new ClearingRefusal('该月没有结算记录，无需申请清算');
      const { subject, scope, begndate, enddate, declared, reconciliation, requested_by } = command;
      const { unreconciled_days, open_differences } = reconciliation;
      if (unreconciled_days.length > 0 || open_differences > 0) {
        return [
          {
            type: 'ApplicationRefused',
            data: {
              scope,
              refused_by: 'SERVICE',
              reason: notReconciled(unreconciled_days, open_differences),
              unreconciled_days: [...unreconciled_days],
              open_differences,
              requested_by,
            },
          },
        ];
      }
      return [
        {
          type: 'ApplicationRequested',
          data: {
            ...subject,
            scope,
            infno: CLEARING_INTERFACES[scope].apply,
            begndate,
            enddate,
            declared,
            requested_by,
          },
        },
      ];
    }
    case 'RecordAnswerLost':
      if (pending === null) return [];
      return [
        {
          type: 'ApplicationAnswerLost',
          data: { infno: pending.infno, msgid: command.msgid, reason: command.reason },
        },
      ];
    case 'RecordApplied':
      if (pending?.kind !== 'apply') return [];
      return [
        {
          type: 'Applied',
          data: {
            infno: pending.infno,
            clr_appy_evt_id: command.clr_appy_evt_id,
            applied_by: pending.requested_by,
            ...(command.recovered_by && { recovered_by: command.recovered_by }),
          },
        },
      ];
    case 'RecordApplicationRefused':
      if (pending?.kind !== 'apply') return [];
      return [
        {
          type: 'ApplicationRefused',
          data: {
            scope: state.scope!,
            refused_by: 'PLATFORM',
            reason: command.reason,
            unreconciled_days: [],
            open_differences: 0,
            requested_by: pending.requested_by,
          },
        },
      ];
    case 'WithdrawApplication':
      if (pending) throw new ClearingRefusal('该月清算申请或撤销正在办理中');
      if (state.status !== 'APPLIED')
        return [
          {
            type: 'WithdrawalRefused',
            data: {
              refused_by: 'SERVICE',
              reason: '没有可撤销的清算申请',
              requested_by: command.requested_by,
            },
          },
        ];
      return [
        {
          type: 'WithdrawalRequested',
          data: { infno: CLEARING_INTERFACES[state.scope!].withdraw, requested_by: command.requested_by },
        },
      ];
    case 'RecordWithdrawn':
      if (pending?.kind !== 'withdraw') return [];
      return [
        {
          type: 'Withdrawn',
          data: {
            infno: pending.infno,
            clr_appy_evt_id: state.clr_appy_evt_id!,
            withdrawn_by: pending.requested_by,
            ...(command.confirmed_by && { confirmed_by: command.confirmed_by }),
          },
        },
      ];
    case 'RecordWithdrawalRefused':
      if (pending?.kind !== 'withdraw') return [];
      return [
        {
          type: 'WithdrawalRefused',
          data: { refused_by: 'PLATFORM', reason: command.reason, requested_by: pending.requested_by },
        },
      ];
  }
}

/** One month's clearing application per clr_type × setl_optins: asked, made or refused, withdrawn. */
export const ClearingApplication: Decider<
  ClearingApplicationCommand,
  ClearingApplicationEvent,
  ClearingApplicationState
> = {
  decide,
  evolve: evolveClearing,
  initialState: initialClearingState,
};
