import { DeciderSpecification } from '@yb/event-store';
import { ClearingApplication, ClearingRefusal } from './clearing-application.decider';
import { type ClearingApplicationCommand } from './clearing-application.commands';
import { type ClearingApplicationEvent } from './clearing-application.events';
import { declared, office, subject } from './clearing-application.test-kit';

const spec = () => DeciderSpecification.for(ClearingApplication);
const apply = (
  reconciliation = { unreconciled_days: [] as string[], open_differences: 0 },
  scope: 'LOCAL' | 'CROSS_AREA' = 'LOCAL',
): ClearingApplicationCommand => ({
  type: 'ApplyForClearing',
  subject,
  scope,
  begndate: '2024-05-01',
  enddate: '2024-05-31',
  declared,
  reconciliation,
  requested_by: office,
});
const requested = (scope: 'LOCAL' | 'CROSS_AREA' = 'LOCAL'): ClearingApplicationEvent => ({
  type: 'ApplicationRequested',
  data: {
    ...subject,
    scope,
    infno: scope === 'LOCAL' ? '3202A' : '1608',
    begndate: '2024-05-01',
    enddate: '2024-05-31',
    declared,
    requested_by: office,
  },
});
const applied: ClearingApplicationEvent = {
  type: 'Applied',
  data: { infno: '3202A', clr_appy_evt_id: 'E1', applied_by: office },
};
const withdrawalRequested: ClearingApplicationEvent = {
  type: 'WithdrawalRequested',
  data: { infno: '3204A', requested_by: office },
};
const withdrawn: ClearingApplicationEvent = {
  type: 'Withdrawn',
  data: { infno: '3204A', clr_appy_evt_id: 'E1', withdrawn_by: office },
};

describe('ClearingApplication', () => {
  it('asks the platform when every day of the month is reconciled and no difference is open', () => {
    spec().given([]).when(apply()).then([requested()]);
  });

  it('asks 1608 for an agency of another area (异地)', () => {
    spec()
      .given([])
      .when(apply(undefined, 'CROSS_AREA'))
      .then([requested('CROSS_AREA')]);
  });

  it('refuses, without asking the platform, a month with a day not reconciled or a difference open', () => {
    spec()
      .given([])
      .when(apply({ unreconciled_days: ['2024-05-15'], open_differences: 1 }))
      .then([
        {
          type: 'ApplicationRefused',
          data: {
            scope: 'LOCAL',
            refused_by: 'SERVICE',
            reason: '2024-05-15 未对账平衡；尚有 1 笔差账未处理',
            unreconciled_days: ['2024-05-15'],
            open_differences: 1,
            requested_by: office,
          },
        },
      ]);
  });

  it('records the platform’s clr_appy_evt_id, once', () => {
    spec().given([requested()]).when({ type: 'RecordApplied', clr_appy_evt_id: 'E1' }).then([applied]);
    spec().given([requested(), applied]).when({ type: 'RecordApplied', clr_appy_evt_id: 'E1' }).then([]);
  });

  it('records a lost answer, and then the platform’s record of the application as the application made', () => {
    const lost: ClearingApplicationEvent = {
      type: 'ApplicationAnswerLost',
      data: { infno: '3202A', msgid: 'M1', reason: 'timeout after 5000 ms' },
    };
    spec()
      .given([requested()])
      .when({ type: 'RecordAnswerLost', msgid: 'M1', reason: 'timeout after 5000 ms' })
      .then([lost]);
    const recovered_by = {
      infno: '3205A',
      clr_stas: '10',
      opt_time: '2024-06-01 09:30:00',
      refusal: '3202A refused (-1): 已存在清算申请[E1]，不能重复申请',
    };
    spec()
      .given([requested(), lost])
      .when({ type: 'RecordApplied', clr_appy_evt_id: 'E1', recovered_by })
      .then([{ type: 'Applied', data: { ...applied.data, recovered_by } }]);
    // No call owed (answered already): nothing to record.
    spec()
      .given([requested(), applied])
      .when({ type: 'RecordAnswerLost', msgid: 'M2', reason: 'x' })
      .then([]);
  });

  it('records the platform’s refusal with its reason and who asked', () => {
    spec()
      .given([requested()])
      .when({ type: 'RecordApplicationRefused', reason: '3202A refused (-1): 对账不平' })
      .then([
        {
          type: 'ApplicationRefused',
          data: {
            scope: 'LOCAL',
            refused_by: 'PLATFORM',
            reason: '3202A refused (-1): 对账不平',
            unreconciled_days: [],
            open_differences: 0,
            requested_by: office,
          },
        },
      ]);
  });

  it('does not apply twice, nor while a call is under way, nor for a month without settlements', () => {
    spec().given([requested(), applied]).when(apply()).thenThrows(ClearingRefusal);
    spec().given([requested()]).when(apply()).thenThrows(ClearingRefusal);
    spec()
      .given([])
      .when({ ...apply(), declared: { ...declared, psntime: 0 } } as ClearingApplicationCommand)
      .thenThrows(ClearingRefusal);
  });

  it('withdraws a standing application with the interface of its scope, and may apply again after', () => {
    spec()
      .given([requested(), applied])
      .when({ type: 'WithdrawApplication', requested_by: office })
      .then([withdrawalRequested]);
    spec()
      .given([requested(), applied, withdrawalRequested])
      .when({ type: 'RecordWithdrawn' })
      .then([withdrawn]);
    spec().given([requested(), applied, withdrawalRequested, withdrawn]).when(apply()).then([requested()]);
  });

  it('refuses to withdraw what is not applied, and records the platform refusing a withdrawal', () => {
    spec()
      .given([])
      .when({ type: 'WithdrawApplication', requested_by: office })
      .then([
        {
          type: 'WithdrawalRefused',
          data: { refused_by: 'SERVICE', reason: '没有可撤销的清算申请', requested_by: office },
        },
      ]);
    spec()
      .given([requested(), applied, withdrawalRequested])
      .when({ type: 'RecordWithdrawalRefused', reason: '1618 refused (-1): 经办机构已受理，不能撤销' })
      .then([
        {
          type: 'WithdrawalRefused',
          data: {
            refused_by: 'PLATFORM',
            reason: '1618 refused (-1): 经办机构已受理，不能撤销',
            requested_by: office,
          },
        },
      ]);
  });

  it('records a withdrawal whose answer was lost, then confirmed, as withdrawn with what confirmed it', () => {
    const msgid = 'H42010200123202406010930120001';
    const lost: ClearingApplicationEvent = {
      type: 'ApplicationAnswerLost',
      data: { infno: '3204A', msgid, reason: 'timeout' },
    };
    spec()
      .given([requested(), applied, withdrawalRequested])
      .when({ type: 'RecordAnswerLost', msgid, reason: 'timeout' })
      .then([lost]);
    const confirmed_by = { infno: '3205A', refusal: '3204A refused (-1): 已撤销，不能重复撤销' };
    spec()
      .given([requested(), applied, withdrawalRequested, lost])
      .when({ type: 'RecordWithdrawn', confirmed_by })
      .then([{ ...withdrawn, data: { ...withdrawn.data, confirmed_by } } as ClearingApplicationEvent]);
    // Nothing owed: an answer lost outside a call changes nothing.
    spec().given([requested(), applied]).when({ type: 'RecordAnswerLost', msgid: 'M', reason: 'x' }).then([]);
  });
});
