import { DeciderSpecification } from '@yb/event-store';
import { type ReportEvent, type ReportIdentity } from './report.events';
import { nextUploadStep, ReportCommandRefused, reportDecider } from './report.decider';

const spec = () => DeciderSpecification.for(reportDecider);
const identity: ReportIdentity = { ipt_no: 'ZY001', infno: '4401', report_ref: 'BA0001' };
const source = { medcasno: 'BA0001', diagnoses: ['J18.900'] };
const corrected = { medcasno: 'BA0001', diagnoses: ['J18.900', 'I10.x00'] };
const MSGID = 'H42010200123202405090200000001';
const MSGID_2 = 'H42010200123202405090200000002';
const NOW = new Date('2024-05-09T02:00:00Z');

const recorded: ReportEvent = { type: 'ReportSourceRecorded', data: { ...identity, source } };
const attempt = (n: number, vali_flag: '0' | '1' = '1', input_digest = 'D1'): ReportEvent => ({
  type: 'UploadAttempted',
  data: { attempt: n, vali_flag, input_digest, at: NOW.toISOString() },
});
const accepted = (
  n: number,
  msgid = MSGID,
  vali_flag: '0' | '1' = '1',
  input_digest = 'D1',
): ReportEvent => ({
  type: 'UploadAccepted',
  data: { attempt: n, vali_flag, msgid, input_digest, learnt_from: 'answer' },
});
const uploaded = [recorded, attempt(1), accepted(1)];
const stateOf = (events: ReportEvent[]) => events.reduce(reportDecider.evolve, reportDecider.initialState());

describe('report decider', () => {
  describe('sources', () => {
    it('records the first source of a report', () => {
      spec().given([]).when({ type: 'RecordSource', identity, source }).then([recorded]);
    });

    it('ignores the same source sent again (a redelivery or a repeat)', () => {
      spec().given([recorded]).when({ type: 'RecordSource', identity, source }).then([]);
    });

    it('records other content for the same report as a correction', () => {
      spec()
        .given(uploaded)
        .when({ type: 'RecordSource', identity, source: corrected })
        .then([{ type: 'ReportSourceCorrected', data: { source: corrected } }]);
    });

    it('withdraws a report once', () => {
      const withdrawn: ReportEvent = { type: 'ReportWithdrawn', data: { reason: '结算已撤销' } };
      spec().given([recorded]).when({ type: 'WithdrawReport', reason: '结算已撤销' }).then([withdrawn]);
      spec().given([recorded, withdrawn]).when({ type: 'WithdrawReport', reason: '结算已撤销' }).then([]);
    });
  });

  describe('waiting', () => {
    const waiting = {
      reason: '病案首页未完成',
      waiting_for: ['diseinfo: 出院诊断 (病案首页)'],
      due_date: '2024-05-15',
    };

    it('says what the report waits for, once until that changes', () => {
      spec()
        .given([recorded])
        .when({ type: 'NoteWaiting', ...waiting })
        .then([{ type: 'ReportWaiting', data: waiting }]);
      spec()
        .given([recorded, { type: 'ReportWaiting', data: waiting }])
        .when({ type: 'NoteWaiting', ...waiting })
        .then([]);
    });
  });

  describe('uploads', () => {
    it('numbers each attempt before its call', () => {
      spec()
        .given(uploaded)
        .when({ type: 'StartUpload', vali_flag: '0', input_digest: 'D2', at: NOW.toISOString() })
        .then([attempt(2, '0', 'D2')]);
    });

    it('refuses a second attempt while one has no recorded outcome', () => {
      spec()
        .given([recorded, attempt(1)])
        .when({ type: 'StartUpload', vali_flag: '1', input_digest: 'D1', at: NOW.toISOString() })
        .thenThrows(ReportCommandRefused);
    });

    it('refuses an outcome without an attempt', () => {
      spec()
        .given([recorded])
        .when({
          type: 'RecordUploadOutcome',
          outcome: { kind: 'accepted', msgid: MSGID, learnt_from: 'answer' },
        })
        .thenThrows(/no upload attempt/);
    });

    it('names the voided upload when the corrected record goes up', () => {
      spec()
        .given([...uploaded, attempt(2, '0', 'D2'), accepted(2, MSGID_2, '0', 'D2'), attempt(3, '1', 'D2')])
        .when({
          type: 'RecordUploadOutcome',
          outcome: { kind: 'accepted', msgid: MSGID_2, learnt_from: 'answer' },
        })
        .then([
          {
            type: 'UploadAccepted',
            data: {
              attempt: 3,
              vali_flag: '1',
              msgid: MSGID_2,
              input_digest: 'D2',
              learnt_from: 'answer',
              replaces_msgid: MSGID,
            },
          },
        ]);
    });

    it('records a refusal with whether it is tried again', () => {
      spec()
        .given([recorded, attempt(1)])
        .when({
          type: 'RecordUploadOutcome',
          outcome: {
            kind: 'rejected',
            msgid: MSGID,
            infcode: -1,
            err_msg: '诊断编码不在目录内',
            will_retry: false,
          },
        })
        .then([
          {
            type: 'UploadRejected',
            data: {
              attempt: 1,
              input_digest: 'D1',
              msgid: MSGID,
              infcode: -1,
              err_msg: '诊断编码不在目录内',
              will_retry: false,
            },
          },
        ]);
    });

    it('refuses a rerun of a report it never recorded', () => {
      spec()
        .given([])
        .when({ type: 'RequestRerun', comment: '补录', requested_by: {} })
        .thenThrows(ReportCommandRefused);
    });
  });
});

describe('rechecking an uploaded report whose facts changed', () => {
  const recheck = { type: 'Recheck' as const, reason: 'HomepageNoted (MedicalRecordHomepageRecorded)' };
  const requested: ReportEvent = { type: 'RecheckRequested', data: { reason: recheck.reason } };

  it('reopens an uploaded report once; a pending, withdrawn or already reopened one is left as it is', () => {
    spec().given(uploaded).when(recheck).then([requested]);
    spec()
      .given([...uploaded, requested])
      .when(recheck)
      .then([]);
    spec().given([recorded]).when(recheck).then([]);
    spec()
      .given([...uploaded, { type: 'ReportWithdrawn', data: { reason: '结算已撤销' } }])
      .when(recheck)
      .then([]);
    spec().given([]).when(recheck).then([]);
  });

  it('closes the recheck when the report builds as uploaded, or when it is uploaded again', () => {
    spec()
      .given([...uploaded, requested])
      .when({ type: 'ConfirmUploaded' })
      .then([{ type: 'UploadConfirmed', data: { input_digest: 'D1' } }]);
    spec().given(uploaded).when({ type: 'ConfirmUploaded' }).then([]);
    const reuploaded = stateOf([...uploaded, requested, attempt(2, '0'), accepted(2, MSGID_2, '0')]);
    expect(reuploaded.recheck).toBeNull();
  });
});

describe('nextUploadStep', () => {
  const rejected = (will_retry: boolean, retry_after?: string): ReportEvent => ({
    type: 'UploadRejected',
    data: { attempt: 1, input_digest: 'D1', err_msg: 'x', will_retry, ...(retry_after && { retry_after }) },
  });

  it('waits while the report cannot be built', () => {
    expect(nextUploadStep(stateOf([recorded]), null, NOW)).toEqual({ kind: 'wait' });
  });

  it('uploads a complete report', () => {
    expect(nextUploadStep(stateOf([recorded]), { input_digest: 'D1' }, NOW)).toEqual({
      kind: 'send',
      vali_flag: '1',
    });
  });

  it('resolves an interrupted attempt before anything else', () => {
    expect(nextUploadStep(stateOf([recorded, attempt(1)]), { input_digest: 'D1' }, NOW)).toEqual({
      kind: 'resolve',
    });
  });

  it('leaves an uploaded report alone, and voids it first when its content was corrected', () => {
    expect(nextUploadStep(stateOf(uploaded), { input_digest: 'D1' }, NOW)).toEqual({ kind: 'none' });
    expect(nextUploadStep(stateOf(uploaded), { input_digest: 'D2' }, NOW)).toEqual({
      kind: 'send',
      vali_flag: '0',
    });
  });

  it('withdraws a corrected 4101A first (4102), then uploads the corrected list', () => {
    const list: ReportEvent = { type: 'ReportSourceRecorded', data: { ...identity, infno: '4101A', source } };
    const standing = stateOf([list, attempt(1), accepted(1)]);
    expect(nextUploadStep(standing, { input_digest: 'D1' }, NOW)).toEqual({ kind: 'none' });
    expect(nextUploadStep(standing, { input_digest: 'D2' }, NOW)).toEqual({ kind: 'send', vali_flag: '0' });
  });

  it("withdraws a cancelled settlement's uploaded list even when its content no longer builds", () => {
    const list: ReportEvent = { type: 'ReportSourceRecorded', data: { ...identity, infno: '4101A', source } };
    const cancelled: ReportEvent = { type: 'ReportWithdrawn', data: { reason: '结算已撤销' } };
    expect(nextUploadStep(stateOf([list, attempt(1), accepted(1), cancelled]), null, NOW)).toEqual({
      kind: 'send',
      vali_flag: '0',
    });
    // Never uploaded: nothing to withdraw, and nothing is ever uploaded.
    expect(nextUploadStep(stateOf([list, cancelled]), { input_digest: 'D1' }, NOW)).toEqual({ kind: 'none' });
    // A clinical record is voided by uploading it with vali_flag 0: without its content it cannot be.
    expect(nextUploadStep(stateOf([...uploaded, cancelled]), null, NOW)).toEqual({ kind: 'none' });
  });

  it('keeps a refused report until it is corrected or a person asks again', () => {
    const state = stateOf([recorded, attempt(1), rejected(false)]);
    expect(nextUploadStep(state, { input_digest: 'D1' }, NOW)).toEqual({ kind: 'blocked' });
    expect(nextUploadStep(state, { input_digest: 'D2' }, NOW)).toEqual({ kind: 'send', vali_flag: '1' });
    const rerun = reportDecider.evolve(state, {
      type: 'RerunRequested',
      data: { comment: 'c', requested_by: {} },
    });
    expect(nextUploadStep(rerun, { input_digest: 'D1' }, NOW)).toEqual({ kind: 'send', vali_flag: '1' });
  });

  it('backs off after a transport failure until retry_after', () => {
    const state = stateOf([recorded, attempt(1), rejected(true, '2024-05-09T03:00:00Z')]);
    expect(nextUploadStep(state, { input_digest: 'D1' }, NOW)).toEqual({ kind: 'backoff' });
    expect(nextUploadStep(state, { input_digest: 'D1' }, new Date('2024-05-09T03:00:01Z'))).toEqual({
      kind: 'send',
      vali_flag: '1',
    });
    expect(state.lastOutcomeUnknown).toBe(true);
  });

  it('voids a withdrawn record that is on the platform, and otherwise does nothing', () => {
    const withdrawn: ReportEvent = { type: 'ReportWithdrawn', data: { reason: '医嘱已作废' } };
    expect(nextUploadStep(stateOf([...uploaded, withdrawn]), { input_digest: 'D1' }, NOW)).toEqual({
      kind: 'send',
      vali_flag: '0',
    });
    expect(nextUploadStep(stateOf([recorded, withdrawn]), { input_digest: 'D1' }, NOW)).toEqual({
      kind: 'none',
    });
  });
});
