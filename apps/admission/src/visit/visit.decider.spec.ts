import { DischargePatientV1, PatientAdmittedV1, type AdmissionRefusalCode } from '@yb/contracts';
import { DeciderSpecification } from '@yb/event-store';
import { type Output1101, type Output2001 } from '@yb/platform-client';
import {
  type AdmissionData,
  type DischargeData,
  type ReversalAnswer,
  type VisitCommand,
} from './visit.commands';
import { QueryUnansweredError, RequestOutstandingError, visitDecider } from './visit.decider';
import { type VisitEvent } from './visit.events';

const spec = () => DeciderSpecification.for(visitDecider);
const MSGID = 'H42010200123202405010900000001';
const REVERSAL_MSGID = 'H42010200123202405010901000002';

const admission: AdmissionData = {
  ...(PatientAdmittedV1.example as AdmissionData),
  psn_no: 'P1',
  insuplc_admdvs: '420100',
  mdtrt_cert_type: '02',
  mdtrt_cert_no: 'C1',
};
const certificateOnly: AdmissionData = { ...admission, psn_no: undefined, insuplc_admdvs: undefined };
const discharge = DischargePatientV1.example as DischargeData;

const received: VisitEvent = { type: 'AdmissionReceived', data: { admission } };
const registerQueued: VisitEvent = {
  type: 'RequestQueued',
  data: { request: { kind: 'register', infno: '2401' } },
};
const registered: VisitEvent[] = [
  received,
  registerQueued,
  { type: 'Registered', data: { msgid: MSGID, mdtrt_id: 'M1' } },
];
const discharged: VisitEvent[] = [
  ...registered,
  { type: 'RequestQueued', data: { request: { kind: 'discharge', infno: '2402', discharge } } },
  { type: 'Discharged', data: { msgid: MSGID, endtime: discharge.endtime } },
];
const refused =
  (request: string, infno: string, code: AdmissionRefusalCode, reason: RegExp | string) =>
  (events: VisitEvent[]) => {
    expect(events).toEqual([
      { type: 'RequestRefused', data: { request, infno, code, reason: expect.stringMatching(reason) } },
    ]);
  };
function then(events: VisitEvent[], check: (e: VisitEvent[]) => void): void {
  check(events);
}
const decide = (given: VisitEvent[], command: Parameters<typeof visitDecider.decide>[0]) =>
  visitDecider.decide(command, given.reduce(visitDecider.evolve, visitDecider.initialState()));

describe('visit decider', () => {
  describe('admission', () => {
    it('queues 2401 directly when the HIS names the person and the insurance area', () => {
      spec().given([]).when({ type: 'AdmitPatient', admission }).then([received, registerQueued]);
    });

    it("a request carries the message it answers: the command's, then, for requests an answer queues, the same", () => {
      const cause = { id: 'HIS-MSG-1', correlationId: 'EPISODE-1' };
      spec()
        .given([])
        .when({ type: 'AdmitPatient', admission: certificateOnly, cause })
        .then([
          { type: 'AdmissionReceived', data: { admission: certificateOnly } },
          { type: 'RequestQueued', data: { request: { kind: 'identify', infno: '1101' }, cause } },
        ]);
      const identifying: VisitEvent[] = [
        { type: 'AdmissionReceived', data: { admission: certificateOnly } },
        { type: 'RequestQueued', data: { request: { kind: 'identify', infno: '1101' }, cause } },
      ];
      const identified = decide(identifying, {
        type: 'RecordPlatformAnswer',
        answer: {
          infno: '1101',
          msgid: MSGID,
          status: 'SUCCEEDED',
          output: {
            baseinfo: { psn_no: 'P9' },
            insuinfo: [{ insutype: '310', insuplc_admdvs: '420100', psn_insu_stas: '1' }],
          },
        },
      });
      expect(identified.find((e) => e.type === 'RequestQueued')).toEqual({
        type: 'RequestQueued',
        data: { request: { kind: 'register', infno: '2401' }, cause },
      });
    });

    it('asks 1101 first when the HIS sent only a certificate', () => {
      spec()
        .given([])
        .when({ type: 'AdmitPatient', admission: certificateOnly })
        .then([
          { type: 'AdmissionReceived', data: { admission: certificateOnly } },
          { type: 'RequestQueued', data: { request: { kind: 'identify', infno: '1101' } } },
        ]);
    });

    it('takes psn_no and insuplc_admdvs of the insurance of the admission from 1101, then queues 2401', () => {
      spec()
        .given([
          { type: 'AdmissionReceived', data: { admission: certificateOnly } },
          { type: 'RequestQueued', data: { request: { kind: 'identify', infno: '1101' } } },
        ])
        .when({
          type: 'RecordPlatformAnswer',
          answer: {
            infno: '1101',
            msgid: MSGID,
            status: 'SUCCEEDED',
            output: {
              baseinfo: { psn_no: 'P9' },
              insuinfo: [
                { insutype: '390', insuplc_admdvs: '420500', psn_insu_stas: '1' },
                { insutype: '310', insuplc_admdvs: '420100', psn_insu_stas: '1' },
              ],
            },
          },
        })
        .then([
          {
            type: 'PersonIdentified',
            data: { msgid: MSGID, psn_no: 'P9', insutype: '310', insuplc_admdvs: '420100' },
          },
          registerQueued,
        ]);
    });

    it('refuses when 1101 finds no insurance of the admission insutype', () => {
      then(
        decide(
          [
            { type: 'AdmissionReceived', data: { admission: certificateOnly } },
            { type: 'RequestQueued', data: { request: { kind: 'identify', infno: '1101' } } },
          ],
          {
            type: 'RecordPlatformAnswer',
            answer: {
              infno: '1101',
              msgid: MSGID,
              status: 'SUCCEEDED',
              output: {
                baseinfo: { psn_no: 'P9' },
                insuinfo: [{ insutype: '390', insuplc_admdvs: '420500', psn_insu_stas: '1' }],
              },
            },
          },
        ),
        refused('PatientAdmitted', '1101', 'NOT_INSURED', /no insurance of insutype 310 \(holds: 390\)/),
      );
    });

    it('retries a 1101 that got no answer (a query changes nothing)', () => {
      spec()
        .given([
          { type: 'AdmissionReceived', data: { admission: certificateOnly } },
          { type: 'RequestQueued', data: { request: { kind: 'identify', infno: '1101' } } },
        ])
        .when({
          type: 'RecordPlatformAnswer',
          answer: { infno: '1101', msgid: MSGID, status: 'UNKNOWN', reason: 'timeout' },
        })
        .thenThrows(QueryUnansweredError);
    });

    it('records the registration and its mdtrt_id', () => {
      spec()
        .given([received, registerQueued])
        .when({
          type: 'RecordPlatformAnswer',
          answer: {
            infno: '2401',
            msgid: MSGID,
            status: 'SUCCEEDED',
            output: { result: { mdtrt_id: 'M1' } },
          },
        })
        .then([{ type: 'Registered', data: { msgid: MSGID, mdtrt_id: 'M1' } }]);
    });

    it("records the platform's refusal of 2401, after which the HIS may admit again", () => {
      const refusal: VisitEvent = {
        type: 'PlatformRefused',
        data: { infno: '2401', msgid: MSGID, infcode: -1, err_msg: '存在未结算的住院登记' },
      };
      spec()
        .given([received, registerQueued])
        .when({
          type: 'RecordPlatformAnswer',
          answer: {
            infno: '2401',
            msgid: MSGID,
            status: 'REJECTED',
            infcode: -1,
            err_msg: '存在未结算的住院登记',
          },
        })
        .then([refusal]);
      spec()
        .given([received, registerQueued, refusal])
        .when({ type: 'AdmitPatient', admission })
        .then([received, registerQueued]);
    });

    it('refuses a second admission of a registered visit', () => {
      then(
        decide(registered, { type: 'AdmitPatient', admission }),
        refused('PatientAdmitted', '2401', 'ALREADY_REGISTERED', /already registered/),
      );
    });
  });

  describe('an answer the platform applied but we cannot read', () => {
    const unreadable = (infno: string) => ({
      type: 'RecordPlatformAnswer' as const,
      answer: {
        infno,
        msgid: MSGID,
        status: 'APPLIED_UNREADABLE' as const,
        missing: ['result.mdtrt_id is required'],
      },
    });
    it('leaves a 2401 without mdtrt_id to a person: registered on the platform, never sent again nor reversed', () => {
      spec()
        .given([received, registerQueued])
        .when(unreadable('2401'))
        .then([
          {
            type: 'AnswerUnreadable',
            data: { infno: '2401', msgid: MSGID, missing: ['result.mdtrt_id is required'] },
          },
        ]);
      const stopped = [received, registerQueued, ...decide([received, registerQueued], unreadable('2401'))];
      then(
        decide(stopped, { type: 'AdmitPatient', admission }),
        refused('PatientAdmitted', '2401', 'REGISTRATION_UNCERTAIN', /uncertain/),
      );
    });
    it('takes a 2402 with an unreadable answer as applied: the discharge stands', () => {
      const dischargeQueued: VisitEvent = {
        type: 'RequestQueued',
        data: { request: { kind: 'discharge', infno: '2402', discharge } },
      };
      spec()
        .given([...registered, dischargeQueued])
        .when(unreadable('2402'))
        .then([{ type: 'Discharged', data: { msgid: MSGID, endtime: discharge.endtime } }]);
    });
  });

  describe('a 2401 whose outcome is unknown', () => {
    const unknown: VisitEvent[] = [
      received,
      registerQueued,
      { type: 'RegistrationOutcomeUnknown', data: { msgid: MSGID, reason: 'timeout' } },
      {
        type: 'RequestQueued',
        data: { request: { kind: 'reverse-registration', infno: '2601', omsgid: MSGID, reason: 'timeout' } },
      },
    ];

    it('is reversed with 2601 before anything else', () => {
      spec()
        .given([received, registerQueued])
        .when({
          type: 'RecordPlatformAnswer',
          answer: { infno: '2401', msgid: MSGID, status: 'UNKNOWN', reason: 'timeout' },
        })
        .then(unknown.slice(2));
    });

    it('is sent again (a new msgid) only once 2601 reversed it', () => {
      spec()
        .given(unknown)
        .when({
          type: 'RecordReversal',
          reversal: {
            omsgid: MSGID,
            reversal_msgid: REVERSAL_MSGID,
            status: 'REVERSED',
            verdict: 'not-applied',
          },
        })
        .then([
          {
            type: 'RegistrationReversed',
            data: { omsgid: MSGID, reversal_msgid: REVERSAL_MSGID, reason: 'timeout' },
          },
          registerQueued,
        ]);
    });

    it('sends 2401 again when 2601 is refused because the platform never received the 2401 (nothing applied)', () => {
      spec()
        .given(unknown)
        .when({
          type: 'RecordReversal',
          reversal: {
            omsgid: MSGID,
            reversal_msgid: REVERSAL_MSGID,
            status: 'REVERSAL_REFUSED',
            err_msg: '冲正失败：未找到原交易报文ID的交易记录',
            refusal: 'original-never-received',
            verdict: 'not-applied',
          },
        })
        .then([
          {
            type: 'RegistrationNotApplied',
            data: { omsgid: MSGID, reason: 'timeout; 2601 refused: 冲正失败：未找到原交易报文ID的交易记录' },
          },
          registerQueued,
        ]);
    });

    it('leaves the registration uncertain, for a person, when 2601 is refused for another reason', () => {
      const refusedOtherwise: VisitCommand = {
        type: 'RecordReversal',
        reversal: {
          omsgid: MSGID,
          reversal_msgid: REVERSAL_MSGID,
          status: 'REVERSAL_REFUSED',
          err_msg: '人员编号与原交易人员编号不一致',
          refusal: 'other',
          verdict: 'needs-person',
        },
      };
      spec()
        .given(unknown)
        .when(refusedOtherwise)
        .then([
          {
            type: 'RegistrationUncertain',
            data: {
              msgid: MSGID,
              reason: '2401 outcome unknown (timeout); 2601 refused: 人员编号与原交易人员编号不一致',
            },
          },
        ]);
      const uncertain = [...unknown, ...decide(unknown, refusedOtherwise)];
      then(
        decide(uncertain, { type: 'AdmitPatient', admission }),
        refused('PatientAdmitted', '2401', 'REGISTRATION_UNCERTAIN', /uncertain/),
      );
      then(
        decide(uncertain, { type: 'Discharge', discharge }),
        refused('DischargePatient', '2402', 'REGISTRATION_UNCERTAIN', /uncertain/),
      );
    });

    it('asks 2601 again when it got no answer either: silence is not an answer, never a person', () => {
      const unanswered: ReversalAnswer = {
        omsgid: MSGID,
        reversal_msgid: REVERSAL_MSGID,
        status: 'UNKNOWN',
        verdict: 'unanswered',
      };
      spec()
        .given(unknown)
        .when({ type: 'RecordReversal', reversal: unanswered })
        .then([{ type: 'ReversalUnanswered', data: { omsgid: MSGID, reason: 'timeout' } }, unknown[3]]);
      // Unanswered twice, then the platform is back and says it never received the 2401: registered after all.
      const twice = [...unknown, ...decide(unknown, { type: 'RecordReversal', reversal: unanswered })];
      const thrice = [...twice, ...decide(twice, { type: 'RecordReversal', reversal: unanswered })];
      const neverReceived = decide(thrice, {
        type: 'RecordReversal',
        reversal: {
          omsgid: MSGID,
          reversal_msgid: `${REVERSAL_MSGID}3`,
          status: 'REVERSAL_REFUSED',
          err_msg: '未找到原交易',
          refusal: 'original-never-received',
          verdict: 'not-applied',
        },
      });
      expect(neverReceived.map((e) => e.type)).toEqual(['RegistrationNotApplied', 'RequestQueued']);
      const resent = [...thrice, ...neverReceived];
      spec()
        .given(resent)
        .when({
          type: 'RecordPlatformAnswer',
          answer: {
            infno: '2401',
            msgid: `${MSGID}9`,
            status: 'SUCCEEDED',
            output: { result: { mdtrt_id: 'M9' } },
          },
        })
        .then([{ type: 'Registered', data: { msgid: `${MSGID}9`, mdtrt_id: 'M9' } }]);
    });

    it('sends 2401 again after every answer that says the previous one was not applied (no cap: only the platform decides)', () => {
      const reversed = (n: number): VisitEvent[] => [
        { type: 'RegistrationOutcomeUnknown', data: { msgid: `${MSGID}${n}`, reason: 'timeout' } },
        {
          type: 'RegistrationReversed',
          data: { omsgid: `${MSGID}${n}`, reversal_msgid: REVERSAL_MSGID, reason: 'timeout' },
        },
        registerQueued,
      ];
      const given = [
        received,
        registerQueued,
        ...reversed(1),
        ...reversed(2),
        ...reversed(3),
        ...unknown.slice(2),
      ];
      const events = decide(given, {
        type: 'RecordReversal',
        reversal: {
          omsgid: MSGID,
          reversal_msgid: REVERSAL_MSGID,
          status: 'REVERSED',
          verdict: 'not-applied',
        },
      });
      expect(events.map((e) => e.type)).toEqual(['RegistrationReversed', 'RequestQueued']);
    });
  });

  describe('before registration', () => {
    const requests: [VisitCommand, string, string][] = [
      [{ type: 'ChangeAdmission', admission } as const, 'AdmissionChanged', '2403'],
      [{ type: 'CancelAdmission', reason: 'x' } as const, 'AdmissionCancelled', '2404'],
      [{ type: 'Discharge', discharge } as const, 'DischargePatient', '2402'],
      [{ type: 'UndoDischarge', reason: 'x' } as const, 'UndoDischarge', '2405'],
      [
        {
          type: 'RecordSpecialAttribute',
          attribute: { ipt_no: 'Z', ipt_psn_sp_flag_type: '01', ipt_psn_sp_flag: '1' },
        } as const,
        'SpecialAttributeRecorded',
        '2406',
      ],
      [{ type: 'QuerySpecialAttributes' } as const, 'QuerySpecialAttributes', '2407'],
    ];
    it.each(requests.map(([command, request, infno]) => [request, command, infno] as const))(
      'refuses %s; while the 2401 is unanswered, it waits for the answer',
      (request, command, infno) => {
        then(decide([], command), refused(request, infno, 'NOT_REGISTERED', /not registered/));
        expect(() => decide([received, registerQueued], command)).toThrow(
          new RequestOutstandingError(`${request} waits: the visit's 2401 is not answered yet`),
        );
      },
    );
  });

  describe('one request at a time, in message order', () => {
    it("holds a message's request back while the visit's previous one is unanswered, deciding nothing", () => {
      const changeQueued: VisitEvent = {
        type: 'RequestQueued',
        data: { request: { kind: 'change', infno: '2403', admission } },
      };
      expect(() => decide([...registered, changeQueued], { type: 'Discharge', discharge })).toThrow(
        RequestOutstandingError,
      );
      expect(() => decide([received, registerQueued], { type: 'AdmitPatient', admission })).toThrow(
        /PatientAdmitted waits: the visit's 2401 is not answered yet/,
      );
    });

    it("records the platform's answer and fee-detail's notes while a request is pending", () => {
      spec()
        .given([received, registerQueued])
        .when({ type: 'NoteFeeLinesUploaded', feedetl_sns: ['F1'] })
        .then([{ type: 'FeeLinesNoted', data: { uploaded: ['F1'], revoked: [] } }]);
    });
  });

  describe('registered visit', () => {
    it('queues 2403 with the new admission data, and records it', () => {
      const changed = { ...admission, adm_bed: '15床' };
      const queued: VisitEvent = {
        type: 'RequestQueued',
        data: { request: { kind: 'change', infno: '2403', admission: changed } },
      };
      spec().given(registered).when({ type: 'ChangeAdmission', admission: changed }).then([queued]);
      spec()
        .given([...registered, queued])
        .when({
          type: 'RecordPlatformAnswer',
          answer: { infno: '2403', msgid: MSGID, status: 'SUCCEEDED', output: {} },
        })
        .then([{ type: 'Changed', data: { msgid: MSGID, admission: changed } }]);
    });

    it('sends a 2403 of unknown outcome again until the platform answers (it only sets values): no person', () => {
      const changed = { ...admission, adm_bed: '15床' };
      const queued: VisitEvent = {
        type: 'RequestQueued',
        data: { request: { kind: 'change', infno: '2403', admission: changed } },
      };
      const unanswered = (msgid: string): VisitCommand => ({
        type: 'RecordPlatformAnswer',
        answer: { infno: '2403', msgid, status: 'UNKNOWN', reason: 'HTTP 502' },
      });
      spec()
        .given([...registered, queued])
        .when(unanswered(MSGID))
        .then([{ type: 'ChangeOutcomeUnknown', data: { msgid: MSGID, reason: 'HTTP 502' } }, queued]);
      const twice = [...registered, queued, ...decide([...registered, queued], unanswered(MSGID))];
      const thrice = [...twice, ...decide(twice, unanswered(REVERSAL_MSGID))];
      spec()
        .given(thrice)
        .when({
          type: 'RecordPlatformAnswer',
          answer: { infno: '2403', msgid: 'M3', status: 'SUCCEEDED', output: {} },
        })
        .then([{ type: 'Changed', data: { msgid: 'M3', admission: changed } }]);
    });

    it('refuses a change of person', () => {
      then(
        decide(registered, { type: 'ChangeAdmission', admission: { ...admission, psn_no: 'P2' } }),
        refused('AdmissionChanged', '2403', 'OTHER_PERSON', /psn_no differs/),
      );
    });

    it('refuses 2404 while fee lines remain on the platform, and allows it once they are revoked', () => {
      const uploaded: VisitEvent = { type: 'FeeLinesNoted', data: { uploaded: ['F1', 'F2'], revoked: [] } };
      spec()
        .given(registered)
        .when({ type: 'NoteFeeLinesUploaded', feedetl_sns: ['F1', 'F2'] })
        .then([uploaded]);
      then(
        decide([...registered, uploaded], { type: 'CancelAdmission', reason: '误登记' }),
        refused(
          'AdmissionCancelled',
          '2404',
          'FEE_LINES_ON_PLATFORM',
          /^2 fee line\(s\) are still on the platform/,
        ),
      );
      const revokedAll: VisitEvent = { type: 'FeeLinesNoted', data: { uploaded: [], revoked: ['0000'] } };
      spec()
        .given([...registered, uploaded, revokedAll])
        .when({ type: 'CancelAdmission', reason: '误登记' })
        .then([
          { type: 'RequestQueued', data: { request: { kind: 'cancel', infno: '2404', reason: '误登记' } } },
        ]);
    });

    it("records the platform's refusal of 2404 and keeps the visit registered", () => {
      const given: VisitEvent[] = [
        ...registered,
        { type: 'RequestQueued', data: { request: { kind: 'cancel', infno: '2404', reason: 'x' } } },
      ];
      const events = decide(given, {
        type: 'RecordPlatformAnswer',
        answer: {
          infno: '2404',
          msgid: MSGID,
          status: 'REJECTED',
          infcode: -1,
          err_msg: '存在未撤销的费用明细',
        },
      });
      expect(events).toEqual([
        {
          type: 'PlatformRefused',
          data: { infno: '2404', msgid: MSGID, infcode: -1, err_msg: '存在未撤销的费用明细' },
        },
      ]);
      then(decide([...given, ...events], { type: 'Discharge', discharge }), (e) =>
        expect(e[0]!.type).toBe('RequestQueued'),
      );
    });

    it('refuses 2404 of a discharged visit', () => {
      then(
        decide(discharged, { type: 'CancelAdmission', reason: 'x' }),
        refused('AdmissionCancelled', '2404', 'DISCHARGED', /undo the discharge/),
      );
    });

    it('refuses 2402 twice', () => {
      then(
        decide(discharged, { type: 'Discharge', discharge }),
        refused('DischargePatient', '2402', 'ALREADY_DISCHARGED', /already registered/),
      );
    });

    it('refuses 2405 without 2402, and undoes a discharge', () => {
      then(
        decide(registered, { type: 'UndoDischarge', reason: 'x' }),
        refused('UndoDischarge', '2405', 'NOT_DISCHARGED', /not discharged/),
      );
      const queued: VisitEvent = {
        type: 'RequestQueued',
        data: { request: { kind: 'undo-discharge', infno: '2405', reason: 'x' } },
      };
      spec().given(discharged).when({ type: 'UndoDischarge', reason: 'x' }).then([queued]);
      spec()
        .given([...discharged, queued])
        .when({
          type: 'RecordPlatformAnswer',
          answer: { infno: '2405', msgid: MSGID, status: 'SUCCEEDED', output: null },
        })
        .then([{ type: 'DischargeUndone', data: { msgid: MSGID } }]);
    });

    const dischargeQueued: VisitEvent = {
      type: 'RequestQueued',
      data: { request: { kind: 'discharge', infno: '2402', discharge } },
    };
    const dischargeUnknown: VisitEvent[] = [
      ...registered,
      dischargeQueued,
      { type: 'DischargeOutcomeUnknown', data: { msgid: MSGID, reason: 'HTTP 502' } },
      dischargeQueued,
    ];

    it('sends a 2402 of unknown outcome again (2601 cannot reverse it)', () => {
      spec()
        .given([...registered, dischargeQueued])
        .when({
          type: 'RecordPlatformAnswer',
          answer: { infno: '2402', msgid: MSGID, status: 'UNKNOWN', reason: 'HTTP 502' },
        })
        .then([
          { type: 'DischargeOutcomeUnknown', data: { msgid: MSGID, reason: 'HTTP 502' } },
          dischargeQueued,
        ]);
    });

    it('takes the resend refused as already discharged as the first 2402 applied', () => {
      spec()
        .given(dischargeUnknown)
        .when({
          type: 'RecordPlatformAnswer',
          answer: {
            infno: '2402',
            msgid: REVERSAL_MSGID,
            status: 'REJECTED',
            infcode: -1,
            err_msg: '就诊ID[M1]已办理出院，不能重复办理出院',
            refusal: 'already-discharged',
          },
        })
        .then([{ type: 'Discharged', data: { msgid: MSGID, endtime: discharge.endtime } }]);
    });

    it('records a resend refused with no meaning read in platform/ as a refusal, whatever its words', () => {
      const answer = {
        infno: '2402',
        msgid: REVERSAL_MSGID,
        status: 'REJECTED',
        infcode: -1,
        err_msg: '就诊ID[M1]已办理出院',
      } as const;
      spec()
        .given(dischargeUnknown)
        .when({ type: 'RecordPlatformAnswer', answer })
        .then([
          {
            type: 'PlatformRefused',
            data: { infno: '2402', msgid: REVERSAL_MSGID, infcode: -1, err_msg: '就诊ID[M1]已办理出院' },
          },
        ]);
    });

    it('records the resend when it succeeds (the first never applied)', () => {
      spec()
        .given(dischargeUnknown)
        .when({
          type: 'RecordPlatformAnswer',
          answer: { infno: '2402', msgid: REVERSAL_MSGID, status: 'SUCCEEDED', output: null },
        })
        .then([{ type: 'Discharged', data: { msgid: REVERSAL_MSGID, endtime: discharge.endtime } }]);
    });

    it('sends a 2402 unanswered again and again, and records the first one when a resend is refused as discharged', () => {
      spec()
        .given(dischargeUnknown)
        .when({
          type: 'RecordPlatformAnswer',
          answer: { infno: '2402', msgid: REVERSAL_MSGID, status: 'UNKNOWN', reason: 'HTTP 502' },
        })
        .then([
          { type: 'DischargeOutcomeUnknown', data: { msgid: REVERSAL_MSGID, reason: 'HTTP 502' } },
          dischargeQueued,
        ]);
      const twice = [
        ...dischargeUnknown,
        {
          type: 'DischargeOutcomeUnknown',
          data: { msgid: REVERSAL_MSGID, reason: 'HTTP 502' },
        } as VisitEvent,
        dischargeQueued,
      ];
      spec()
        .given(twice)
        .when({
          type: 'RecordPlatformAnswer',
          answer: {
            infno: '2402',
            msgid: 'M3',
            status: 'REJECTED',
            infcode: -1,
            err_msg: '已办理出院',
            refusal: 'already-discharged',
          },
        })
        .then([{ type: 'Discharged', data: { msgid: MSGID, endtime: discharge.endtime } }]);
    });

    it('records a special attribute (2406) and the attributes the platform holds (2407)', () => {
      const attribute = { ipt_no: 'Z', ipt_psn_sp_flag_type: '01', ipt_psn_sp_flag: '1' };
      const queued: VisitEvent = {
        type: 'RequestQueued',
        data: { request: { kind: 'special-attribute', infno: '2406', attribute } },
      };
      spec().given(registered).when({ type: 'RecordSpecialAttribute', attribute }).then([queued]);
      spec()
        .given([...registered, queued])
        .when({
          type: 'RecordPlatformAnswer',
          answer: {
            infno: '2406',
            msgid: MSGID,
            status: 'SUCCEEDED',
            output: { data: { ipt_psn_sp_flag_detl_id: 'D1' } },
          },
        })
        .then([
          {
            type: 'SpecialAttributeRegistered',
            data: {
              msgid: MSGID,
              ipt_psn_sp_flag_detl_id: 'D1',
              ipt_psn_sp_flag_type: '01',
              ipt_psn_sp_flag: '1',
            },
          },
        ]);
      spec()
        .given([
          ...registered,
          { type: 'RequestQueued', data: { request: { kind: 'query-special-attributes', infno: '2407' } } },
        ])
        .when({
          type: 'RecordPlatformAnswer',
          answer: {
            infno: '2407',
            msgid: MSGID,
            status: 'SUCCEEDED',
            output: {
              IptPsnSpFlagReg: {
                data: [{ ipt_psn_sp_flag_detl_id: 'D1', ipt_psn_sp_flag_type: '01', ipt_psn_sp_flag: '1' }],
              },
            },
          },
        })
        .then([
          {
            type: 'SpecialAttributesQueried',
            data: {
              msgid: MSGID,
              attributes: [
                { ipt_psn_sp_flag_detl_id: 'D1', ipt_psn_sp_flag_type: '01', ipt_psn_sp_flag: '1' },
              ],
            },
          },
        ]);
    });

    it('refuses an answer nobody asked for', () => {
      spec()
        .given(registered)
        .when({
          type: 'RecordPlatformAnswer',
          answer: { infno: '2402', msgid: MSGID, status: 'SUCCEEDED', output: null },
        })
        .thenThrows(/no 2402 is pending/);
    });
  });

  describe('who the person is and what they may claim (1101, 2001)', () => {
    const identifyQueued: VisitEvent = {
      type: 'RequestQueued',
      data: { request: { kind: 'identify', infno: '1101' } },
    };
    const entitlementQueued: VisitEvent = {
      type: 'RequestQueued',
      data: { request: { kind: 'check-entitlement', infno: '2001' } },
    };
    const receivedChecking = (a: AdmissionData): VisitEvent => ({
      type: 'AdmissionReceived',
      data: { admission: a, entitlementCheck: true },
    });
    const identifying = [receivedChecking(certificateOnly), identifyQueued];
    const checking = [receivedChecking(admission), entitlementQueued];
    const answer1101 = (insuinfo: Output1101['insuinfo']): VisitCommand => ({
      type: 'RecordPlatformAnswer',
      answer: {
        infno: '1101',
        msgid: MSGID,
        status: 'SUCCEEDED',
        output: { baseinfo: { psn_no: 'P9' }, insuinfo },
      },
    });
    const answer2001 = (trtinfo: Output2001['trtinfo']): VisitCommand => ({
      type: 'RecordPlatformAnswer',
      answer: { infno: '2001', msgid: MSGID, status: 'SUCCEEDED', output: { trtinfo } },
    });
    const readmit: VisitCommand = { type: 'AdmitPatient', admission, entitlementCheck: true };

    it('queues 2001 before 2401 when the check is on and the HIS names the person', () => {
      spec()
        .given([])
        .when({ type: 'AdmitPatient', admission, entitlementCheck: true })
        .then([receivedChecking(admission), entitlementQueued]);
    });

    it('queues 2401 directly when the check is off', () => {
      spec()
        .given([])
        .when({ type: 'AdmitPatient', admission, entitlementCheck: false })
        .then([received, registerQueued]);
    });

    it('refuses to identify by a social security card (03) without its card_sn, before any call', () => {
      then(
        decide([], {
          type: 'AdmitPatient',
          admission: { ...certificateOnly, mdtrt_cert_type: '03', mdtrt_cert_no: 'H42010200001' },
        }),
        refused('PatientAdmitted', '1101', 'CERTIFICATE_INCOMPLETE', /card_sn .*social security card/),
      );
    });

    it('refuses a person whose insurance of the insutype is suspended (暂停参保), naming the status and date', () => {
      const given = identifying;
      const events = decide(
        given,
        answer1101([
          { insutype: '310', insuplc_admdvs: '420100', psn_insu_stas: '2', paus_insu_date: '2024-03-01' },
        ]),
      );
      refused(
        'PatientAdmitted',
        '1101',
        'INSURANCE_NOT_ACTIVE',
        /insutype 310 is 暂停参保 .*psn_insu_stas 2.* since 2024-03-01/,
      )(events);
      // Not registered: the HIS may admit the visit again once the insurance is restored.
      expect(decide([...given, ...events], readmit)[0]).toMatchObject({ type: 'AdmissionReceived' });
    });

    it('refuses a person not insured (0) or whose insurance ended (4)', () => {
      for (const [stas, words] of [
        ['0', /未参保/],
        ['4', /终止参保/],
      ] as const) {
        then(
          decide(
            identifying,
            answer1101([{ insutype: '310', insuplc_admdvs: '420100', psn_insu_stas: stas }]),
          ),
          refused('PatientAdmitted', '1101', 'INSURANCE_NOT_ACTIVE', words),
        );
      }
    });

    it('takes the normal insurance of the insutype when an ended one elsewhere is listed too, then checks entitlement', () => {
      spec()
        .given(identifying)
        .when(
          answer1101([
            { insutype: '310', insuplc_admdvs: '420500', psn_insu_stas: '4' },
            { insutype: '310', insuplc_admdvs: '420100', psn_insu_stas: '1' },
          ]),
        )
        .then([
          {
            type: 'PersonIdentified',
            data: { msgid: MSGID, psn_no: 'P9', insutype: '310', insuplc_admdvs: '420100' },
          },
          entitlementQueued,
        ]);
    });

    it('gives a person without entitlement to the basic fund a refusal with the platform reasons, and no 2401', () => {
      const events = decide(
        checking,
        answer2001([
          {
            fund_pay_type: '310100',
            trt_enjymnt_flag: '0',
            trt_chk_rslt: '欠缴职工医保费，暂停享受住院统筹基金待遇',
          },
          { fund_pay_type: '330100', trt_enjymnt_flag: '0', trt_chk_rslt: '欠缴大额' },
          { fund_pay_type: '310200', trt_enjymnt_flag: '1' },
        ]),
      );
      refused(
        'PatientAdmitted',
        '2001',
        'NO_ENTITLEMENT',
        /basic fund 310100 for med_type 21 \(310100: 欠缴职工医保费，暂停享受住院统筹基金待遇\)/,
      )(events);
      expect(decide([...checking, ...events], readmit)[0]).toMatchObject({ type: 'AdmissionReceived' });
    });

    it('registers a person entitled to the basic fund, keeping a supplementary fund not enjoyed as a warning', () => {
      spec()
        .given(checking)
        .when(
          answer2001([
            { fund_pay_type: '310100', trt_enjymnt_flag: '1' },
            { fund_pay_type: '330100', trt_enjymnt_flag: '0', trt_chk_rslt: '欠缴大额' },
          ]),
        )
        .then([
          { type: 'EntitlementChecked', data: { msgid: MSGID, warnings: ['330100: 欠缴大额'] } },
          registerQueued,
        ]);
    });

    it('registers when 2001 lists nothing against the person', () => {
      spec()
        .given(checking)
        .when(answer2001([]))
        .then([{ type: 'EntitlementChecked', data: { msgid: MSGID, warnings: [] } }, registerQueued]);
    });

    it('asks 2001 again when it got no answer (a query changes nothing)', () => {
      spec()
        .given(checking)
        .when({
          type: 'RecordPlatformAnswer',
          answer: { infno: '2001', msgid: MSGID, status: 'UNKNOWN', reason: 'timeout' },
        })
        .thenThrows(QueryUnansweredError);
    });

    it('hands a 2001 answer without its fund rows to a person; the HIS may admit again', () => {
      const unreadable: VisitEvent = {
        type: 'AnswerUnreadable',
        data: { infno: '2001', msgid: MSGID, missing: ['trtinfo[0].trt_enjymnt_flag is required'] },
      };
      spec()
        .given(checking)
        .when({
          type: 'RecordPlatformAnswer',
          answer: { ...unreadable.data, status: 'APPLIED_UNREADABLE' },
        })
        .then([unreadable]);
      expect(decide([...checking, unreadable], readmit)[0]).toMatchObject({ type: 'AdmissionReceived' });
    });

    it('records a 2001 the platform refused; the HIS may admit again', () => {
      const refusal: VisitEvent = {
        type: 'PlatformRefused',
        data: { infno: '2001', msgid: MSGID, infcode: -1, err_msg: '人员编号不存在' },
      };
      spec()
        .given(checking)
        .when({
          type: 'RecordPlatformAnswer',
          answer: { infno: '2001', msgid: MSGID, status: 'REJECTED', infcode: -1, err_msg: '人员编号不存在' },
        })
        .then([refusal]);
      expect(decide([...checking, refusal], readmit)[0]).toMatchObject({ type: 'AdmissionReceived' });
    });
  });
});
