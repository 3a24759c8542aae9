import { DeciderSpecification } from '@yb/event-store';
import { MAX_SLIP_ATTEMPTS, slipDecider, slipOwed } from './slip.decider';
import { type SlipEvent } from './slip.events';

const spec = () => DeciderSpecification.for(slipDecider);
const slip = { ipt_no: 'ZY1', mdtrt_id: 'M1', setl_id: 'S1', psn_no: 'P1', insuplc_admdvs: '420100' };
const owed: SlipEvent = { type: 'SlipOwed', data: slip };
const printed = {
  msgid: 'MSG1',
  filename: 'S1.html',
  content_type: 'text/html',
  document_base64: 'PGh0bWw+',
};
const failed = (attempts: number, retrying = true): SlipEvent => ({
  type: 'SlipAttemptFailed',
  data: { reason: 'YH03 refused: 忙', attempts, retrying },
});
const state = (events: SlipEvent[]) => events.reduce(slipDecider.evolve, slipDecider.initialState());

describe('the platform slip of a settlement', () => {
  it('is owed once per settlement', () => {
    spec().given([]).when({ type: 'OweSlip', slip }).then([owed]);
    spec().given([owed]).when({ type: 'OweSlip', slip }).then([]);
  });

  it('is printed once; a later answer changes nothing', () => {
    spec()
      .given([owed])
      .when({ type: 'RecordSlip', printed })
      .then([{ type: 'SlipPrinted', data: printed }]);
    spec()
      .given([owed, { type: 'SlipPrinted', data: printed }])
      .when({ type: 'RecordSlip', printed })
      .then([]);
    expect(slipOwed(state([owed, { type: 'SlipPrinted', data: printed }]))).toBe(false);
  });

  it(`is asked again after a failure, and left to a person after ${MAX_SLIP_ATTEMPTS}`, () => {
    spec()
      .given([owed])
      .when({ type: 'RecordSlipFailure', reason: 'YH03 refused: 忙' })
      .then([failed(1)]);
    const before = [owed, ...Array.from({ length: MAX_SLIP_ATTEMPTS - 1 }, (_, i) => failed(i + 1))];
    expect(slipOwed(state(before))).toBe(true);
    spec()
      .given(before)
      .when({ type: 'RecordSlipFailure', reason: 'YH03 refused: 忙' })
      .then([failed(MAX_SLIP_ATTEMPTS, false)]);
    expect(slipOwed(state([...before, failed(MAX_SLIP_ATTEMPTS, false)]))).toBe(false);
  });
});
