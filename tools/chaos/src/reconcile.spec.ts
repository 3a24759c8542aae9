import { failures, reconcile, type ReconcileInput, type ResultMessage } from './reconcile';

const HIS = 'run.his.inpatient';
let offset = 0;
const his = (type: string, ipt_no: string, extra: { charged?: string[]; voided?: string[] } = {}) => ({
  id: `m${offset}`,
  type,
  ipt_no,
  topic: HIS,
  partition: 0,
  offset: String(offset++),
  ...extra,
});
const result = (type: string, key: string, causationId: string | null, data: Record<string, unknown> = {}) =>
  ({ id: `r-${type}-${key}-${causationId}`, type, key, causationId, data }) satisfies ResultMessage;
const registration = (
  ipt_no: string,
  mdtrt_id: string,
  status = 'admitted',
  history: string[] = ['2401'],
) => ({
  ipt_no,
  mdtrt_id,
  status,
  history: history.map((infno) => ({ infno })),
});
const line = (mdtrt_id: string, feedetl_sn: string, status = 'uploaded') => ({
  mdtrt_id,
  feedetl_sn,
  status,
});

function input(partial: Partial<ReconcileInput>): ReconcileInput {
  return {
    published: [],
    missingFromTopic: 0,
    hostile: [],
    hostileRefusedByBroker: {},
    ledger: { registrations: [], feeLines: [], settlements: [] },
    results: [],
    deadLetters: [],
    services: ['admission', 'fee-detail'],
    // Every service has read everything unless a test says otherwise.
    committed: {
      admission: { [`${HIS}/0`]: '1000', [`${HIS}/1`]: '1000' },
      'fee-detail': { [`${HIS}/0`]: '1000', [`${HIS}/1`]: '1000' },
      settlement: { [`${HIS}/0`]: '1000' },
    },
    ...partial,
  };
}

describe('reconcile', () => {
  it('counts an episode whose every effect is on the platform once as applied, and passes', () => {
    const admitted = his('PatientAdmitted', 'ZY1');
    const charged = his('FeeLinesCharged', 'ZY1', { charged: ['F1', 'F2', 'F3'] });
    const voided = his('FeeLinesVoided', 'ZY1', { voided: ['F3'] });
    const changed = his('AdmissionChanged', 'ZY1');
    const lab = his('LabReportIssued', 'ZY1');
    const r = reconcile(
      input({
        published: [admitted, charged, voided, changed, lab],
        ledger: {
          registrations: [registration('ZY1', 'M1', 'admitted', ['2401', '2403'])],
          feeLines: [line('M1', 'F1'), line('M1', 'F2'), line('M1', 'F3', 'revoked')],
          settlements: [],
        },
      }),
    );
    expect(r.outcomes).toMatchObject({
      applied: 4,
      lost: 0,
      duplicated: 0,
      'not reconciled (no effect checked for its type)': 1,
    });
    expect(r.lines).toEqual({
      expected: 2,
      uploadedOnce: 2,
      uploadedTwice: 0,
      voidedAndGone: 1,
      heldUnregistered: 0,
    });
    expect(failures(r)).toEqual([]);
  });

  it('finds a line held twice, two standing registrations and a missing line', () => {
    const r = reconcile(
      input({
        published: [
          his('PatientAdmitted', 'ZY2'),
          his('FeeLinesCharged', 'ZY2', { charged: ['F1'] }),
          his('PatientAdmitted', 'ZY3'),
          his('FeeLinesCharged', 'ZY3', { charged: ['F1', 'F2'] }),
        ],
        ledger: {
          registrations: [registration('ZY2', 'M2'), registration('ZY2', 'M2b'), registration('ZY3', 'M3')],
          feeLines: [line('M2', 'F1'), line('M2', 'F1'), line('M3', 'F1')],
          settlements: [],
        },
      }),
    );
    expect(r.outcomes.duplicated).toBe(2);
    expect(r.registrationsDuplicated).toBe(1);
    expect(r.outcomes.lost).toBe(1);
    expect(r.examples.lost).toEqual(['FeeLinesCharged ZY3: 1 of 2 line(s) not as the HIS left them']);
    expect(failures(r)).toEqual(['1 HIS message(s) lost', 'effects duplicated on the platform']);
  });

  it('explains refusals, lines waiting for a refused admission, uncertain outcomes and dead letters', () => {
    const refusedAdmission = his('PatientAdmitted', 'ZY4');
    const waiting = his('FeeLinesCharged', 'ZY4', { charged: ['F1'] });
    const uncertain = his('PatientAdmitted', 'ZY5');
    const dead = his('FeeLinesCharged', 'ZY6', { charged: ['F1'] });
    const r = reconcile(
      input({
        published: [refusedAdmission, waiting, uncertain, dead],
        results: [
          result('PlatformRequestRejected', 'ZY4', refusedAdmission.id, {
            infno: '2401',
            err_msg: '参保人已有在院',
          }),
          result('AdmissionOutcomeUncertain', 'ZY5', uncertain.id, { reason: '2601 refused' }),
        ],
        deadLetters: [
          { dlqTopic: `${HIS}.dlq`, original: dead, reason: 'handler failed 5 times', consumerGroup: 'fee' },
        ],
      }),
    );
    expect(r.outcomes).toMatchObject({
      'refused by the platform or a rule': 1,
      'held (visit not registered)': 1,
      'needs a person': 1,
      'dead-lettered': 1,
      lost: 0,
    });
    expect(r.deadLetters).toMatchObject({
      originals: 1,
      ofHisMessages: 1,
      byReason: { 'handler failed 5 times': 1 },
    });
  });

  it('counts a hostile record dead-lettered by two groups once, and fails on one never dead-lettered', () => {
    const position = (o: number) => ({ topic: HIS, partition: 1, offset: String(o) });
    const r = reconcile(
      input({
        hostile: [
          { family: 'broken-json', ...position(7) },
          { family: 'unknown-type', ...position(8) },
        ],
        hostileRefusedByBroker: { oversized: 1 },
        deadLetters: [
          {
            dlqTopic: `${HIS}.dlq`,
            original: position(7),
            reason: 'payload is not JSON: x',
            consumerGroup: 'a',
          },
          {
            dlqTopic: `${HIS}.dlq`,
            original: position(7),
            reason: 'payload is not JSON: x',
            consumerGroup: 'b',
          },
        ],
      }),
    );
    expect(r.hostile).toMatchObject({
      published: 2,
      deadLettered: 1,
      notDeadLettered: 1,
      refusedByBroker: 1,
    });
    expect(r.deadLetters).toMatchObject({ records: 2, originals: 1 });
    expect(failures(r)).toEqual(['1 hostile record(s) not dead-lettered']);
  });

  it('owes nothing for a discharge whose settlement the HIS has not asked for, and loses one it has', () => {
    const discharged = his('DischargeRequested', 'ZY7');
    const asked = [his('DischargeRequested', 'ZY8'), his('SettlementRequested', 'ZY8')];
    const r = reconcile(
      input({
        published: [discharged, ...asked],
        services: ['admission', 'fee-detail', 'settlement'],
        ledger: {
          registrations: [registration('ZY7', 'M7'), registration('ZY8', 'M8')],
          feeLines: [],
          settlements: [],
        },
      }),
    );
    expect(r.outcomes).toMatchObject({ applied: 1, lost: 2 });
    expect(r.examples.lost).toEqual([
      'DischargeRequested ZY8: no saga started and no answer published',
      'SettlementRequested ZY8: no saga started and no answer published',
    ]);
  });

  it('tells a message its service has not read yet from a lost one', () => {
    const read = his('FeeLinesCharged', 'ZY8', { charged: ['F1'] });
    const unread = his('FeeLinesCharged', 'ZY8', { charged: ['F2'] });
    const r = reconcile(
      input({
        published: [his('PatientAdmitted', 'ZY8'), read, unread],
        hostile: [
          { family: 'huge', topic: HIS, partition: 1, offset: '5000' },
          { family: 'huge', topic: HIS, partition: 0, offset: '5000' },
        ],
        ledger: { registrations: [registration('ZY8', 'M8')], feeLines: [], settlements: [] },
        committed: {
          admission: { [`${HIS}/0`]: '5001', [`${HIS}/1`]: '5001' },
          'fee-detail': { [`${HIS}/0`]: unread.offset },
        },
      }),
    );
    expect(r.outcomes.lost).toBe(1);
    expect(r.outcomes['not yet read by its service (backlog at the end)']).toBe(1);
    // On partition 1 its only reader passed it without a dead letter (a failure); on 0 fee-detail has not read it.
    expect(r.hostile).toMatchObject({ notDeadLettered: 1, notYetRead: 1 });
    expect(failures(r)).toEqual([
      '1 HIS message(s) lost',
      '2 message(s) not yet read by their service: the run did not finish its backlog',
      '1 hostile record(s) not dead-lettered',
    ]);
  });

  it('counts sagas by their last state when settlement runs, and a running one as not terminal', () => {
    const progressed = (saga: string, seq: number, saga_state: string) => ({
      ...result('SettlementSagaProgressed', 'ZY7', null, {
        saga_id: saga,
        seq,
        saga_state,
        step: 'SETTLEMENT',
        detail: `step ${seq}`,
      }),
      id: `${saga}-${seq}`,
    });
    const discharge = his('DischargeRequested', 'ZY7');
    const settlement = his('SettlementRequested', 'ZY7');
    const refusedElsewhere = his('SettlementRequested', 'ZY9');
    const r = reconcile(
      input({
        services: ['admission', 'fee-detail', 'settlement'],
        published: [discharge, settlement, refusedElsewhere],
        ledger: {
          registrations: [registration('ZY7', 'M7'), registration('ZY9', 'M9')],
          feeLines: [],
          settlements: [],
        },
        results: [
          result('SettlementRequestRefused', 'ZY9', refusedElsewhere.id, { reason: 'a saga is running' }),
          progressed('s1', 1, 'RUNNING'),
          progressed('s1', 2, 'SETTLED'),
          progressed('s2', 1, 'RUNNING'),
          progressed('s3', 3, 'WAITING_FOR_PERSON'),
        ],
      }),
    );
    expect(r.sagas).toMatchObject({
      counted: true,
      total: 3,
      notTerminal: 1,
      waitingForPerson: 1,
      endedOtherwise: { 'RUNNING at SETTLEMENT: step 1': 1, 'WAITING_FOR_PERSON at SETTLEMENT: step 3': 1 },
    });
    expect(r.outcomes).toMatchObject({ applied: 2, 'refused by the platform or a rule': 1, lost: 0 });
    expect(failures(r)).toEqual(['1 saga(s) not terminal']);
  });
});
