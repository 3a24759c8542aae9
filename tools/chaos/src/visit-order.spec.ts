import { type HisEvent, type ResultMessage } from './reconcile';
import { visitOrder } from './visit-order';

const event = (id: string, ipt_no: string, offset: number, type = 'AdmissionChanged'): HisEvent => ({
  id,
  type,
  ipt_no,
  topic: 'run.his.inpatient',
  partition: 0,
  offset: String(offset),
});
const answer = (id: string, cause: HisEvent, type = 'AdmissionChangeRegistered'): ResultMessage => ({
  id,
  type,
  key: cause.ipt_no,
  causationId: cause.id,
  data: {},
});

describe('visitOrder', () => {
  const admitted = event('e1', 'V1', 10, 'PatientAdmitted');
  const changed = event('e2', 'V1', 12);
  const cancelled = event('e3', 'V1', 15, 'AdmissionCancelled');
  const other = event('e4', 'V2', 11, 'PatientAdmitted');

  it('passes answers that follow their causes, visit by visit, a republished answer counted once', () => {
    const order = visitOrder(
      [admitted, changed, cancelled, other],
      [
        answer('r1', admitted, 'AdmissionRegistered'),
        answer('r4', other, 'AdmissionRegistered'),
        answer('r2', changed),
        answer('r2', changed),
        answer('r3', cancelled, 'AdmissionCancellationRegistered'),
      ],
    );
    expect(order).toEqual({ visitsChecked: 2, answers: 4, violations: [] });
  });

  it('names an answer to an earlier HIS event published after the answer to a later one', () => {
    const order = visitOrder(
      [admitted, changed, cancelled],
      [
        answer('r1', admitted, 'AdmissionRegistered'),
        answer('r3', cancelled, 'AdmissionCancellationRegistered'),
        answer('r2', changed),
      ],
    );
    expect(order.violations).toEqual([
      'V1: AdmissionChangeRegistered for AdmissionChanged at offset 12 came after ' +
        'AdmissionCancellationRegistered for AdmissionCancelled at offset 15',
    ]);
  });

  it('ignores results without a HIS cause and results of other kinds', () => {
    const order = visitOrder(
      [admitted],
      [
        { id: 'x', type: 'FeeLinesRejected', key: 'V1', causationId: 'e1', data: {} },
        { id: 'y', type: 'AdmissionRegistered', key: 'V1', causationId: null, data: {} },
      ],
    );
    expect(order).toEqual({ visitsChecked: 0, answers: 0, violations: [] });
  });
});
