import {
  initialSagaState,
  type HeldRequest,
  type QueuedRequest,
  type Saga,
  type SagaState,
} from './saga.state';
import { OPEN_SAGA_STATES, SagaIndex } from './saga-index';
import { type SagaStatus } from './saga.events';

// The index the sweeper and /metrics read: only visits with something open stay in it, so a hospital's history of
// settled visits does not grow it for the life of the process.

const PAST = '2026-12-01T08:00:00.000Z';
const NOW = '2026-12-07T08:00:00.000Z';

/** A visit whose latest saga is in `status`, optionally with a request held or queued. */
function visitWith(
  status: SagaStatus,
  extra: { held?: HeldRequest; queued?: QueuedRequest[]; pending?: Saga['pending'] } = {},
): SagaState {
  const saga = {
    saga_id: `saga-${status}`,
    status,
    pending: extra.pending ?? null,
    retry_at: status === 'WAITING_FOR_PLATFORM' ? PAST : null,
  } as Saga;
  return { ...initialSagaState, saga, held: extra.held ?? null, queued: extra.queued ?? [] };
}

const heldUntil = (deadline: string) => ({ deadline }) as HeldRequest;

describe('SagaIndex', () => {
  it('forgets a visit once its saga settled, cancelled or was reversed locally, with nothing held or queued', () => {
    const index = new SagaIndex();
    index.update(
      'ZY1',
      visitWith('RUNNING', { pending: { kind: 'platform', step: 'SETTLEMENT', infno: '2304' } }),
    );
    expect(index.get('ZY1')).toMatchObject({ status: 'RUNNING', owesPlatformCall: true });

    index.update('ZY1', visitWith('SETTLED'));
    index.update('ZY2', visitWith('CANCELLED'));
    index.update('ZY3', visitWith('REVERSED_LOCALLY'));

    expect([index.get('ZY1'), index.get('ZY2'), index.get('ZY3')]).toEqual([undefined, undefined, undefined]);
    expect(index.countByState()).toEqual(Object.fromEntries(OPEN_SAGA_STATES.map((s) => [s, 0])));
  });

  it('keeps a visit whose saga ended in a state a person acts on, and counts it', () => {
    const index = new SagaIndex();
    index.update('ZY1', visitWith('FAILED'));
    index.update('ZY2', visitWith('COMPENSATION_FAILED'));
    index.update('ZY3', visitWith('APPLIED_UNREADABLE'));
    index.update('ZY4', visitWith('WAITING_FOR_PLATFORM'));
    expect(index.countByState()).toMatchObject({
      FAILED: 1,
      COMPENSATION_FAILED: 1,
      APPLIED_UNREADABLE: 1,
      WAITING_FOR_PLATFORM: 1,
      RUNNING: 0,
    });
    expect(index.countByState()).not.toHaveProperty('SETTLED');
    expect(index.due(NOW)).toEqual(['ZY4']);
  });

  it("keeps a settled visit while a request is held for it or queued behind it, and does not count the saga's closed state", () => {
    const index = new SagaIndex();
    index.update('ZY1', visitWith('SETTLED', { held: heldUntil(PAST) }));
    index.update('ZY2', visitWith('SETTLED', { queued: [{} as QueuedRequest] }));
    expect(index.get('ZY1')).toMatchObject({ held: true, deadline: PAST });
    expect(index.get('ZY2')).toMatchObject({ status: 'SETTLED' });
    expect(index.due(NOW)).toEqual(['ZY1']);
    expect(index.countByState()).not.toHaveProperty('SETTLED');
  });

  it('forgets a visit whose held request was let go with no saga started: it is no longer due', () => {
    const index = new SagaIndex();
    index.update('ZY1', { ...initialSagaState, held: heldUntil(PAST) });
    expect(index.due(NOW)).toEqual(['ZY1']);
    index.update('ZY1', initialSagaState);
    expect(index.get('ZY1')).toBeUndefined();
    expect(index.due(NOW)).toEqual([]);
  });

  it('has a request queued on a free visit driven on (the process stopped before taking it), not one queued behind a running saga', () => {
    const index = new SagaIndex();
    index.update('ZY1', visitWith('SETTLED', { queued: [{} as QueuedRequest] }));
    index.update('ZY2', { ...initialSagaState, queued: [{} as QueuedRequest] });
    index.update('ZY3', visitWith('RUNNING', { queued: [{} as QueuedRequest] }));
    expect(['ZY1', 'ZY2', 'ZY3'].map((ipt_no) => index.owesDriving(ipt_no))).toEqual([true, true, false]);
    // Stalled once unchanged for the time given (here: any time at all).
    expect(index.stalled(-1)).toEqual(['ZY1', 'ZY2']);
    expect(index.stalled(60_000)).toEqual([]);
  });

  it('takes a forgotten visit back when its next saga starts', () => {
    const index = new SagaIndex();
    index.update('ZY1', visitWith('SETTLED'));
    index.update('ZY1', visitWith('RUNNING'));
    expect(index.countByState()).toMatchObject({ RUNNING: 1 });
  });
});
