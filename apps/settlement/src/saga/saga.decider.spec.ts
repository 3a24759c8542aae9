import { DischargeRequestedV1, SettlementRequestedV2 } from '@yb/contracts';
import { DeciderSpecification } from '@yb/event-store';
import { reversalRefusalMeaning, reversalVerdict } from '@yb/platform-client';
import { sagaMessages } from '../outbound/saga-results';
import { type SettlementTopics } from '../settlement-topics';
import {
  type DischargeData,
  type SagaCommand,
  type SettlementInfno,
  type SettlementRequest,
} from './saga.commands';
import { MAX_PLATFORM_ATTEMPTS, MAX_STEP_ASKS, PLATFORM_WAIT_MS, sagaDecider } from './saga.decider';
import { type SagaEvent } from './saga.events';

const IPT = 'ZY20240501001';
const SAGA = `setl-${IPT}-1`;
const NOW = '2024-05-08T02:00:00.000Z';
const LATER = '2024-05-08T02:01:00.001Z';
const ID = '5f0c8a52-8d7c-4c36-9f43-2f1f1d1f0001';
const NEXT_ID = '5f0c8a52-8d7c-4c36-9f43-2f1f1d1f0002';
const MSGID = 'H42010200123202405081000000001';
const MSGID_2 = 'H42010200123202405081000000002';
const REVERSAL_MSGID = 'H42010200123202405081000000003';
// The flow without a cashier's confirmation (SETTLEMENT_CONFIRMATION=false); confirmation has its own tests.
const settings = {
  audit_enabled: true,
  step_timeout_ms: 60_000,
  confirmation_required: false,
  confirmation_timeout_ms: 600_000,
};
const noAudit = { ...settings, audit_enabled: false };
const DEADLINE = '2024-05-08T02:01:00.000Z';

const request: SettlementRequest = {
  ...(SettlementRequestedV2.example as SettlementRequest),
  ipt_no: IPT,
  mdtrt_cert_type: '02',
  mdtrt_cert_no: '420111198808080883',
};
const midWay: SettlementRequest = { ...request, mid_setl_flag: '1' };
const discharge = { ...(DischargeRequestedV1.example as DischargeData), ipt_no: IPT };

const visit: SagaEvent[] = [
  {
    type: 'AdmissionNoted',
    data: {
      psn_no: 'P1',
      insutype: '310',
      mdtrt_cert_type: '02',
      mdtrt_cert_no: '420111198808080883',
      insuplc_admdvs: '420100',
    },
  },
  { type: 'RegistrationNoted', data: { mdtrt_id: 'M1', psn_no: 'P1' } },
  { type: 'DischargeNoted', data: { discharge } },
];

const spec = () => DeciderSpecification.for(sagaDecider);
const decide = (given: SagaEvent[], command: SagaCommand) =>
  sagaDecider.decide(command, given.reduce(sagaDecider.evolve, sagaDecider.initialState()));
/** The events of a run: each command decided on what the previous ones produced. */
const run = (given: SagaEvent[], ...commands: SagaCommand[]) =>
  commands.reduce((events, command) => [...events, ...decide(events, command)], given);
const lastOf = (events: SagaEvent[], type: SagaEvent['type']) =>
  [...events].reverse().find((e) => e.type === type);

const at = { now: NOW, id: NEXT_ID };
const settle = (
  r: SettlementRequest = request,
  s = settings,
): Extract<SagaCommand, { type: 'RequestSettlement' }> => ({
  type: 'RequestSettlement',
  request: r,
  settings: s,
  now: NOW,
  id: ID,
});
const feeTotals = (agreed: boolean, causation_id = ID): SagaCommand => ({
  type: 'RecordFeeTotals',
  causation_id,
  answer: {
    ipt_no: IPT,
    mdtrt_id: 'M1',
    his_sumamt: '86.60',
    platform_sumamt: agreed ? '86.60' : '50.00',
    line_count: 2,
    agreed,
    resynchronised: false,
    ...(!agreed && { reason: 'HIS费用总额[86.60]与医保平台已上传总额[50.00]不一致' }),
  },
  ...at,
});
const audit = (
  trig_scen: '8' | '9',
  outcome: 'PASSED' | 'BLOCKED' | 'ACKNOWLEDGED' | 'UNAVAILABLE',
  may_proceed = outcome !== 'BLOCKED',
): SagaCommand => ({
  type: 'RecordAudit',
  answer: {
    ipt_no: IPT,
    mdtrt_id: 'M1',
    trig_scen,
    saga_id: SAGA,
    outcome,
    may_proceed,
    blocking_jr_ids: outcome === 'BLOCKED' ? ['JR1'] : [],
    ...(outcome !== 'PASSED' && { reason: '限定支付范围' }),
  },
  ...at,
});
const amounts = {
  medfee_sumamt: '86.6',
  fulamt_ownpay_amt: '0',
  overlmt_selfpay: '0',
  preselfpay_amt: '3.66',
  inscp_scp_amt: '82.94',
  hifp_pay: '66.35',
  fund_pay_sumamt: '66.35',
  acct_pay: '20.25',
  psn_cash_pay: '0',
  hosp_part_amt: '0',
};
const setldetail = [
  { fund_pay_type: '310100', inscp_scp_amt: '82.94', fund_payamt: '66.35', fund_pay_type_name: '统筹' },
];
const platform = (
  infno: SettlementInfno,
  status: 'SUCCEEDED' | 'REJECTED' | 'UNKNOWN',
  msgid = MSGID,
  extra: Record<string, unknown> = {},
): SagaCommand => ({
  type: 'RecordPlatformAnswer',
  answer:
    status === 'SUCCEEDED'
      ? {
          infno,
          msgid,
          status,
          output: {
            setlinfo: { ...amounts, setl_id: 'S1', setl_time: '2024-05-08 10:30:00', ...extra },
            setldetail,
          },
        }
      : status === 'REJECTED'
        ? { infno, msgid, status, err_msg: '基金支付金额计算失败' }
        : { infno, msgid, status, reason: 'timeout after 1500 ms' },
  ...at,
});
const reversal = (status: 'REVERSED' | 'REVERSAL_REFUSED' | 'UNKNOWN', err_msg?: string): SagaCommand => ({
  type: 'RecordReversal',
  reversal: {
    omsgid: MSGID,
    reversal_msgid: REVERSAL_MSGID,
    status,
    ...(err_msg && { err_msg }),
    // As platform/ reads a refusal's words (SettlementCalls.reverse).
    ...(status === 'REVERSAL_REFUSED' && { refusal: reversalRefusalMeaning(err_msg) }),
    verdict: reversalVerdict(status, err_msg),
  },
  ...at,
});
const admission = (
  answer: Extract<SagaCommand, { type: 'RecordAdmissionAnswer' }>['answer'],
  causation_id = NEXT_ID,
): SagaCommand => ({ type: 'RecordAdmissionAnswer', causation_id, answer, ...at });
const timeOut = (now = LATER): SagaCommand => ({ type: 'TimeOutStep', now, id: NEXT_ID });
/** `ms` after NOW (the time every answer above is decided at). */
const after = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();
const stateOf = (events: SagaEvent[]) => events.reduce(sagaDecider.evolve, sagaDecider.initialState());

// Sagas at given points, built by running the decider itself.
const started = run(visit, settle());
const preSettling = run(visit, settle(request, noAudit), feeTotals(true));
const discharging = run(preSettling, platform('2303', 'SUCCEEDED'));
const settling = run(discharging, admission({ kind: 'DISCHARGED', msgid: MSGID_2 }));
const reversing = run(settling, platform('2304', 'UNKNOWN'));
const undoing = run(settling, platform('2304', 'REJECTED'));
const settled = run(settling, platform('2304', 'SUCCEEDED', MSGID_2));
const cancel = (undo_discharge = true): SagaCommand => ({
  type: 'RequestCancel',
  ipt_no: IPT,
  cancel: { undo_discharge, reason: '患者要求重新结算', request: 'CancelSettlement' },
  settings,
  now: NOW,
  id: ID,
});
const cancelling = run(settled, cancel());

const { mdtrt_cert_type: _type, mdtrt_cert_no: _no, ...withoutCertificate } = request;
/** The certificate at discharge: refusals, as [why, given, request, reason]. */
const certificateRefusals: [string, SagaEvent[], SettlementRequest, RegExp][] = [
  [
    'no certificate was presented nor the admission one said to hold',
    visit,
    withoutCertificate,
    /cert_as_admitted/,
  ],
  ['the certificate lacks its number', visit, { ...withoutCertificate, mdtrt_cert_type: '02' }, /both/],
  [
    "the admission's e-voucher token is said to hold",
    [{ ...visit[0]!, data: { ...visit[0]!.data, mdtrt_cert_type: '01' } } as SagaEvent, ...visit.slice(1)],
    { ...withoutCertificate, cert_as_admitted: true },
    /e-voucher/,
  ],
  [
    'the insured area is unknown (a v1 registration, no area from the HIS)',
    [
      { ...visit[0]!, data: { ...visit[0]!.data, insuplc_admdvs: undefined } } as SagaEvent,
      ...visit.slice(1),
    ],
    request,
    /参保地医保区划未知/,
  ],
];

describe('settlement saga decider', () => {
  describe('starting', () => {
    it('starts a saga with the fee reconciliation, asking fee-detail with a deadline', () => {
      spec()
        .given(visit)
        .when(settle())
        .then([
          {
            type: 'SagaStarted',
            data: {
              saga_id: SAGA,
              ipt_no: IPT,
              kind: 'SETTLE',
              mid_setl_flag: '0',
              request,
              ...settings,
              started_at: NOW,
            },
          },
          {
            type: 'StepStarted',
            data: {
              saga_id: SAGA,
              seq: 1,
              step: 'FEE_RECONCILIATION',
              attempt: 1,
              detail: `fee-detail: HIS total ${request.medfee_sumamt}`,
              retrying: false,
              command: {
                id: ID,
                type: 'ReconcileFeeTotals',
                data: { ipt_no: IPT, his_sumamt: request.medfee_sumamt },
              },
              deadline: DEADLINE,
            },
          },
        ]);
    });

    it("names the HIS's request to fee-detail, so the totals are cut at its place; a retry names the same", () => {
      const cause = { id: '0b6c1d7e-4a5f-4e2b-9c3d-2f1a0e9b8c7d', correlationId: 'corr-his' };
      const events = decide(visit, { ...settle(), cause });
      expect(events[0]).toMatchObject({ type: 'SagaStarted', data: { request_id: cause.id } });
      expect(events[1]).toMatchObject({
        data: { command: { type: 'ReconcileFeeTotals', data: { request_id: cause.id } } },
      });
      const failed = run([...visit, ...events], feeTotals(false));
      const retried = decide(failed, {
        type: 'RetrySaga',
        ipt_no: IPT,
        saga_id: SAGA,
        comment: '补传费用后重试',
        settings,
        now: NOW,
        id: NEXT_ID,
      });
      expect(lastOf(retried, 'StepStarted')).toMatchObject({
        data: { command: { type: 'ReconcileFeeTotals', data: { request_id: cause.id } } },
      });
    });

    it.each([
      ['a discharge settlement comes before the discharge', visit.slice(0, 2), request, /DischargeRequested/],
      [
        'the same request comes again while its saga runs',
        started,
        request,
        /the same request is already in 结算流程/,
      ],
      ['the visit is already settled at discharge', settled, request, /已出院结算/],
      ...certificateRefusals,
    ])('refuses with a reason when %s', (_why, given, r, reason) => {
      expect(decide(given, settle(r))).toMatchObject([
        {
          type: 'RequestRefused',
          data: { request: 'SettlementRequested', reason: expect.stringMatching(reason) },
        },
      ]);
    });

    describe("a cashier's requests, served in the order they came", () => {
      const CAUSE = { id: '5f0c8a52-8d7c-4c36-9f43-2f1f1d1f00bb', correlationId: 'c-2' };
      const take = (now = LATER): SagaCommand => ({ type: 'TakeQueuedRequest', now, id: NEXT_ID });

      it('queues a cancel that comes while the settlement runs, and cancels once it is settled', () => {
        const queuedCancel = run(settling, { ...cancel(), cause: CAUSE } as SagaCommand);
        expect(queuedCancel.at(-1)).toMatchObject({
          type: 'RequestQueued',
          data: { item: { kind: 'cancel', cause: CAUSE }, behind: `in 结算流程 ${SAGA} (RUNNING)` },
        });
        // Nothing is taken while the saga runs.
        expect(decide(queuedCancel, take())).toEqual([]);
        const settledThen = run(queuedCancel, platform('2304', 'SUCCEEDED', MSGID_2));
        expect(lastOf(settledThen, 'SagaEnded')).toMatchObject({ data: { state: 'SETTLED' } });
        expect(decide(settledThen, take())).toMatchObject([
          { type: 'QueuedRequestTaken', data: { taken_at: LATER, cause: CAUSE } },
          { type: 'SagaStarted', data: { saga_id: `setl-${IPT}-2`, kind: 'CANCEL' } },
          { type: 'StepStarted', data: { step: 'SETTLEMENT_CANCEL' } },
        ]);
      });

      it('settles the final settlement after the mid-way one that was running when it came', () => {
        const midWayRunning = run(visit, settle(midWay));
        const finalQueued = run(midWayRunning, { ...settle(), cause: CAUSE });
        expect(finalQueued.at(-1)).toMatchObject({
          type: 'RequestQueued',
          data: { item: { kind: 'settle' } },
        });
        expect(stateOf(finalQueued).queued).toHaveLength(1);
      });

      it('refuses what it takes when it no longer stands (nothing left to cancel), then takes the next', () => {
        const twoQueued = run(
          settling,
          { ...cancel(), cause: CAUSE } as SagaCommand,
          { ...cancel(), cause: CAUSE } as SagaCommand,
        );
        expect(stateOf(twoQueued).queued).toHaveLength(2);
        // 2304 refused: the discharge is undone (2405) and the saga ends FAILED.
        const rejected = run(
          twoQueued,
          platform('2304', 'REJECTED'),
          admission({ kind: 'DISCHARGE_UNDONE', msgid: MSGID_2 }),
        );
        expect(lastOf(rejected, 'SagaEnded')).toMatchObject({ data: { state: 'FAILED' } });
        const taken = run(rejected, take());
        // The settlement failed: the first cancel has nothing standing and is refused.
        expect(taken.slice(rejected.length)).toMatchObject([
          { type: 'QueuedRequestTaken' },
          { type: 'RequestRefused', data: { request: 'CancelSettlement' } },
        ]);
        expect(stateOf(taken).queued).toHaveLength(1);
      });
    });

    describe('before the registration result', () => {
      const CAUSE = { id: '5f0c8a52-8d7c-4c36-9f43-2f1f1d1f00aa', correlationId: 'c-1' };
      const admitted = visit.slice(0, 1);
      // As long as a step over all its asks: 3 × 60 s.
      const HELD_UNTIL = '2024-05-08T02:03:00.000Z';
      const held: SagaEvent = {
        type: 'SettlementRequestHeld',
        data: { request, settings, cause: CAUSE, held_at: NOW, deadline: HELD_UNTIL },
      };
      const released = (now: string): SagaEvent => ({
        type: 'HeldRequestReleased',
        data: { released_at: now, cause: CAUSE },
      });
      const registration = { mdtrt_id: 'M1', psn_no: 'P1' };
      const register = (now = LATER): SagaCommand => ({
        type: 'NoteRegistration',
        registration,
        now,
        id: NEXT_ID,
      });

      it('holds the request until admission’s result, for one step timeout', () => {
        spec()
          .given(admitted)
          .when({ ...settle(), cause: CAUSE })
          .then([held]);
      });

      it('starts the saga when the registration arrives, answering the request', () => {
        const events = decide([...admitted, held, visit[2]!], register());
        expect(events.slice(0, 2)).toEqual([
          { type: 'RegistrationNoted', data: registration },
          released(LATER),
        ]);
        expect(events.slice(2)).toMatchObject([
          { type: 'SagaStarted', data: { saga_id: SAGA, request, started_at: LATER } },
          {
            type: 'StepStarted',
            data: { step: 'FEE_RECONCILIATION', command: { id: NEXT_ID, type: 'ReconcileFeeTotals' } },
          },
        ]);
      });

      it('refuses it then for what still stands against it (no discharge yet)', () => {
        spec()
          .given([...admitted, held])
          .when(register())
          .then([
            { type: 'RegistrationNoted', data: registration },
            released(LATER),
            {
              type: 'RequestRefused',
              data: {
                request: 'SettlementRequested',
                reason: 'a discharge settlement needs the discharge (DischargeRequested) first',
              },
            },
          ]);
      });

      it('refuses the same request again while it is held, keeping the first', () => {
        const events = run([...admitted, held], settle());
        expect(events.at(-1)).toMatchObject({
          type: 'RequestRefused',
          data: { reason: expect.stringMatching(/the same request is already waiting for its registration/) },
        });
        expect(decide([...events, visit[2]!], register())[2]).toMatchObject({ type: 'SagaStarted' });
      });

      it('queues a cancel that comes while the request is held, behind it', () => {
        spec()
          .given([...admitted, held])
          .when(cancel())
          .then([
            {
              type: 'RequestQueued',
              data: {
                item: {
                  kind: 'cancel',
                  ipt_no: IPT,
                  cancel: { undo_discharge: true, reason: '患者要求重新结算', request: 'CancelSettlement' },
                  settings,
                  cause: null,
                },
                queued_at: NOW,
                behind: `waiting for its registration (until ${HELD_UNTIL})`,
              },
            },
          ]);
      });

      it.each([
        [
          'the platform refused the 2401',
          { kind: 'REJECTED', infno: '2401', msgid: MSGID, err_msg: '参保人不存在' },
        ],
        [
          'admission refused it (1101)',
          { kind: 'REFUSED', infno: '1101', code: 'NOT_INSURED', reason: '险种类型不支持住院' },
        ],
      ] as const)('refuses it when %s', (_why, answer) => {
        expect(decide([...admitted, held], admission(answer, 'any'))).toEqual([
          released(NOW),
          {
            type: 'RequestRefused',
            data: {
              request: 'SettlementRequested',
              reason: expect.stringMatching(/^the visit is not registered .*registration was refused/),
            },
          },
        ]);
      });

      it('refuses at once a request that comes after admission refused the registration', () => {
        const refusal = {
          kind: 'REFUSED',
          infno: '1101',
          code: 'NOT_INSURED',
          reason: '险种类型不支持住院',
        } as const;
        const noted = decide(admitted, admission(refusal, 'any'));
        expect(noted).toEqual([
          {
            type: 'RegistrationRefusalNoted',
            data: { reason: expect.stringContaining('险种类型不支持住院') },
          },
        ]);
        expect(decide([...admitted, ...noted], settle())).toEqual([
          {
            type: 'RequestRefused',
            data: {
              request: 'SettlementRequested',
              reason: expect.stringMatching(/^the visit is not registered .*registration was refused/),
            },
          },
        ]);
      });

      it('keeps waiting through an uncertain 2401 and other answers', () => {
        const uncertain = { kind: 'UNCERTAIN', infno: '2401', msgid: MSGID, reason: 'timeout' } as const;
        spec()
          .given([...admitted, held])
          .when(admission(uncertain, 'any'))
          .then([]);
      });

      it('refuses it once its deadline passed without a registration', () => {
        expect(decide([...admitted, held], timeOut(HELD_UNTIL))).toEqual([
          released(HELD_UNTIL),
          {
            type: 'RequestRefused',
            data: {
              request: 'SettlementRequested',
              reason: expect.stringMatching(/not registered.*did not come within 180000 ms/),
            },
          },
        ]);
        spec()
          .given([...admitted, held])
          .when(timeOut('2024-05-08T02:02:59.999Z'))
          .then([]);
      });

      it('is forgotten once released: a registration after the refusal starts nothing', () => {
        const refused = run([...admitted, held], timeOut(HELD_UNTIL));
        expect(decide([...refused, visit[2]!], register())).toEqual([
          { type: 'RegistrationNoted', data: registration },
        ]);
      });
    });

    it("settles with the admission's certificate where the HIS says it still holds (an ID card)", () => {
      const asAdmitted = { ...withoutCertificate, cert_as_admitted: true };
      expect(decide(visit, settle(asAdmitted))[0]).toMatchObject({ type: 'SagaStarted' });
    });

    it('starts in the area admission registered, the HIS having named none', () => {
      const registeredOnly: SagaEvent[] = [
        { ...visit[0]!, data: { ...visit[0]!.data, insuplc_admdvs: undefined } } as SagaEvent,
        { type: 'RegistrationNoted', data: { mdtrt_id: 'M1', psn_no: 'P1', insuplc_admdvs: '110000' } },
        visit[2]!,
      ];
      expect(decide(registeredOnly, settle())[0]).toMatchObject({ type: 'SagaStarted' });
    });

    it('settles mid-way without the discharge', () => {
      expect(decide(visit.slice(0, 2), settle(midWay))[0]).toMatchObject({
        type: 'SagaStarted',
        data: { mid_setl_flag: '1' },
      });
    });

    it('refuses a new settlement while a compensation failed, until a person retries', () => {
      const failed = run(reversing, reversal('REVERSAL_REFUSED', '人员编号与原交易人员编号不一致'));
      expect(decide(failed, settle())).toMatchObject([
        { type: 'RequestRefused', data: { reason: expect.stringMatching(/RetrySettlement/) } },
      ]);
    });
  });

  describe('forward steps', () => {
    it('asks quality for the 3102 audit (trig_scen 9) once the totals agree', () => {
      expect(decide(started, feeTotals(true))).toMatchObject([
        { type: 'StepAnswered', data: { step: 'FEE_RECONCILIATION', status: 'SUCCEEDED', seq: 2 } },
        {
          type: 'StepStarted',
          data: {
            step: 'PRE_SETTLEMENT_AUDIT',
            seq: 3,
            command: { type: 'AuditSettlement', data: { trig_scen: '9', saga_id: SAGA, mdtrt_id: 'M1' } },
          },
        },
      ]);
    });

    it('skips the audits when the region has none (audit_enabled false)', () => {
      expect(lastOf(preSettling, 'StepStarted')).toMatchObject({
        data: { step: 'PRE_SETTLEMENT', infno: '2303' },
      });
    });

    it('fails with fee-detail’s reason when the totals do not agree', () => {
      expect(decide(started, feeTotals(false))).toMatchObject([
        { type: 'StepAnswered', data: { status: 'REJECTED' } },
        {
          type: 'SagaEnded',
          data: {
            state: 'FAILED',
            step: 'FEE_RECONCILIATION',
            reason: expect.stringMatching(/不一致/),
            needs_person: true,
          },
        },
      ]);
    });

    it('ignores an answer to a command it did not send (or no longer waits for)', () => {
      spec().given(started).when(feeTotals(true, 'another-command')).then([]);
    });

    it('waits for a person on a blocking finding, and goes on when it is acknowledged', () => {
      const audited = run(started, feeTotals(true));
      const waiting = run(audited, audit('9', 'BLOCKED'));
      expect(lastOf(waiting, 'SagaWaiting')).toMatchObject({ data: { step: 'PRE_SETTLEMENT_AUDIT' } });
      // no deadline while a person decides
      spec().given(waiting).when(timeOut('2030-01-01T00:00:00.000Z')).then([]);
      expect(decide(waiting, audit('9', 'ACKNOWLEDGED'))).toMatchObject([
        { type: 'StepAnswered', data: { step: 'PRE_SETTLEMENT_AUDIT', status: 'SUCCEEDED' } },
        { type: 'StepStarted', data: { step: 'PRE_SETTLEMENT', infno: '2303' } },
      ]);
    });

    it('fails before 2303 when the audit is unavailable and the policy says stop', () => {
      const audited = run(started, feeTotals(true));
      expect(decide(audited, audit('9', 'UNAVAILABLE', false))).toMatchObject([
        { type: 'StepAnswered', data: { status: 'REJECTED' } },
        { type: 'SagaEnded', data: { state: 'FAILED', step: 'PRE_SETTLEMENT_AUDIT' } },
      ]);
    });

    it('records the pre-settlement amounts (16,2) and asks admission for 2402', () => {
      expect(decide(preSettling, platform('2303', 'SUCCEEDED'))).toMatchObject([
        {
          type: 'StepAnswered',
          data: {
            step: 'PRE_SETTLEMENT',
            status: 'SUCCEEDED',
            msgid: MSGID,
            result: {
              kind: 'pre-settlement',
              amounts: {
                medfee_sumamt: '86.60',
                acct_pay: '20.25',
                psn_cash_pay: '0.00',
                fund_shares: [{ fund_pay_type: '310100', fund_payamt: '66.35', inscp_scp_amt: '82.94' }],
              },
            },
          },
        },
        {
          type: 'StepStarted',
          data: {
            step: 'DISCHARGE',
            infno: '2402',
            command: { type: 'DischargePatient', id: NEXT_ID, data: discharge },
          },
        },
      ]);
    });

    it('goes from 2303 straight to 2304 in a mid-way settlement', () => {
      const mid = run(visit.slice(0, 2), settle(midWay, noAudit), feeTotals(true));
      expect(decide(mid, platform('2303', 'SUCCEEDED'))[1]).toMatchObject({
        type: 'StepStarted',
        data: { step: 'SETTLEMENT', infno: '2304' },
      });
    });

    it('goes on when admission refuses 2402 as ALREADY_DISCHARGED: the discharge stands (matched by code, not words)', () => {
      const refused = (code: 'ALREADY_DISCHARGED' | 'NOT_REGISTERED') =>
        admission({ kind: 'REFUSED', infno: '2402', code, reason: 'the discharge is already registered' });
      expect(decide(discharging, refused('ALREADY_DISCHARGED'))).toMatchObject([
        { type: 'StepAnswered', data: { step: 'DISCHARGE', status: 'SUCCEEDED' } },
        { type: 'StepStarted', data: { step: 'SETTLEMENT', infno: '2304' } },
      ]);
      // The same words under another code are a refusal: the saga fails.
      expect(decide(discharging, refused('NOT_REGISTERED'))).toMatchObject([
        { type: 'StepAnswered', data: { step: 'DISCHARGE', status: 'REJECTED' } },
        { type: 'SagaEnded', data: { state: 'FAILED', step: 'DISCHARGE' } },
      ]);
    });

    it('does not send 2402 again when the discharge is already registered', () => {
      const given = [
        ...preSettling,
        { type: 'DischargeStatusNoted', data: { discharged: true } } as SagaEvent,
      ];
      expect(decide(given, platform('2303', 'SUCCEEDED')).slice(1)).toMatchObject([
        { type: 'StepStarted', data: { step: 'DISCHARGE' } },
        { type: 'StepAnswered', data: { step: 'DISCHARGE', status: 'SUCCEEDED' } },
        { type: 'StepStarted', data: { step: 'SETTLEMENT', infno: '2304' } },
      ]);
    });

    it('settles: setl_id, medins_setl_id and every fund’s share', () => {
      expect(
        decide(settling, platform('2304', 'SUCCEEDED', MSGID_2, { medins_setl_id: MSGID_2 })),
      ).toMatchObject([
        {
          type: 'StepAnswered',
          data: {
            step: 'SETTLEMENT',
            status: 'SUCCEEDED',
            result: {
              kind: 'settlement',
              settlement: { setl_id: 'S1', medins_setl_id: MSGID_2, fund_pay_sumamt: '66.35' },
            },
          },
        },
        { type: 'SagaEnded', data: { state: 'SETTLED' } },
      ]);
    });
    it('records a settlement whose answer lacks setl_time with the time it was recorded (Beijing)', () => {
      const [answered] = decide(settling, platform('2304', 'SUCCEEDED', MSGID_2, { setl_time: undefined }));
      expect(answered).toMatchObject({
        data: { result: { kind: 'settlement', settlement: { setl_time: '2024-05-08 10:00:00' } } },
      });
    });
  });

  describe('an answer the platform applied but we cannot read', () => {
    const unreadable2304: SagaCommand = {
      type: 'RecordPlatformAnswer',
      answer: {
        infno: '2304',
        msgid: MSGID_2,
        status: 'APPLIED_UNREADABLE',
        missing: ['setlinfo.setl_id is required'],
      },
      ...at,
    };
    it('stops for a person with what the 2304 answer lacked, neither resending nor reversing it', () => {
      const events = decide(settling, unreadable2304);
      expect(events).toMatchObject([
        { type: 'StepAnswered', data: { step: 'SETTLEMENT', status: 'APPLIED_UNREADABLE', msgid: MSGID_2 } },
        {
          type: 'SagaEnded',
          data: {
            state: 'APPLIED_UNREADABLE',
            needs_person: true,
            unreadable: { infno: '2304', msgid: MSGID_2, missing: ['setlinfo.setl_id is required'] },
          },
        },
      ]);
      expect(events.some((e) => e.type === 'StepStarted')).toBe(false);
    });
    it('refuses a new settlement and a retry while the platform may hold the unrecorded one', () => {
      const stopped = run(settling, unreadable2304);
      expect(decide(stopped, settle())).toMatchObject([
        { type: 'RequestRefused', data: { reason: expect.stringContaining('平台应答无法读取') } },
      ]);
      const retry: SagaCommand = {
        type: 'RetrySaga',
        ipt_no: IPT,
        saga_id: SAGA,
        comment: '重试',
        settings,
        now: NOW,
        id: ID,
      };
      expect(decide(stopped, retry)).toMatchObject([
        { type: 'RequestRefused', data: { request: 'RetrySettlement' } },
      ]);
    });
  });

  describe('unknown outcomes and compensation', () => {
    it(`sends 2303 again at once when unanswered, then after ${MAX_PLATFORM_ATTEMPTS} sends waits for the platform instead of failing`, () => {
      // Given a 2303 unanswered once, then twice more
      const once = run(preSettling, platform('2303', 'UNKNOWN'));
      expect(lastOf(once, 'StepStarted')).toMatchObject({
        data: { step: 'PRE_SETTLEMENT', attempt: 2, retrying: true },
      });
      const twice = run(once, platform('2303', 'UNKNOWN', MSGID_2));
      // When the third send is unanswered too
      const waiting = decide(twice, platform('2303', 'UNKNOWN', REVERSAL_MSGID));
      // Then the saga waits in the step (no SagaEnded), to ask again PLATFORM_WAIT_MS.first later
      expect(waiting).toMatchObject([
        { type: 'StepAnswered', data: { step: 'PRE_SETTLEMENT', status: 'UNKNOWN' } },
        {
          type: 'SagaWaitingForPlatform',
          data: {
            step: 'PRE_SETTLEMENT',
            infno: '2303',
            waits: 1,
            retry_at: after(PLATFORM_WAIT_MS.first),
            pending: { kind: 'platform', step: 'PRE_SETTLEMENT', infno: '2303' },
          },
        },
      ]);
      const thrice = [...twice, ...waiting];
      expect(stateOf(thrice).saga).toMatchObject({ status: 'WAITING_FOR_PLATFORM', waits: 1 });
      // Nothing before the retry time; at it, a new 2303 (a new attempt, hence a new key and msgid)
      expect(decide(thrice, timeOut(after(PLATFORM_WAIT_MS.first - 1)))).toEqual([]);
      const resent = run(thrice, timeOut(after(PLATFORM_WAIT_MS.first)));
      expect(lastOf(resent, 'StepStarted')).toMatchObject({
        data: { step: 'PRE_SETTLEMENT', attempt: 4, retrying: true },
      });
      expect(stateOf(resent).saga).toMatchObject({ status: 'RUNNING', retry_at: null });
      // Unanswered again: the wait doubles; answered at last: the saga goes on and the waits are forgotten
      const again = run(resent, platform('2303', 'UNKNOWN'));
      expect(lastOf(again, 'SagaWaitingForPlatform')).toMatchObject({
        data: { waits: 2, retry_at: after(2 * PLATFORM_WAIT_MS.first) },
      });
      const answered = run(again, timeOut(after(2 * PLATFORM_WAIT_MS.first)), platform('2303', 'SUCCEEDED'));
      expect(lastOf(answered, 'StepStarted')).toMatchObject({ data: { step: 'DISCHARGE' } });
      expect(stateOf(answered).saga).toMatchObject({ status: 'RUNNING', waits: 0 });
    });

    it('waits at most PLATFORM_WAIT_MS.most between asks, however long the platform is away', () => {
      let events = run(preSettling, platform('2303', 'UNKNOWN'), platform('2303', 'UNKNOWN'));
      let now = Date.parse(NOW);
      const delays: number[] = [];
      for (let k = 0; k < 8; k += 1) {
        events = run(events, {
          ...platform('2303', 'UNKNOWN'),
          now: new Date(now).toISOString(),
        } as SagaCommand);
        const retry_at = Date.parse(stateOf(events).saga!.retry_at!);
        delays.push(retry_at - now);
        now = retry_at;
        events = run(events, timeOut(new Date(now).toISOString()));
      }
      expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000, 60_000]);
      expect(events.some((e) => e.type === 'SagaEnded')).toBe(false);
    });

    it('fails with the platform’s reason when 2303 is refused', () => {
      expect(decide(preSettling, platform('2303', 'REJECTED'))).toMatchObject([
        { type: 'StepAnswered', data: { status: 'REJECTED', detail: '基金支付金额计算失败' } },
        {
          type: 'SagaEnded',
          data: { state: 'FAILED', step: 'PRE_SETTLEMENT', reason: '基金支付金额计算失败' },
        },
      ]);
    });

    it('sends the fees back to fee-detail once when 2303 says the platform holds another total (差账)', () => {
      const drift: SagaCommand = {
        type: 'RecordPlatformAnswer',
        answer: {
          infno: '2303',
          msgid: MSGID,
          status: 'REJECTED',
          err_msg: '医疗费总额[86.60]与已上传费用明细总额[50.00]不一致，请核对费用明细',
        },
        ...at,
      };
      expect(decide(preSettling, drift)[1]).toMatchObject({
        type: 'StepStarted',
        data: {
          step: 'FEE_RECONCILIATION',
          attempt: 2,
          retrying: true,
          command: {
            type: 'ReconcileFeeTotals',
            data: { his_sumamt: request.medfee_sumamt, platform_sumamt: '50.00' },
          },
        },
      });
      const resynchronised = run(preSettling, drift, feeTotals(true, NEXT_ID));
      expect(lastOf(resynchronised, 'StepStarted')).toMatchObject({
        data: { step: 'PRE_SETTLEMENT', attempt: 2, retrying: true },
      });
      expect(lastOf(run(resynchronised, drift), 'SagaEnded')).toMatchObject({
        data: { state: 'FAILED', step: 'PRE_SETTLEMENT' },
      });
    });

    it('fails when admission could not register the discharge (refused, or of unknown outcome)', () => {
      expect(
        decide(
          discharging,
          admission({ kind: 'REJECTED', infno: '2402', msgid: MSGID_2, err_msg: '已办理出院' }),
        ),
      ).toMatchObject([
        { type: 'StepAnswered', data: { step: 'DISCHARGE', status: 'REJECTED' } },
        { type: 'SagaEnded', data: { state: 'FAILED', step: 'DISCHARGE', needs_person: false } },
      ]);
      expect(
        decide(
          discharging,
          admission({ kind: 'UNCERTAIN', infno: '2402', msgid: MSGID_2, reason: 'timeout' }),
        ),
      ).toMatchObject([
        { type: 'StepAnswered', data: { status: 'UNKNOWN' } },
        {
          type: 'SagaEnded',
          data: { state: 'FAILED', needs_person: true, reason: expect.stringMatching(/2405/) },
        },
      ]);
    });

    it('reverses a 2304 of unknown outcome with 2601 (omsgid = its msgid)', () => {
      expect(decide(settling, platform('2304', 'UNKNOWN'))).toMatchObject([
        { type: 'StepAnswered', data: { step: 'SETTLEMENT', status: 'UNKNOWN', msgid: MSGID } },
        { type: 'StepStarted', data: { step: 'REVERSAL', infno: '2601', omsgid: MSGID, oinfno: '2304' } },
      ]);
    });

    it('sends 2304 again with a new msgid once 2601 reversed it', () => {
      expect(decide(reversing, reversal('REVERSED'))).toMatchObject([
        {
          type: 'StepAnswered',
          data: {
            step: 'REVERSAL',
            status: 'SUCCEEDED',
            msgid: REVERSAL_MSGID,
            result: { kind: 'reversal', compensation: '2601', omsgid: MSGID, oinfno: '2304' },
          },
        },
        { type: 'StepStarted', data: { step: 'SETTLEMENT', infno: '2304', attempt: 2, retrying: true } },
      ]);
    });

    it('sends 2304 again when the platform never received the original (2601: 未找到原交易)', () => {
      const events = decide(
        reversing,
        reversal('REVERSAL_REFUSED', '冲正失败：未找到原交易报文ID[X]的交易记录'),
      );
      expect(events).toMatchObject([
        {
          type: 'StepAnswered',
          data: { step: 'REVERSAL', status: 'REJECTED', detail: expect.stringMatching(/safe/) },
        },
        { type: 'StepStarted', data: { step: 'SETTLEMENT', attempt: 2 } },
      ]);
    });

    it('takes a 2601 refused as already reversed (sent again after a crash) as reversed', () => {
      expect(
        decide(reversing, reversal('REVERSAL_REFUSED', '原交易报文ID[X]已冲正，不能重复冲正'))[0],
      ).toMatchObject({
        data: { step: 'REVERSAL', status: 'SUCCEEDED' },
      });
    });

    it('ends in COMPENSATION_FAILED with what a person needs when 2601 is refused for another reason', () => {
      const [answered, ended] = decide(
        reversing,
        reversal('REVERSAL_REFUSED', '冲正的结算信息退费结算标志不为未退费，不能办理冲正交易'),
      );
      expect(answered).toMatchObject({ type: 'StepAnswered', data: { step: 'REVERSAL' } });
      expect(ended).toMatchObject({
        type: 'SagaEnded',
        data: {
          state: 'COMPENSATION_FAILED',
          step: 'SETTLEMENT',
          needs_person: true,
          compensation_failure: {
            compensation: '2601',
            msgid: REVERSAL_MSGID,
            omsgid: MSGID,
            oinfno: '2304',
            platform_answer: expect.any(String),
            platform_state: expect.stringMatching(/may have been applied/),
            suggested_action: expect.stringMatching(/5203|结算记录/),
          },
        },
      });
    });

    it('waits when 2601 is unanswered too, asks the same 2601 again, and settles once the platform is back', () => {
      // Given a 2304 of unknown outcome whose 2601 got no answer either (the platform away)
      const waiting = decide(reversing, reversal('UNKNOWN'));
      // Then no person is needed: the saga waits in the reversal
      expect(waiting).toMatchObject([
        { type: 'StepAnswered', data: { step: 'REVERSAL', status: 'UNKNOWN' } },
        {
          type: 'SagaWaitingForPlatform',
          data: {
            step: 'REVERSAL',
            infno: '2601',
            pending: { kind: 'reversal', omsgid: MSGID, oinfno: '2304' },
          },
        },
      ]);
      // When its retry time comes, the same 2601 (omsgid) is asked again
      const asked = run(reversing, reversal('UNKNOWN'), timeOut(after(PLATFORM_WAIT_MS.first)));
      expect(lastOf(asked, 'StepStarted')).toMatchObject({
        data: { step: 'REVERSAL', attempt: 2, omsgid: MSGID, oinfno: '2304' },
      });
      // And once the platform answers that it never received the 2304, 2304 is sent again and settles
      const settledAfterAll = run(
        asked,
        reversal('REVERSAL_REFUSED', '冲正失败：未找到原交易报文ID[X]的交易记录'),
        platform('2304', 'SUCCEEDED', MSGID_2),
      );
      expect(lastOf(settledAfterAll, 'SagaEnded')).toMatchObject({ data: { state: 'SETTLED' } });
    });

    it(`sends 2304 again after every answer that says the previous one was not applied (no cap after ${MAX_PLATFORM_ATTEMPTS})`, () => {
      const twice = run(reversing, reversal('REVERSED'), platform('2304', 'UNKNOWN'), reversal('REVERSED'));
      const third = run(twice, platform('2304', 'UNKNOWN'));
      expect(decide(third, reversal('REVERSED')).slice(1)).toMatchObject([
        { type: 'StepStarted', data: { step: 'SETTLEMENT', attempt: MAX_PLATFORM_ATTEMPTS + 1 } },
      ]);
    });

    it('waits when quality’s 3102 got no answer from the platform, and asks quality again', () => {
      const auditing = run(visit, settle(), feeTotals(true));
      const unanswered: SagaCommand = {
        ...audit('9', 'UNAVAILABLE', false),
        answer: {
          ...(audit('9', 'UNAVAILABLE', false) as Extract<SagaCommand, { type: 'RecordAudit' }>).answer,
          unanswered: true,
        },
      } as SagaCommand;
      expect(decide(auditing, unanswered)).toMatchObject([
        { type: 'StepAnswered', data: { step: 'PRE_SETTLEMENT_AUDIT', status: 'UNKNOWN' } },
        { type: 'SagaWaitingForPlatform', data: { step: 'PRE_SETTLEMENT_AUDIT', infno: '3102' } },
      ]);
      const asked = run(auditing, unanswered, timeOut(after(PLATFORM_WAIT_MS.first)));
      expect(lastOf(asked, 'StepStarted')).toMatchObject({
        data: {
          step: 'PRE_SETTLEMENT_AUDIT',
          attempt: 2,
          command: { id: NEXT_ID, type: 'AuditSettlement', data: { trig_scen: '9' } },
        },
      });
      // An UNAVAILABLE the platform answered (it refused 3102) still ends the saga: a business answer.
      expect(lastOf(run(auditing, audit('9', 'UNAVAILABLE', false)), 'SagaEnded')).toMatchObject({
        data: { state: 'FAILED', step: 'PRE_SETTLEMENT_AUDIT' },
      });
    });

    it('undoes the discharge (2405) when 2304 is refused, then fails with the platform’s reason', () => {
      expect(lastOf(undoing, 'StepStarted')).toMatchObject({
        data: {
          step: 'DISCHARGE_UNDO',
          infno: '2405',
          command: { type: 'UndoDischarge', data: { ipt_no: IPT, reason: '基金支付金额计算失败' } },
          compensating: { step: 'SETTLEMENT', reason: '基金支付金额计算失败' },
        },
      });
      expect(decide(undoing, admission({ kind: 'DISCHARGE_UNDONE', msgid: MSGID_2 }))).toMatchObject([
        { type: 'DischargeStatusNoted', data: { discharged: false } },
        {
          type: 'StepAnswered',
          data: {
            step: 'DISCHARGE_UNDO',
            status: 'SUCCEEDED',
            result: { kind: 'discharge-undone', compensation: '2405' },
          },
        },
        { type: 'SagaEnded', data: { state: 'FAILED', step: 'SETTLEMENT', reason: '基金支付金额计算失败' } },
      ]);
    });

    it('fails a mid-way settlement refused by 2304 without any undo', () => {
      const mid = run(
        visit.slice(0, 2),
        settle(midWay, noAudit),
        feeTotals(true),
        platform('2303', 'SUCCEEDED'),
      );
      expect(decide(mid, platform('2304', 'REJECTED'))[1]).toMatchObject({
        type: 'SagaEnded',
        data: { state: 'FAILED', step: 'SETTLEMENT' },
      });
    });

    it('ends in COMPENSATION_FAILED when 2405 is refused', () => {
      const [answered, ended] = decide(
        undoing,
        admission({ kind: 'REJECTED', infno: '2405', msgid: MSGID_2, err_msg: '已办理出院结算' }),
      );
      expect(answered).toMatchObject({
        type: 'StepAnswered',
        data: { step: 'DISCHARGE_UNDO', status: 'REJECTED' },
      });
      expect(ended).toMatchObject({
        type: 'SagaEnded',
        data: {
          state: 'COMPENSATION_FAILED',
          compensation_failure: { compensation: '2405' },
          needs_person: true,
        },
      });
    });
  });

  describe('deadlines', () => {
    it('does nothing before the deadline', () => {
      spec().given(started).when(timeOut(NOW)).then([]);
    });

    /** Each deadline passed in turn, one step timeout (60 s) apart, as often as the step is asked less once. */
    const minuteAfter = (k: number) => new Date(Date.parse(LATER) + k * 60_000).toISOString();
    const askedOut = (given: SagaEvent[]) =>
      Array.from({ length: MAX_STEP_ASKS - 1 }, (_, k) => k).reduce<SagaEvent[]>(
        (events, k) => run(events, timeOut(minuteAfter(k))),
        given,
      );
    const lastSilence = () => timeOut(minuteAfter(MAX_STEP_ASKS));

    it('asks fee-detail again when it does not answer (it may be away), with a new command and deadline', () => {
      const later = new Date(Date.parse(LATER) + 60_000).toISOString();
      expect(decide(started, timeOut())).toEqual([
        {
          type: 'StepAnswered',
          data: expect.objectContaining({ step: 'FEE_RECONCILIATION', status: 'TIMED_OUT', attempt: 1 }),
        },
        {
          type: 'StepStarted',
          data: expect.objectContaining({
            step: 'FEE_RECONCILIATION',
            attempt: 2,
            retrying: true,
            command: expect.objectContaining({ id: NEXT_ID, type: 'ReconcileFeeTotals' }),
            deadline: later,
          }),
        },
      ]);
      // The answer to the first ask is not the one awaited now; the answer to the second is.
      const askedTwice = run(started, timeOut());
      expect(decide(askedTwice, feeTotals(true, ID))).toEqual([]);
      expect(decide(askedTwice, feeTotals(true, NEXT_ID))[0]).toMatchObject({
        type: 'StepAnswered',
        data: { step: 'FEE_RECONCILIATION', status: 'SUCCEEDED' },
      });
    });

    it('waits for fee-detail after the asks (it may be waiting out the platform), asks again, and takes a late answer', () => {
      // Given fee-detail silent through every ask
      const waiting = decide(askedOut(started), lastSilence());
      // Then the saga does not fail: it waits in the step
      expect(waiting).toMatchObject([
        {
          type: 'StepAnswered',
          data: { step: 'FEE_RECONCILIATION', status: 'TIMED_OUT', attempt: MAX_STEP_ASKS },
        },
        {
          type: 'SagaWaitingForPlatform',
          data: { step: 'FEE_RECONCILIATION', pending: { kind: 'command', step: 'FEE_RECONCILIATION' } },
        },
      ]);
      const waited = [...askedOut(started), ...waiting];
      const lastAsk = (
        lastOf(askedOut(started), 'StepStarted') as Extract<SagaEvent, { type: 'StepStarted' }>
      ).data.command!.id;
      // A late answer to the last ask is taken while it waits
      expect(decide(waited, feeTotals(true, lastAsk))[0]).toMatchObject({
        type: 'StepAnswered',
        data: { step: 'FEE_RECONCILIATION', status: 'SUCCEEDED' },
      });
      // At its retry time the command goes again, with a fresh id and deadline
      const retryAt = (
        lastOf(waiting, 'SagaWaitingForPlatform') as Extract<SagaEvent, { type: 'SagaWaitingForPlatform' }>
      ).data.retry_at;
      expect(decide(waited, timeOut(retryAt))).toMatchObject([
        {
          type: 'StepStarted',
          data: {
            step: 'FEE_RECONCILIATION',
            attempt: MAX_STEP_ASKS + 1,
            command: { id: NEXT_ID, type: 'ReconcileFeeTotals' },
          },
        },
      ]);
    });

    it('waits for admission’s 2402 after the asks instead of undoing a discharge nobody confirmed', () => {
      expect(decide(discharging, timeOut())).toMatchObject([
        { type: 'StepAnswered', data: { step: 'DISCHARGE', status: 'TIMED_OUT' } },
        {
          type: 'StepStarted',
          data: { step: 'DISCHARGE', attempt: 2, command: { type: 'DischargePatient' } },
        },
      ]);
      expect(decide(askedOut(discharging), lastSilence())).toMatchObject([
        { type: 'StepAnswered', data: { step: 'DISCHARGE', status: 'TIMED_OUT' } },
        { type: 'SagaWaitingForPlatform', data: { step: 'DISCHARGE', infno: '2402' } },
      ]);
    });

    it('waits for admission’s 2405 when the undo is not answered, and asks it again, instead of COMPENSATION_FAILED', () => {
      const laterStill = new Date(Date.parse(LATER) + 120_000).toISOString();
      const waiting = run(undoing, timeOut(laterStill));
      expect(waiting.some((e) => e.type === 'SagaEnded')).toBe(false);
      expect(lastOf(waiting, 'SagaWaitingForPlatform')).toMatchObject({
        data: { step: 'DISCHARGE_UNDO', infno: '2405' },
      });
      const retryAt = stateOf(waiting).saga!.retry_at!;
      expect(lastOf(run(waiting, timeOut(retryAt)), 'StepStarted')).toMatchObject({
        data: {
          step: 'DISCHARGE_UNDO',
          infno: '2405',
          command: { id: NEXT_ID, type: 'UndoDischarge' },
        },
      });
      // The compensation still ends as before once admission answers.
      const undone = run(waiting, timeOut(retryAt));
      const ask = (lastOf(undone, 'StepStarted') as Extract<SagaEvent, { type: 'StepStarted' }>).data.command!
        .id;
      expect(
        lastOf(
          run(undone, {
            type: 'RecordAdmissionAnswer',
            causation_id: ask,
            answer: { kind: 'DISCHARGE_UNDONE', msgid: MSGID_2 },
            ...at,
          }),
          'SagaEnded',
        ),
      ).toMatchObject({ data: { state: 'FAILED', step: 'SETTLEMENT', reason: '基金支付金额计算失败' } });
    });
  });

  describe('cancel and retry', () => {
    it('cancels the latest settlement with 2305, then undoes the discharge with 2405', () => {
      expect(lastOf(cancelling, 'SagaStarted')).toMatchObject({
        data: { kind: 'CANCEL', saga_id: `setl-${IPT}-2`, cancel: { setl_id: 'S1', undo_discharge: true } },
      });
      expect(lastOf(cancelling, 'StepStarted')).toMatchObject({
        data: { step: 'SETTLEMENT_CANCEL', infno: '2305' },
      });
      const cancelled = run(
        cancelling,
        platform('2305', 'SUCCEEDED', MSGID, { setl_id: 'S2', medfee_sumamt: '-86.6' }),
      );
      expect(lastOf(cancelled, 'StepAnswered')).toMatchObject({
        data: {
          result: {
            kind: 'cancellation',
            cancellation: { setl_id: 'S2', init_setl_id: 'S1', medfee_sumamt: '-86.60' },
          },
        },
      });
      expect(lastOf(cancelled, 'StepStarted')).toMatchObject({ data: { step: 'DISCHARGE_UNDO' } });
      const done = decide(cancelled, admission({ kind: 'DISCHARGE_UNDONE', msgid: MSGID_2 }));
      expect(lastOf(done, 'SagaEnded')).toMatchObject({ data: { state: 'CANCELLED' } });
      // the visit may be settled again
      expect(
        decide(run(cancelled, admission({ kind: 'DISCHARGE_UNDONE', msgid: MSGID_2 })), settle())[0],
      ).toMatchObject({
        type: 'SagaStarted',
        data: { saga_id: `setl-${IPT}-3` },
      });
    });

    it('ends a cancel without 2405 when none was asked for', () => {
      const events = run(settled, cancel(false), platform('2305', 'SUCCEEDED', MSGID, { setl_id: 'S2' }));
      expect(lastOf(events, 'SagaEnded')).toMatchObject({ data: { state: 'CANCELLED' } });
    });

    it('reverses a 2305 of unknown outcome, then sends it again', () => {
      const events = run(cancelling, platform('2305', 'UNKNOWN'));
      expect(lastOf(events, 'StepStarted')).toMatchObject({ data: { step: 'REVERSAL', oinfno: '2305' } });
      expect(lastOf(run(events, reversal('REVERSED')), 'StepStarted')).toMatchObject({
        data: { step: 'SETTLEMENT_CANCEL', attempt: 2 },
      });
    });

    it('refuses to cancel when the visit has no standing settlement', () => {
      expect(decide(visit, cancel())).toMatchObject([
        {
          type: 'RequestRefused',
          data: { request: 'CancelSettlement', reason: expect.stringMatching(/no standing/) },
        },
      ]);
    });

    it('retries a failed saga as a new one, and refuses a retry of any other', () => {
      const failed = run(preSettling, platform('2303', 'REJECTED'));
      const retry = (saga_id: string): SagaCommand => ({
        type: 'RetrySaga',
        ipt_no: IPT,
        saga_id,
        comment: '已补传费用',
        settings,
        now: NOW,
        id: ID,
      });
      expect(decide(failed, retry(SAGA))[0]).toMatchObject({
        type: 'SagaStarted',
        data: { saga_id: `setl-${IPT}-2`, retry_of: SAGA, comment: '已补传费用', request: { ...request } },
      });
      expect(decide(failed, retry('setl-other'))).toMatchObject([{ type: 'RequestRefused' }]);
      expect(decide(settled, retry(SAGA))).toMatchObject([
        { type: 'RequestRefused', data: { reason: expect.stringMatching(/SETTLED/) } },
      ]);
    });
  });
});

describe('2303 policy-range amounts', () => {
  const policy = {
    fulamt_ownpay_amt: '1.20',
    overlmt_selfpay: '0.30',
    preselfpay_amt: '3.66',
    inscp_scp_amt: '81.44',
  };
  const withPolicy = (command: SagaCommand): SagaCommand =>
    command.type === 'RecordFeeTotals' ? { ...command, answer: { ...command.answer, ...policy } } : command;

  it("keeps fee-detail's sums of the lines' 2301 answers with the agreed totals, for 2303 and 2304", () => {
    const events = run(visit, settle(request, noAudit), withPolicy(feeTotals(true)));
    const answered = events.find((e) => e.type === 'StepAnswered' && e.data.step === 'FEE_RECONCILIATION');
    expect(answered).toMatchObject({ data: { status: 'SUCCEEDED', result: { kind: 'fee-totals', policy } } });
    const state = events.reduce(sagaDecider.evolve, sagaDecider.initialState());
    expect(state.saga?.policyAmounts).toEqual(policy);
  });

  it('an answer without them (an older fee-detail) leaves them unknown', () => {
    const events = run(visit, settle(request, noAudit), feeTotals(true));
    const state = events.reduce(sagaDecider.evolve, sagaDecider.initialState());
    expect(state.saga?.policyAmounts).toBeNull();
  });
});

describe('pre-settlement confirmation (a cashier confirms 2303’s split)', () => {
  const confirming = { ...noAudit, confirmation_required: true, confirmation_timeout_ms: 1_800_000 };
  const preSettled = run(visit, settle(request, confirming), feeTotals(true), platform('2303', 'SUCCEEDED'));
  const decide_ = (
    decision: 'CONFIRM' | 'CANCEL',
    extra: Partial<Extract<SagaCommand, { type: 'DecideConfirmation' }>['confirmation']> = {},
  ): SagaCommand => ({
    type: 'DecideConfirmation',
    confirmation: { saga_id: SAGA, decision, by: 'cashier1', request: 'ConfirmPreSettlement', ...extra },
    ...at,
  });

  it('after 2303 the saga waits in AWAITING_CONFIRMATION with the split, until the deadline; no 2402 yet', () => {
    const last = preSettled[preSettled.length - 1]!;
    expect(last).toMatchObject({
      type: 'ConfirmationRequested',
      data: {
        step: 'CONFIRMATION',
        deadline: '2024-05-08T02:30:00.000Z',
        detail: expect.stringContaining('基金 66.35，个人账户 20.25，现金 0.00，医院负担 0.00'),
      },
    });
    const state = stateOf(preSettled);
    expect(state.saga).toMatchObject({ status: 'AWAITING_CONFIRMATION', pending: { kind: 'confirmation' } });
    expect(preSettled.some((e) => e.type === 'StepStarted' && e.data.step === 'DISCHARGE')).toBe(false);
  });

  it('a confirmation goes on to 2402 (and then 2304), recording who confirmed', () => {
    const events = decide(preSettled, decide_('CONFIRM'));
    expect(events).toMatchObject([
      {
        type: 'StepAnswered',
        data: {
          step: 'CONFIRMATION',
          status: 'SUCCEEDED',
          result: { kind: 'confirmation', decision: 'CONFIRM', acct_used_flag: '1', by: 'cashier1' },
        },
      },
      { type: 'StepStarted', data: { step: 'DISCHARGE', command: { type: 'DischargePatient' } } },
    ]);
  });

  it('another acct_used_flag runs 2303 again with it and asks again; what is settled is what was confirmed', () => {
    const changed = run(preSettled, decide_('CONFIRM', { acct_used_flag: '0' }));
    expect(changed[changed.length - 1]).toMatchObject({
      type: 'StepStarted',
      data: { step: 'PRE_SETTLEMENT', attempt: 2, infno: '2303' },
    });
    expect(stateOf(changed).saga).toMatchObject({ acct_used_flag: '0', confirmed: false });
    const again = run(changed, platform('2303', 'SUCCEEDED', MSGID_2));
    expect(again[again.length - 1]).toMatchObject({ type: 'ConfirmationRequested' });
    const confirmed = run(again, decide_('CONFIRM', { acct_used_flag: '0' }));
    expect(confirmed[confirmed.length - 1]).toMatchObject({
      type: 'StepStarted',
      data: { step: 'DISCHARGE' },
    });
  });

  it('a cancel stops the saga before anything is applied on the platform', () => {
    expect(decide(preSettled, decide_('CANCEL', { comment: '患者要求核对费用' }))).toMatchObject([
      { type: 'StepAnswered', data: { step: 'CONFIRMATION', status: 'REJECTED' } },
      {
        type: 'SagaEnded',
        data: {
          state: 'CANCELLED',
          step: 'CONFIRMATION',
          reason: '收费员 cashier1 取消结算 (预结算后，平台未结算): 患者要求核对费用',
          needs_person: false,
        },
      },
    ]);
  });

  it('a timeout is a failure a person sees (needs_person), never a silent 2304', () => {
    expect(decide(preSettled, timeOut('2024-05-08T02:29:59.999Z'))).toEqual([]);
    const events = decide(preSettled, timeOut('2024-05-08T02:30:00.000Z'));
    expect(events).toMatchObject([
      { type: 'StepAnswered', data: { step: 'CONFIRMATION', status: 'TIMED_OUT' } },
      { type: 'SagaEnded', data: { state: 'FAILED', step: 'CONFIRMATION', needs_person: true } },
    ]);
    expect(events.some((e) => e.type === 'StepStarted')).toBe(false);
  });

  it('a decision for another saga, or when none waits, is refused with the reason', () => {
    expect(decide(preSettled, decide_('CONFIRM', { saga_id: 'setl-OTHER-1' }))).toMatchObject([
      { type: 'RequestRefused', data: { request: 'ConfirmPreSettlement', saga_id: SAGA } },
    ]);
    expect(
      decide(settled, decide_('CONFIRM', { saga_id: undefined, request: 'PreSettlementConfirmed' })),
    ).toMatchObject([
      {
        type: 'RequestRefused',
        data: { request: 'PreSettlementConfirmed', reason: expect.stringContaining('没有等待确认的预结算') },
      },
    ]);
  });

  it('the HIS may confirm without naming the saga: the waiting one is confirmed', () => {
    const events = decide(
      preSettled,
      decide_('CONFIRM', { saga_id: undefined, request: 'PreSettlementConfirmed', by: 'SF001' }),
    );
    expect(events[0]).toMatchObject({ data: { result: { by: 'SF001', request: 'PreSettlementConfirmed' } } });
  });

  it('a settlement request while the split waits is refused: one saga at a time', () => {
    expect(decide(preSettled, settle(request, confirming))).toMatchObject([
      { type: 'RequestRefused', data: { request: 'SettlementRequested' } },
    ]);
  });
});

describe('a settlement reversed in our books by the billing office (本地冲销, reconciliation)', () => {
  const zhangli = { username: 'zhangli', role: 'operator' as const };
  const reverse = (setl_id = 'S1', refd_setl_flag: '0' | '1' = '0'): SagaCommand => ({
    type: 'RecordLocalReversal',
    reversal: {
      setl_id,
      stmt_date: '2024-05-08',
      refd_setl_flag,
      reason: '中心窗口已撤销该结算',
      reversed_by: zhangli,
    },
    ...at,
  });
  const reversedS1 = (saga_id: string, seq: number, mid_setl_flag: string): SagaEvent => ({
    type: 'SettlementReversedLocally',
    data: {
      saga_id,
      seq,
      step: 'LOCAL_REVERSAL',
      attempt: 1,
      detail: '本地冲销 S1 by zhangli (operator), 对账 2024-05-08: 中心窗口已撤销该结算',
      setl_id: 'S1',
      mid_setl_flag,
      stmt_date: '2024-05-08',
      reason: '中心窗口已撤销该结算',
      reversed_by: zhangli,
      reversed_at: NOW,
    },
  });
  const settledSeq = stateOf(settled).saga!.seq;
  /** A mid-way settlement S1 (saga 1), then the discharge settlement S2 (saga 2). */
  const midWayThenFinal = run(
    visit,
    settle(midWay, noAudit),
    feeTotals(true),
    platform('2303', 'SUCCEEDED'),
    platform('2304', 'SUCCEEDED', MSGID_2),
    { ...settle(request, noAudit), id: 'final' },
    feeTotals(true, 'final'),
    platform('2303', 'SUCCEEDED'),
    admission({ kind: 'DISCHARGED', msgid: MSGID_2 }),
    platform('2304', 'SUCCEEDED', MSGID_2, { setl_id: 'S2' }),
  );

  it('the settled saga leaves SETTLED for REVERSED_LOCALLY, with who and why; the visit may be settled again', () => {
    spec()
      .given(settled)
      .when(reverse())
      .then([reversedS1(SAGA, settledSeq + 1, '0')]);
    const reversed = [...settled, reversedS1(SAGA, settledSeq + 1, '0')];
    expect(stateOf(reversed).saga).toMatchObject({ saga_id: SAGA, status: 'REVERSED_LOCALLY' });
    // Before the reversal the discharge settlement stands and a new one is refused; after it, a new saga starts.
    expect(decide(settled, settle())).toMatchObject([
      { type: 'RequestRefused', data: { reason: expect.stringMatching(/已出院结算/) } },
    ]);
    expect(decide(reversed, settle())[0]).toMatchObject({
      type: 'SagaStarted',
      data: { saga_id: `setl-${IPT}-2`, kind: 'SETTLE', mid_setl_flag: '0' },
    });
    // Nothing stands to cancel (2305) any more.
    expect(decide(reversed, cancel())).toMatchObject([
      { type: 'RequestRefused', data: { reason: expect.stringMatching(/no standing/) } },
    ]);
  });

  it('the same reversal again (a redelivery, or reconciliation publishing it again) is nothing new', () => {
    spec()
      .given([...settled, reversedS1(SAGA, settledSeq + 1, '0')])
      .when(reverse())
      .then([]);
  });

  it("a mid-way settlement's reversal moves its own saga; the discharge settlement after it stands", () => {
    const midWaySeq = stateOf(midWayThenFinal).settlements[0]!.seq;
    spec()
      .given(midWayThenFinal)
      .when(reverse('S1'))
      .then([reversedS1(SAGA, midWaySeq + 1, '1')]);
    const state = stateOf([...midWayThenFinal, reversedS1(SAGA, midWaySeq + 1, '1')]);
    expect(state.saga).toMatchObject({ saga_id: `setl-${IPT}-2`, status: 'SETTLED' });
    expect(state.settlements.map((s) => [s.setl_id, s.reversed_locally])).toEqual([
      ['S1', true],
      ['S2', false],
    ]);
  });

  it('refuses, with the reason, a settlement the saga does not hold: none of the visit, or a refund row', () => {
    expect(decide(settled, reverse('S9'))).toEqual([
      {
        type: 'RequestRefused',
        data: {
          request: 'SettlementReversedLocally',
          reason: '本地冲销 not taken: no settlement of this visit has setl_id S9',
          saga_id: SAGA,
        },
      },
    ]);
    expect(decide(settled, reverse('R1', '1'))).toMatchObject([
      { type: 'RequestRefused', data: { reason: expect.stringMatching(/a refund \(2305, setl_id R1\)/) } },
    ]);
    // A visit whose saga failed holds no settlement at all.
    const failed = run(preSettling, platform('2303', 'REJECTED'));
    expect(decide(failed, reverse())).toMatchObject([
      { type: 'RequestRefused', data: { reason: expect.stringMatching(/no settlement/), saga_id: SAGA } },
    ]);
  });

  it('refuses a settlement already cancelled (2305): its saga is not SETTLED', () => {
    const cancelled = run(settled, cancel(false), platform('2305', 'SUCCEEDED', MSGID, { setl_id: 'S2' }));
    expect(decide(cancelled, reverse())).toEqual([
      {
        type: 'RequestRefused',
        data: {
          request: 'SettlementReversedLocally',
          reason: '本地冲销 not taken: settlement S1 was already cancelled (2305), it is not SETTLED',
          saga_id: SAGA,
        },
      },
    ]);
  });

  it('waits its turn behind a running saga, then is decided as the visit stands (here: cancelled meanwhile)', () => {
    const cause = { id: 'recon-message', correlationId: 'recon-correlation' };
    const queuedReversal = decide(cancelling, { ...reverse(), cause } as SagaCommand);
    expect(queuedReversal).toMatchObject([
      {
        type: 'RequestQueued',
        data: { item: { kind: 'reverse', reversal: { setl_id: 'S1' }, cause }, behind: expect.any(String) },
      },
    ]);
    const cancelledThen = run(
      [...cancelling, ...queuedReversal],
      platform('2305', 'SUCCEEDED', MSGID, { setl_id: 'S2' }),
      admission({ kind: 'DISCHARGE_UNDONE', msgid: MSGID_2 }),
    );
    expect(decide(cancelledThen, { type: 'TakeQueuedRequest', ...at })).toMatchObject([
      { type: 'QueuedRequestTaken', data: { cause } },
      { type: 'RequestRefused', data: { reason: expect.stringMatching(/already cancelled/) } },
    ]);
    // One already taken is nothing new even while a saga runs: nothing is queued.
    const settling2 = run([...settled, reversedS1(SAGA, settledSeq + 1, '0')], settle());
    expect(decide(settling2, reverse())).toEqual([]);
  });
});

// The progress that says the state a saga is left in comes before the results that refine it, on the same
// partition: the dashboard's saga row takes a failure's step and reason from the SettlementFailed after it.
// A reader waiting for a result must wait past that progress (the settlement tests do).
describe('the messages of a decision (outbound/saga-results): the saga’s state, then the results behind it', () => {
  const topics: SettlementTopics = {
    hisInpatient: 'his.inpatient',
    insuranceInpatient: 'insurance.inpatient',
    ownCommands: 'insurance.commands.settlement',
    reconciliation: 'insurance.reconciliation',
    commands: {
      'fee-detail': 'insurance.commands.fee-detail',
      quality: 'insurance.commands.quality',
      admission: 'insurance.commands.admission',
    },
  };
  /** What a reader of insurance.inpatient is given, in order: each message's type, and a progress's saga_state. */
  const told = (given: SagaEvent[], command: SagaCommand) => {
    const events = decide(given, command);
    return sagaMessages(topics, IPT, events, stateOf([...given, ...events]), undefined)
      .filter((m) => m.topic === topics.insuranceInpatient)
      .map((m) => JSON.parse(m.payload) as { type: string; data: { saga_state?: string } })
      .map(({ type, data }) => (data.saga_state ? `${type} ${data.saga_state}` : type));
  };

  it('SETTLED, then the settlement', () => {
    expect(told(settling, platform('2304', 'SUCCEEDED', MSGID_2))).toEqual([
      'SettlementSagaProgressed SETTLED',
      'Settled',
    ]);
  });

  it('FAILED, then the compensation and the failure with its step and reason', () => {
    expect(told(undoing, admission({ kind: 'DISCHARGE_UNDONE', msgid: MSGID_2 }))).toEqual([
      'SettlementSagaProgressed FAILED',
      'SettlementCompensated',
      'SettlementFailed',
    ]);
  });

  it('a step on the way: its result, then the progress of the next step, still RUNNING', () => {
    expect(told(preSettling, platform('2303', 'SUCCEEDED'))).toEqual([
      'SettlementSagaProgressed RUNNING',
      'PreSettled',
      'SettlementSagaProgressed RUNNING',
    ]);
  });
});
