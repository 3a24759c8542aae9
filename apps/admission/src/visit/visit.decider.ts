import { type Decider } from '@yb/event-store';
import { type AdmissionRefusalCode } from '@yb/contracts';
import { type Output2407 } from '@yb/platform-client';
import {
  type PlatformAnswer,
  type RequestCause,
  type ReversalAnswer,
  type VisitCommand,
  type VisitInfno,
} from './visit.commands';
import { type PendingRequest, type SpecialAttributeRecord, type VisitEvent } from './visit.events';
import { evolveVisit, initialVisitState, type VisitState } from './visit.state';

/** mdtrt_cert_type 03 社会保障卡: 1101 needs the card's identification code (card_sn) with it. */
const SOCIAL_SECURITY_CARD = '03';

/** psn_insu_stas 人员参保状态 (dictionary PSN_INSU_STAS): only 1 may be registered. */
const INSURED = '1';
const INSURANCE_STATUS: Readonly<Record<string, string>> = {
  '0': '未参保 (not insured)',
  '2': '暂停参保 (suspended)',
  '3': '终止参保 (terminated)',
  '4': '终止参保 (terminated)',
};

/** trt_enjymnt_flag 基金款项待遇享受标志: 0 否. */
const NOT_ENJOYED = '0';

/** A query (1101, 2001, 2407) got no answer: nothing changed on the platform, so the message is simply retried. */
export class QueryUnansweredError extends Error {
  override readonly name = 'QueryUnansweredError';
}

/**
 * A message's request arrived while the visit's previous request is unanswered: it waits (one request at a time,
 * in message order), for the worker to record that answer first. Nothing is decided.
 */
export class RequestOutstandingError extends Error {
  override readonly name = 'RequestOutstandingError';
}

/** The commands that only record what the platform or fee-detail said: never held back by a pending request. */
const RECORDS: ReadonlySet<VisitCommand['type']> = new Set([
  'NoteFeeLinesUploaded',
  'NoteFeeLinesRevoked',
  'RecordPlatformAnswer',
  'RecordReversal',
]);

/** The HIS or saga message a command came from, as named in the refusal published for it. */
const REQUEST_OF: Record<VisitCommand['type'], string> = {
  AdmitPatient: 'PatientAdmitted',
  ChangeAdmission: 'AdmissionChanged',
  CancelAdmission: 'AdmissionCancelled',
  RecordSpecialAttribute: 'SpecialAttributeRecorded',
  QuerySpecialAttributes: 'QuerySpecialAttributes',
  Discharge: 'DischargePatient',
  UndoDischarge: 'UndoDischarge',
  NoteFeeLinesUploaded: 'FeeLinesUploaded',
  NoteFeeLinesRevoked: 'FeeLinesRevoked',
  RecordPlatformAnswer: 'PlatformAnswer',
  RecordReversal: 'Reversal',
};

export function decideVisit(command: VisitCommand, state: VisitState): VisitEvent[] {
  if (state.pending && !RECORDS.has(command.type)) {
    throw new RequestOutstandingError(
      `${REQUEST_OF[command.type]} waits: the visit's ${state.pending.infno} is not answered yet`,
    );
  }
  switch (command.type) {
    case 'AdmitPatient': {
      const refusal = admissionRefusal(state);
      if (refusal) return refuse(command, '2401', refusal);
      const { admission } = command;
      const entitlementCheck = command.entitlementCheck ?? false;
      const identified = admission.psn_no !== undefined && admission.insuplc_admdvs !== undefined;
      if (
        !identified &&
        admission.mdtrt_cert_type === SOCIAL_SECURITY_CARD &&
        admission.card_sn === undefined
      ) {
        return refuse(command, '1101', {
          code: 'CERTIFICATE_INCOMPLETE',
          reason:
            'card_sn (卡识别码) is required to identify the person by a social security card (mdtrt_cert_type 03): send it, or psn_no and insuplc_admdvs',
        });
      }
      return [
        { type: 'AdmissionReceived', data: { admission, ...(entitlementCheck && { entitlementCheck }) } },
        queued(identified ? nextAfterIdentification(entitlementCheck) : { kind: 'identify', infno: '1101' }),
      ];
    }
    case 'ChangeAdmission': {
      const refusal = unregisteredRefusal(state);
      if (refusal) return refuse(command, '2403', refusal);
      const { admission } = command;
      if (admission.psn_no !== undefined && admission.psn_no !== state.psn_no) {
        return refuse(command, '2403', {
          code: 'OTHER_PERSON',
          reason:
            'psn_no differs from the registered person: cancel the admission and admit the right person',
        });
      }
      if (admission.insutype !== state.insutype) {
        return refuse(command, '2403', {
          code: 'INSUTYPE_CHANGED',
          reason: `insutype cannot change (registered as ${state.insutype}) with 2403`,
        });
      }
      return [queued({ kind: 'change', infno: '2403', admission })];
    }
    case 'CancelAdmission': {
      const refusal = unregisteredRefusal(state);
      if (refusal) return refuse(command, '2404', refusal);
      if (state.status === 'discharged') {
        return refuse(command, '2404', {
          code: 'DISCHARGED',
          reason: 'the patient is discharged: undo the discharge (2405) before cancelling',
        });
      }
      const remaining = state.feeLinesOnPlatform.length;
      if (remaining > 0) {
        return refuse(command, '2404', {
          code: 'FEE_LINES_ON_PLATFORM',
          reason: `${remaining} fee line(s) are still on the platform: revoke them (2302) before cancelling the admission`,
        });
      }
      return [queued({ kind: 'cancel', infno: '2404', reason: command.reason })];
    }
    case 'Discharge': {
      const refusal = unregisteredRefusal(state);
      if (refusal) return refuse(command, '2402', refusal);
      if (state.status === 'discharged') {
        return refuse(command, '2402', {
          code: 'ALREADY_DISCHARGED',
          reason: 'the discharge is already registered (2402 is not sent twice)',
        });
      }
      return [queued({ kind: 'discharge', infno: '2402', discharge: command.discharge })];
    }
    case 'UndoDischarge': {
      const refusal = unregisteredRefusal(state);
      if (refusal) return refuse(command, '2405', refusal);
      if (state.status !== 'discharged') {
        return refuse(command, '2405', {
          code: 'NOT_DISCHARGED',
          reason: 'the patient is not discharged: 2405 undoes a registered discharge (2402)',
        });
      }
      return [queued({ kind: 'undo-discharge', infno: '2405', reason: command.reason })];
    }
    case 'RecordSpecialAttribute': {
      const refusal = unregisteredRefusal(state);
      if (refusal) return refuse(command, '2406', refusal);
      return [queued({ kind: 'special-attribute', infno: '2406', attribute: command.attribute })];
    }
    case 'QuerySpecialAttributes': {
      const refusal = unregisteredRefusal(state);
      if (refusal) return refuse(command, '2407', refusal);
      return [queued({ kind: 'query-special-attributes', infno: '2407' })];
    }
    case 'NoteFeeLinesUploaded':
      return [{ type: 'FeeLinesNoted', data: { uploaded: command.feedetl_sns, revoked: [] } }];
    case 'NoteFeeLinesRevoked':
      return [{ type: 'FeeLinesNoted', data: { uploaded: [], revoked: command.feedetl_sns } }];
    case 'RecordPlatformAnswer':
      return recordAnswer(command.answer, state, expectPending(state, command.answer.infno));
    case 'RecordReversal':
      return recordReversal(command.reversal, expectPending(state, '2601'));
  }
}

function recordAnswer(answer: PlatformAnswer, state: VisitState, pending: PendingRequest): VisitEvent[] {
  const { msgid } = answer;
  if (answer.status === 'REJECTED') {
    const { infno, infcode, err_msg } = answer;
    if (
      pending.kind === 'discharge' &&
      state.dischargeUnknownMsgid !== null &&
      answer.refusal === 'already-discharged'
    ) {
      // The resend is refused because the first 2402 was applied: the discharge stands, under its msgid.
      const endtime = pending.discharge.endtime;
      return [{ type: 'Discharged', data: { msgid: state.dischargeUnknownMsgid, endtime } }];
    }
    return [{ type: 'PlatformRefused', data: { infno, msgid, infcode, err_msg } }];
  }
  if (answer.status === 'UNKNOWN') {
    if (
      pending.kind === 'identify' ||
      pending.kind === 'check-entitlement' ||
      pending.kind === 'query-special-attributes'
    ) {
      throw new QueryUnansweredError(`${pending.infno} got no answer (${answer.reason}); asking again`);
    }
    if (pending.kind === 'register') {
      return [
        { type: 'RegistrationOutcomeUnknown', data: { msgid, reason: answer.reason } },
        queued({ kind: 'reverse-registration', infno: '2601', omsgid: msgid, reason: answer.reason }),
      ];
    }
    if (pending.kind === 'discharge') {
      // 2601 cannot reverse 2402, but sending it again tells: applied once already, the platform refuses it.
      // Sent again until the platform answers (the worker backs off): silence is not an answer.
      return [
        { type: 'DischargeOutcomeUnknown', data: { msgid, reason: answer.reason } },
        queued({ kind: 'discharge', infno: '2402', discharge: pending.discharge }),
      ];
    }
    if (pending.kind === 'change') {
      // 2403 sets the admission to the values it carries: sent twice, it changes nothing more, so it is sent
      // again (a new msgid, after the worker's pause) until the platform answers.
      return [
        { type: 'ChangeOutcomeUnknown', data: { msgid, reason: answer.reason } },
        queued({ kind: 'change', infno: '2403', admission: pending.admission }),
      ];
    }
    // 2404–2406 cannot be reversed by 2601; whether they applied is for a person to check.
    return [{ type: 'OutcomeUncertain', data: { infno: pending.infno, msgid, reason: answer.reason } }];
  }
  if (answer.status === 'APPLIED_UNREADABLE') return recordUnreadable(answer, pending);
  switch (pending.kind) {
    case 'identify':
      return answer.infno === '1101' ? identifyPerson(answer, state) : mismatched(answer, pending);
    case 'check-entitlement':
      return answer.infno === '2001' ? checkEntitlement(answer, state) : mismatched(answer, pending);
    case 'register': {
      if (answer.infno !== '2401') return mismatched(answer, pending);
      return [{ type: 'Registered', data: { msgid, mdtrt_id: answer.output.result.mdtrt_id } }];
    }
    case 'change':
    case 'cancel':
    case 'discharge':
    case 'undo-discharge':
      return applied(pending, msgid);
    case 'special-attribute': {
      if (answer.infno !== '2406') return mismatched(answer, pending);
      const { ipt_psn_sp_flag_detl_id } = answer.output.data;
      const { ipt_psn_sp_flag_type, ipt_psn_sp_flag } = pending.attribute;
      return [
        {
          type: 'SpecialAttributeRegistered',
          data: { msgid, ipt_psn_sp_flag_detl_id, ipt_psn_sp_flag_type, ipt_psn_sp_flag },
        },
      ];
    }
    case 'query-special-attributes':
      if (answer.infno !== '2407') return mismatched(answer, pending);
      return [{ type: 'SpecialAttributesQueried', data: { msgid, attributes: attributesOf(answer.output) } }];
    case 'reverse-registration':
      throw new Error('a 2601 answer is recorded with RecordReversal');
  }
}

/** 1101's answer: the person and the insurance of the admission's insutype. */
function identifyPerson(answer: SucceededAnswer<'1101'>, state: VisitState): VisitEvent[] {
  const { output } = answer;
  const { psn_no } = output.baseinfo;
  if (state.psn_no !== null && state.psn_no !== psn_no) {
    return refuse({ type: 'AdmitPatient' }, '1101', {
      code: 'OTHER_PERSON',
      reason: 'the certificate belongs to another person than psn_no: check the certificate and the person',
    });
  }
  // A person may hold the insutype twice (a terminated enrolment elsewhere and the current one): the normal one counts.
  const ofType = output.insuinfo.filter((i) => i.insutype === state.insutype);
  const insurance = ofType.find((i) => i.psn_insu_stas === INSURED) ?? ofType[0];
  if (!insurance) {
    const held = output.insuinfo.map((i) => i.insutype).join(', ') || 'none';
    return refuse({ type: 'AdmitPatient' }, '1101', {
      code: 'NOT_INSURED',
      reason: `the person holds no insurance of insutype ${state.insutype} (holds: ${held})`,
    });
  }
  if (insurance.psn_insu_stas !== INSURED) {
    const status = INSURANCE_STATUS[insurance.psn_insu_stas] ?? 'not 正常参保';
    const since = insurance.paus_insu_date ? ` since ${insurance.paus_insu_date}` : '';
    return refuse({ type: 'AdmitPatient' }, '1101', {
      code: 'INSURANCE_NOT_ACTIVE',
      reason:
        `the person's insurance of insutype ${state.insutype} is ${status} (psn_insu_stas ${insurance.psn_insu_stas})${since}: ` +
        'the platform refuses 2401 for it; admit as self-paying or once the insurance office has restored it',
    });
  }
  return [
    {
      type: 'PersonIdentified',
      data: {
        msgid: answer.msgid,
        psn_no,
        insutype: insurance.insutype,
        insuplc_admdvs: insurance.insuplc_admdvs,
        ...(insurance.psn_type && { psn_type: insurance.psn_type }),
      },
    },
    queued(nextAfterIdentification(state.entitlementCheck)),
  ];
}

function nextAfterIdentification(entitlementCheck: boolean): PendingRequest {
  return entitlementCheck
    ? { kind: 'check-entitlement', infno: '2001' }
    : { kind: 'register', infno: '2401' };
}

/**
 * 2001's answer, one row per fund: without the basic fund of the insutype (310100 职工统筹, 390100 居民 …) the
 * platform refuses the stay's settlement, so 2401 is not sent and the HIS is told why in the platform's words.
 * A supplementary fund not enjoyed (大额, 公务员补助 …) only leaves a warning. No row for the basic fund: nothing
 * stands against it.
 */
function checkEntitlement(answer: SucceededAnswer<'2001'>, state: VisitState): VisitEvent[] {
  const { trtinfo } = answer.output;
  const basicFund = `${state.insutype}100`;
  const notEnjoyed = trtinfo.filter((row) => row.trt_enjymnt_flag === NOT_ENJOYED);
  const why = (rows: typeof trtinfo) =>
    rows.map((row) => `${row.fund_pay_type}: ${row.trt_chk_rslt || '(no reason given)'}`);
  const stoppers = notEnjoyed.filter((row) => row.fund_pay_type === basicFund);
  if (stoppers.length > 0) {
    return refuse({ type: 'AdmitPatient' }, '2001', {
      code: 'NO_ENTITLEMENT',
      reason:
        `2001 人员待遇享受检查: no entitlement to the basic fund ${basicFund} for med_type ${state.admission!.med_type} ` +
        `(${why(stoppers).join('; ')}); a person resolves it with the insurance office, then the HIS admits again`,
    });
  }
  const warnings = why(notEnjoyed);
  return [
    { type: 'EntitlementChecked', data: { msgid: answer.msgid, warnings } },
    queued({ kind: 'register', infno: '2401' }),
  ];
}

/**
 * An answer the platform applied but that lacks what the visit records. Only 1101 (the person), 2401 (mdtrt_id),
 * 2406 (the attribute's id) and 2407 (the list) need their answer; the others stand as applied. Never retried or
 * reversed: a 2401 that registered the visit stays registered on the platform, so a person completes it.
 */
function recordUnreadable(
  answer: Extract<PlatformAnswer, { status: 'APPLIED_UNREADABLE' }>,
  pending: PendingRequest,
): VisitEvent[] {
  const { msgid } = answer;
  switch (pending.kind) {
    case 'change':
    case 'cancel':
    case 'discharge':
    case 'undo-discharge':
      return applied(pending, msgid);
    default:
      return [{ type: 'AnswerUnreadable', data: { infno: answer.infno, msgid, missing: answer.missing } }];
  }
}

/** What a request the platform applied records, for the requests whose answer carries nothing we keep. */
function applied(
  pending: Extract<PendingRequest, { kind: 'change' | 'cancel' | 'discharge' | 'undo-discharge' }>,
  msgid: string,
): VisitEvent[] {
  switch (pending.kind) {
    case 'change':
      return [{ type: 'Changed', data: { msgid, admission: pending.admission } }];
    case 'cancel':
      return [{ type: 'Cancelled', data: { msgid } }];
    case 'discharge':
      return [{ type: 'Discharged', data: { msgid, endtime: pending.discharge.endtime } }];
    case 'undo-discharge':
      return [{ type: 'DischargeUndone', data: { msgid } }];
  }
}

function recordReversal(reversal: ReversalAnswer, pending: PendingRequest): VisitEvent[] {
  if (pending.kind !== 'reverse-registration') throw new Error('no 2401 reversal is pending');
  const { omsgid, reversal_msgid } = reversal;
  // platform-client's one rule (reversalVerdict): only a business answer decides.
  switch (reversal.verdict) {
    case 'not-applied': {
      // Reversed, or never received: nothing stands on the platform, so 2401 is sent again (new msgid).
      const again = queued({ kind: 'register', infno: '2401' });
      if (reversal.status === 'REVERSED' || reversal.refusal === 'already-reversed') {
        return [
          { type: 'RegistrationReversed', data: { omsgid, reversal_msgid, reason: pending.reason } },
          again,
        ];
      }
      const reason = `${pending.reason}; 2601 refused: ${reversal.err_msg}`;
      return [{ type: 'RegistrationNotApplied', data: { omsgid, reason } }, again];
    }
    case 'unanswered':
      // The platform did not answer the 2601 either: the same 2601 again (the worker backs off), never a person.
      return [
        { type: 'ReversalUnanswered', data: { omsgid, reason: pending.reason } },
        queued({ kind: 'reverse-registration', infno: '2601', omsgid, reason: pending.reason }),
      ];
    case 'needs-person':
      return [
        {
          type: 'RegistrationUncertain',
          data: {
            msgid: omsgid,
            reason: `2401 outcome unknown (${pending.reason}); 2601 refused: ${reversal.err_msg ?? '(no reason given)'}`,
          },
        },
      ];
  }
}

function expectPending(state: VisitState, infno: string): PendingRequest {
  if (state.pending?.infno !== infno) {
    throw new Error(`no ${infno} is pending for this visit (pending: ${state.pending?.infno ?? 'none'})`);
  }
  return state.pending;
}

/** 2407's rows, nested under IptPsnSpFlagReg or not (the platform answers both ways). */
function attributesOf(output: Output2407): SpecialAttributeRecord[] {
  const rows = output.IptPsnSpFlagReg?.data ?? output.data ?? [];
  return rows.map((row) => ({
    ipt_psn_sp_flag_detl_id: row.ipt_psn_sp_flag_detl_id ?? null,
    ipt_psn_sp_flag_type: row.ipt_psn_sp_flag_type ?? null,
    ipt_psn_sp_flag: row.ipt_psn_sp_flag ?? null,
  }));
}

type SucceededAnswer<I extends VisitInfno> = Extract<PlatformAnswer, { status: 'SUCCEEDED'; infno: I }>;

/** An answer of another interface than the pending request's (expectPending rules it out before). */
function mismatched(answer: { infno: string }, pending: PendingRequest): never {
  throw new Error(`a ${answer.infno} answer cannot answer the pending ${pending.infno}`);
}

function queued(request: PendingRequest): VisitEvent {
  return { type: 'RequestQueued', data: { request } };
}

function refuse(command: Pick<VisitCommand, 'type'>, infno: string, { code, reason }: Refusal): VisitEvent[] {
  const request = REQUEST_OF[command.type];
  return [{ type: 'RequestRefused', data: { request, infno, code, reason } }];
}

/** Why a request is refused: the code consumers match, the words for people. */
interface Refusal {
  readonly code: AdmissionRefusalCode;
  readonly reason: string;
}

/** Why a new admission is refused, or null when the visit may be admitted. */
function admissionRefusal(state: VisitState): Refusal | null {
  switch (state.status) {
    case 'new':
    case 'not-registered':
      return null;
    case 'registering':
      return { code: 'REGISTRATION_IN_PROGRESS', reason: 'the registration of this visit is in progress' };
    case 'registered':
    case 'discharged':
      return {
        code: 'ALREADY_REGISTERED',
        reason: 'the visit is already registered with the platform: send AdmissionChanged to change it',
      };
    case 'cancelled':
      return {
        code: 'ADMISSION_CANCELLED',
        reason: 'the admission of this visit was cancelled (2404): admit again under a new ipt_no',
      };
    case 'registration-uncertain':
      return uncertainRefusal;
  }
}

/** Why a request on a registration is refused, or null when the visit is registered (or discharged). */
function unregisteredRefusal(state: VisitState): Refusal | null {
  switch (state.status) {
    case 'registered':
    case 'discharged':
      return null;
    case 'cancelled':
      return { code: 'ADMISSION_CANCELLED', reason: 'the admission was cancelled (2404)' };
    case 'registration-uncertain':
      return uncertainRefusal;
    default:
      return {
        code: 'NOT_REGISTERED',
        reason: 'the visit is not registered with the platform (no successful 2401)',
      };
  }
}

const uncertainRefusal: Refusal = {
  code: 'REGISTRATION_UNCERTAIN',
  reason:
    'the registration (2401) is uncertain and could not be reversed: a person must resolve it on the platform first',
};

/** The requests a command queues carry its cause; those an answer queues carry on the pending request's. */
function withCause(events: VisitEvent[], cause: RequestCause | null | undefined): VisitEvent[] {
  if (!cause) return events;
  return events.map((event) =>
    event.type === 'RequestQueued' ? { ...event, data: { ...event.data, cause } } : event,
  );
}

export const visitDecider: Decider<VisitCommand, VisitEvent, VisitState> = {
  decide: (command, state) => withCause(decideVisit(command, state), command.cause ?? state.pendingCause),
  evolve: evolveVisit,
  initialState: () => initialVisitState,
};
