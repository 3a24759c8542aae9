import { DeciderSpecification } from '@yb/event-store';
import { auditCaseDecider, backoffMs } from './audit-case.decider';
import { type AuditCaseEvent } from './audit-case.events';
import {
  AT,
  cause,
  decider,
  doubleCharge,
  doubleChargeFinding,
  LINE_1,
  MDTRT_ID,
  OPERATOR,
  plus,
  POLICY,
  PSN_NO,
  registeredVisit,
  requested3102,
} from './audit-case.test-kit';

const spec = DeciderSpecification.for(decider);

const blocked = (jr_id: string): AuditCaseEvent[] => [
  ...registeredVisit,
  { type: 'AuditRequested', data: requested3102() },
  {
    type: 'AuditCompleted',
    data: { audit_id: '3102-9-cmd-1', msgid: 'M1', attempts: 1, findings: [doubleChargeFinding(jr_id)] },
  },
  {
    type: 'SettlementAuditAnswered',
    data: {
      audit_id: '3102-9-cmd-1',
      outcome: 'BLOCKED',
      may_proceed: false,
      blocking_jr_ids: [jr_id],
      reason: '重复收费: 项目重复收费',
    },
  },
];

describe('audit case: what triggers an audit', () => {
  it('asks for 3101 trig_scen 3 once the admission is registered, due by the deadline', () => {
    spec
      .given([])
      .when({ type: 'NoteRegistration', mdtrt_id: MDTRT_ID, psn_no: PSN_NO, cause: cause('reg'), at: AT })
      .then([
        { type: 'RegistrationNoted', data: { mdtrt_id: MDTRT_ID, psn_no: PSN_NO } },
        {
          type: 'AuditRequested',
          data: {
            audit_id: '3101-3-reg',
            infno: '3101',
            trig_scen: '3',
            requested_at: AT,
            deadline: plus(10_000),
            cause: cause('reg'),
          },
        },
      ]);
  });

  it('does not audit the same registration twice', () => {
    spec
      .given(registeredVisit)
      .when({ type: 'NoteRegistration', mdtrt_id: MDTRT_ID, psn_no: PSN_NO, cause: cause('again'), at: AT })
      .then([]);
  });

  it('asks for one 3101 trig_scen 4 per uploaded batch, about the batch lines', () => {
    spec
      .given(registeredVisit)
      .when({
        type: 'NoteFeeLinesUploaded',
        mdtrt_id: MDTRT_ID,
        feedetl_sns: ['FY0003', 'FY0004'],
        cause: cause('up'),
        at: AT,
      })
      .then([
        { type: 'FeeLinesUploadedNoted', data: { mdtrt_id: MDTRT_ID, feedetl_sns: ['FY0003', 'FY0004'] } },
        {
          type: 'AuditRequested',
          data: {
            audit_id: '3101-4-up',
            infno: '3101',
            trig_scen: '4',
            requested_at: AT,
            deadline: plus(10_000),
            focus: { feedetl_sns: ['FY0003', 'FY0004'] },
            cause: cause('up'),
          },
        },
      ]);
  });

  const order = (drord_no: string, vali_flag: '0' | '1') => ({
    medcas_drord_detl_id: `${drord_no}01`,
    drord_no,
    drord_type: '1',
    drord_detl_code: 'YP0087',
    drord_detl_name: '头孢曲松',
    drord_isu_no: '2024-05-02 09:00:00',
    isu_dept_code: 'A03.01',
    vali_flag,
  });

  it('asks for 3101 trig_scen 5 about the executed orders, once the visit is registered', () => {
    const orders = [order('YZ1', '1'), order('YZ2', '0')];
    spec
      .given([])
      .when({ type: 'NoteOrders', orders, cause: cause('o'), at: AT })
      .then([{ type: 'OrdersNoted', data: { orders } }]);
    spec
      .given(registeredVisit)
      .when({ type: 'NoteOrders', orders, cause: cause('o'), at: AT })
      .then([
        { type: 'OrdersNoted', data: { orders } },
        {
          type: 'AuditRequested',
          data: {
            audit_id: '3101-5-o',
            infno: '3101',
            trig_scen: '5',
            requested_at: AT,
            deadline: plus(10_000),
            focus: { drord_nos: ['YZ1'] },
            cause: cause('o'),
          },
        },
      ]);
  });

  it("asks for 3102 on the saga's AuditSettlement, and not again while that audit is in flight", () => {
    const request = {
      type: 'AuditSettlement' as const,
      mdtrt_id: MDTRT_ID,
      trig_scen: '9' as const,
      saga_id: 'saga-1',
      cause: cause('cmd-1'),
      at: AT,
    };
    spec
      .given(registeredVisit)
      .when(request)
      .then([{ type: 'AuditRequested', data: requested3102() }]);
    spec
      .given([...registeredVisit, { type: 'AuditRequested', data: requested3102() }])
      .when({ ...request, cause: cause('cmd-2') })
      .then([]);
  });
});

describe('audit case: what an answer means', () => {
  const inFlight: AuditCaseEvent[] = [...registeredVisit, { type: 'AuditRequested', data: requested3102() }];
  const answer = (result: ReturnType<typeof doubleCharge>[], at = plus(500)) => ({
    type: 'RecordAuditAnswer' as const,
    audit_id: '3102-9-cmd-1',
    answer: { status: 'SUCCEEDED' as const, msgid: 'M1', result },
    at,
  });

  it('passes a 3102 without findings', () => {
    spec
      .given(inFlight)
      .when(answer([]))
      .then([
        {
          type: 'AuditCompleted',
          data: { audit_id: '3102-9-cmd-1', msgid: 'M1', attempts: 1, findings: [] },
        },
        {
          type: 'SettlementAuditAnswered',
          data: { audit_id: '3102-9-cmd-1', outcome: 'PASSED', may_proceed: true, blocking_jr_ids: [] },
        },
      ]);
  });

  it('blocks settlement on a finding of a blocking severity, naming the lines involved', () => {
    spec
      .given(inFlight)
      .when(answer([doubleCharge('JR1')]))
      .then(blocked('JR1').slice(-2));
  });

  it('lets a finding of another severity through, but publishes it', () => {
    spec
      .given(inFlight)
      .when(answer([doubleCharge('JR1', '1')]))
      .then([
        {
          type: 'AuditCompleted',
          data: {
            audit_id: '3102-9-cmd-1',
            msgid: 'M1',
            attempts: 1,
            findings: [{ ...doubleChargeFinding('JR1', false), sev_deg: '1' }],
          },
        },
        {
          type: 'SettlementAuditAnswered',
          data: { audit_id: '3102-9-cmd-1', outcome: 'PASSED', may_proceed: true, blocking_jr_ids: [] },
        },
      ]);
  });

  it('never blocks on a 3101 finding, and gives no settlement answer', () => {
    const audit3101 = { ...requested3102(), audit_id: '3101-4-up', infno: '3101' as const, trig_scen: '4' };
    const { settlement: _s, ...request } = audit3101;
    spec
      .given([...registeredVisit, { type: 'AuditRequested', data: request }])
      .when({ ...answer([doubleCharge('JR1')]), audit_id: '3101-4-up' })
      .then([
        {
          type: 'AuditCompleted',
          data: {
            audit_id: '3101-4-up',
            msgid: 'M1',
            attempts: 1,
            findings: [doubleChargeFinding('JR1', false)],
          },
        },
      ]);
  });

  it('keeps, for a 3101 about a batch or about executed orders, the findings involving those lines', () => {
    const ordered = { ...LINE_1, feedetl_sn: 'FY0003', drord_no: 'YZ1' };
    const about = (
      focus: { feedetl_sns?: readonly string[]; drord_nos?: readonly string[] },
      id: string,
    ): AuditCaseEvent => ({
      type: 'AuditRequested',
      data: {
        audit_id: id,
        infno: '3101',
        trig_scen: '4',
        requested_at: AT,
        deadline: plus(10_000),
        focus,
        cause: cause(id),
      },
    });
    const onNewLine = {
      ...doubleCharge('JR2'),
      judge_result_detail_dtos: [{ rx_id: 'FY0002' }, { rx_id: 'FY0003' }],
    };
    const given: AuditCaseEvent[] = [
      ...registeredVisit,
      { type: 'FeeLinesChargedNoted', data: { lines: [ordered] } },
      { type: 'FeeLinesUploadedNoted', data: { mdtrt_id: MDTRT_ID, feedetl_sns: ['FY0003'] } },
    ];
    const kept = { ...doubleChargeFinding('JR2', false), feedetl_sns: ['FY0002', 'FY0003'] };
    for (const [focus, id] of [
      [{ feedetl_sns: ['FY0003'] }, 'batch'],
      [{ drord_nos: ['YZ1'] }, 'orders'],
    ] as const) {
      spec
        .given([...given, about(focus, id)])
        .when({
          type: 'RecordAuditAnswer',
          audit_id: id,
          answer: { status: 'SUCCEEDED', msgid: 'M1', result: [doubleCharge('JR1'), onNewLine] },
          at: plus(100),
        })
        .then([
          { type: 'AuditCompleted', data: { audit_id: id, msgid: 'M1', attempts: 1, findings: [kept] } },
        ]);
    }
  });

  it('retries a call without an answer after a doubling backoff', () => {
    const failed = (at: string) => ({
      type: 'RecordAuditAnswer' as const,
      audit_id: '3102-9-cmd-1',
      answer: { status: 'FAILED' as const, msgid: 'M2', reason: 'HTTP 502', retryable: true },
      at,
    });
    spec
      .given(inFlight)
      .when(failed(plus(100)))
      .then([
        {
          type: 'AuditAttemptFailed',
          data: {
            audit_id: '3102-9-cmd-1',
            attempt: 1,
            msgid: 'M2',
            reason: 'HTTP 502',
            next_attempt_at: plus(1_100),
          },
        },
      ]);
    const afterOne: AuditCaseEvent[] = [
      ...inFlight,
      {
        type: 'AuditAttemptFailed',
        data: { audit_id: '3102-9-cmd-1', attempt: 1, reason: 'HTTP 502', next_attempt_at: plus(1_100) },
      },
    ];
    spec
      .given(afterOne)
      .when(failed(plus(1_200)))
      .then([
        {
          type: 'AuditAttemptFailed',
          data: {
            audit_id: '3102-9-cmd-1',
            attempt: 2,
            msgid: 'M2',
            reason: 'HTTP 502',
            next_attempt_at: plus(3_200),
          },
        },
      ]);
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, POLICY))).toEqual([1_000, 2_000, 4_000, 4_000, 4_000]);
  });

  it('reports the audit unavailable (unanswered: the saga asks again) when the next attempt would fall past the deadline; the policy decides', () => {
    const lastTry = {
      type: 'RecordAuditAnswer' as const,
      audit_id: '3102-9-cmd-1',
      answer: { status: 'FAILED' as const, reason: 'timeout after 3000 ms', retryable: true },
      at: plus(9_500),
    };
    const unavailable = (mayProceed: boolean): AuditCaseEvent[] => [
      {
        type: 'AuditUnavailable',
        data: {
          audit_id: '3102-9-cmd-1',
          attempts: 1,
          reason: 'timeout after 3000 ms',
          settlement_may_proceed: mayProceed,
        },
      },
      {
        type: 'SettlementAuditAnswered',
        data: {
          audit_id: '3102-9-cmd-1',
          outcome: 'UNAVAILABLE',
          may_proceed: mayProceed,
          blocking_jr_ids: [],
          reason: '3102 事中审核未能在期限内完成: timeout after 3000 ms',
          // The platform never answered: no verdict, so the saga waits and asks again (when it must wait at all).
          ...(!mayProceed && { unanswered: true }),
        },
      },
    ];
    spec.given(inFlight).when(lastTry).then(unavailable(false));
    DeciderSpecification.for(auditCaseDecider({ ...POLICY, proceedWhenUnavailable: true }))
      .given(inFlight)
      .when(lastTry)
      .then(unavailable(true));
  });

  it("takes a platform refusal as unavailable at once, in the platform's words (answered: not `unanswered`)", () => {
    spec
      .given(inFlight)
      .when({
        type: 'RecordAuditAnswer',
        audit_id: '3102-9-cmd-1',
        answer: {
          status: 'FAILED',
          msgid: 'M3',
          reason: '平台拒绝 (infcode -1): 规则引擎维护中',
          retryable: false,
        },
        at: plus(100),
      })
      .then([
        {
          type: 'AuditUnavailable',
          data: {
            audit_id: '3102-9-cmd-1',
            attempts: 1,
            reason: '平台拒绝 (infcode -1): 规则引擎维护中',
            settlement_may_proceed: false,
          },
        },
        {
          type: 'SettlementAuditAnswered',
          data: {
            audit_id: '3102-9-cmd-1',
            outcome: 'UNAVAILABLE',
            may_proceed: false,
            blocking_jr_ids: [],
            reason: '3102 事中审核未能在期限内完成: 平台拒绝 (infcode -1): 规则引擎维护中',
          },
        },
      ]);
  });

  it('gives up on an audit whose deadline passed while nobody could try (a restart), only after an attempt', () => {
    const tried: AuditCaseEvent[] = [
      ...inFlight,
      {
        type: 'AuditAttemptFailed',
        data: { audit_id: '3102-9-cmd-1', attempt: 1, reason: 'HTTP 502', next_attempt_at: plus(1_000) },
      },
    ];
    const expire = (at: string) => ({ type: 'ExpireAudit' as const, audit_id: '3102-9-cmd-1', at });
    spec
      .given(inFlight)
      .when(expire(plus(60_000)))
      .then([]);
    spec
      .given(tried)
      .when(expire(plus(5_000)))
      .then([]);
    spec
      .given(tried)
      .when(expire(plus(60_000)))
      .then([
        {
          type: 'AuditUnavailable',
          data: { audit_id: '3102-9-cmd-1', attempts: 1, reason: 'HTTP 502', settlement_may_proceed: false },
        },
        {
          type: 'SettlementAuditAnswered',
          data: {
            audit_id: '3102-9-cmd-1',
            outcome: 'UNAVAILABLE',
            may_proceed: false,
            blocking_jr_ids: [],
            reason: '3102 事中审核未能在期限内完成: HTTP 502',
            unanswered: true,
          },
        },
      ]);
  });

  it('ignores a late answer to an audit already settled', () => {
    spec.given(blocked('JR1')).when(answer([])).then([]);
  });
});

describe('audit case: a person acknowledges findings', () => {
  const acknowledge = (jr_id: string) => ({
    type: 'AcknowledgeFinding' as const,
    jr_id,
    comment: '已核实',
    requested_by: OPERATOR,
    at: plus(60_000),
  });
  const acknowledged = (jr_id: string): AuditCaseEvent => ({
    type: 'FindingAcknowledged',
    data: { jr_id, comment: '已核实', acknowledged_by: OPERATOR, at: plus(60_000) },
  });

  it('lets the saga go on once the last blocking finding is acknowledged', () => {
    spec
      .given(blocked('JR1'))
      .when(acknowledge('JR1'))
      .then([
        acknowledged('JR1'),
        {
          type: 'SettlementAuditAnswered',
          data: { audit_id: '3102-9-cmd-1', outcome: 'ACKNOWLEDGED', may_proceed: true, blocking_jr_ids: [] },
        },
      ]);
  });

  it('keeps the saga waiting while another blocking finding remains', () => {
    const two: AuditCaseEvent[] = [
      ...registeredVisit,
      { type: 'AuditRequested', data: requested3102() },
      {
        type: 'AuditCompleted',
        data: {
          audit_id: '3102-9-cmd-1',
          msgid: 'M1',
          attempts: 1,
          findings: [doubleChargeFinding('JR1'), { ...doubleChargeFinding('JR2'), rule_id: 'R-ALWAYS' }],
        },
      },
      {
        type: 'SettlementAuditAnswered',
        data: {
          audit_id: '3102-9-cmd-1',
          outcome: 'BLOCKED',
          may_proceed: false,
          blocking_jr_ids: ['JR1', 'JR2'],
        },
      },
    ];
    spec
      .given(two)
      .when(acknowledge('JR1'))
      .then([acknowledged('JR1')]);
  });

  it('is idempotent: a second acknowledgement changes nothing', () => {
    spec
      .given([...blocked('JR1'), acknowledged('JR1')])
      .when(acknowledge('JR1'))
      .then([]);
  });

  it('refuses an unknown jr_id and a finding that blocks nothing, with the reason', () => {
    spec
      .given(blocked('JR1'))
      .when(acknowledge('JR9'))
      .then([
        {
          type: 'AcknowledgementRefused',
          data: { jr_id: 'JR9', reason: '违规标识[JR9]不是本次住院的审核结果', requested_by: OPERATOR },
        },
      ]);
    const informative: AuditCaseEvent[] = [
      ...registeredVisit,
      { type: 'AuditRequested', data: requested3102() },
      {
        type: 'AuditCompleted',
        data: {
          audit_id: '3102-9-cmd-1',
          msgid: 'M1',
          attempts: 1,
          findings: [doubleChargeFinding('JR1', false)],
        },
      },
    ];
    spec
      .given(informative)
      .when(acknowledge('JR1'))
      .then([
        {
          type: 'AcknowledgementRefused',
          data: { jr_id: 'JR1', reason: '违规标识[JR1]不阻断结算，无需确认', requested_by: OPERATOR },
        },
      ]);
  });

  it('carries an acknowledgement to the same rule on the same lines in the next 3102', () => {
    const next = requested3102('8', 'cmd-2');
    spec
      .given([...blocked('JR1'), acknowledged('JR1'), { type: 'AuditRequested', data: next }])
      .when({
        type: 'RecordAuditAnswer',
        audit_id: next.audit_id,
        answer: { status: 'SUCCEEDED', msgid: 'M9', result: [doubleCharge('JR7')] },
        at: plus(120_000),
      })
      .then([
        {
          type: 'AuditCompleted',
          data: { audit_id: next.audit_id, msgid: 'M9', attempts: 1, findings: [doubleChargeFinding('JR7')] },
        },
        {
          type: 'FindingAcknowledged',
          data: {
            jr_id: 'JR7',
            comment: '已核实',
            acknowledged_by: OPERATOR,
            at: plus(60_000),
            carried_from: 'JR1',
          },
        },
        {
          type: 'SettlementAuditAnswered',
          data: { audit_id: next.audit_id, outcome: 'ACKNOWLEDGED', may_proceed: true, blocking_jr_ids: [] },
        },
      ]);
  });
});
