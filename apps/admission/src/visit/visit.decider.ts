import { type Decider } from '@yb/event-store';
import { type PlatformAnswer, type ReversalAnswer, type VisitCommand } from './visit.commands';
import { type PendingRequest, type SpecialAttributeRecord, type VisitEvent } from './visit.events';
import { evolveVisit, initialVisitState, type VisitState } from './visit.state';

/** 2401 sends of one registration, each after a 2601 reversal of the previous one, before a person decides. */
export const MAX_REGISTRATION_ATTEMPTS = 3;

/**
 * The platform's refusal of a 2402 for a visit it already discharged: when the 2402 sent again after one of
 * unknown outcome is refused so, the first one was applied.
 */
const ALREADY_DISCHARGED = /已办理出院/;

/** A query (1101, 2407) got no answer: nothing changed on the platform, so the message is simply retried. */
export class QueryUnansweredError extends Error {
  override readonly name = 'QueryUnansweredError';
}

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
  switch (command.type) {
    case 'AdmitPatient': {
      const refusal = admissionRefusal(state);
      if (refusal) return refuse(command, '2401', refusal);
      const { admission } = command;
      const identified = admission.psn_no !== undefined && admission.insuplc_admdvs !== undefined;
      return [
        { type: 'AdmissionReceived', data: { admission } },
        queued(identified ? { kind: 'register', infno: '2401' } : { kind: 'identify', infno: '1101' }),
      ];
    }
    case 'ChangeAdmission': {
      const refusal = unregisteredRefusal(state);
      if (refusal) return refuse(command, '2403', refusal);
      const { admission } = command;
      if (admission.psn_no !== undefined && admission.psn_no !== state.psn_no) {
        return refuse(
          command,
          '2403',
          'psn_no differs from the registered person: cancel the admission and admit the right person',
        );
      }
      if (admission.insutype !== state.insutype) {
        return refuse(command, '2403', `insutype cannot change (registered as ${state.insutype}) with 2403`);
      }
      return [queued({ kind: 'change', infno: '2403', admission })];
    }
    case 'CancelAdmission': {
      const refusal = unregisteredRefusal(state);
      if (refusal) return refuse(command, '2404', refusal);
      if (state.status === 'discharged') {
        return refuse(
          command,
          '2404',
          'the patient is discharged: undo the discharge (2405) before cancelling',
        );
      }
      const remaining = state.feeLinesOnPlatform.length;
      if (remaining > 0) {
        return refuse(
          command,
          '2404',
          `${remaining} fee line(s) are still on the platform: revoke them (2302) before cancelling the admission`,
        );
      }
      return [queued({ kind: 'cancel', infno: '2404', reason: command.reason })];
    }
    case 'Discharge': {
      const refusal = unregisteredRefusal(state);
      if (refusal) return refuse(command, '2402', refusal);
      if (state.status === 'discharged') {
        return refuse(command, '2402', 'the discharge is already registered (2402 is not sent twice)');
      }
      return [queued({ kind: 'discharge', infno: '2402', discharge: command.discharge })];
    }
    case 'UndoDischarge': {
      const refusal = unregisteredRefusal(state);
      if (refusal) return refuse(command, '2405', refusal);
      if (state.status !== 'discharged') {
        return refuse(
          command,
          '2405',
          'the patient is not discharged: 2405 undoes a registered discharge (2402)',
        );
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
      return recordReversal(command.reversal, state, expectPending(state, '2601'));
  }
}

function recordAnswer(answer: PlatformAnswer, state: VisitState, pending: PendingRequest): VisitEvent[] {
  const { msgid } = answer;
  if (answer.status === 'REJECTED') {
    const { infno, infcode, err_msg } = answer;
    if (
      pending.kind === 'discharge' &&
      state.dischargeUnknownMsgid !== null &&
      ALREADY_DISCHARGED.test(err_msg)
    ) {
      // The resend is refused because the first 2402 was applied: the discharge stands, under its msgid.
      const endtime = pending.discharge.endtime;
      return [{ type: 'Discharged', data: { msgid: state.dischargeUnknownMsgid, endtime } }];
    }
    return [{ type: 'PlatformRefused', data: { infno, msgid, infcode, err_msg } }];
  }
  if (answer.status === 'UNKNOWN') {
    if (pending.kind === 'identify' || pending.kind === 'query-special-attributes') {
      throw new QueryUnansweredError(`${pending.infno} got no answer (${answer.reason}); asking again`);
    }
    if (pending.kind === 'register') {
      return [
        { type: 'RegistrationOutcomeUnknown', data: { msgid, reason: answer.reason } },
        queued({ kind: 'reverse-registration', infno: '2601', omsgid: msgid, reason: answer.reason }),
      ];
    }
    if (pending.kind === 'discharge' && state.dischargeUnknownMsgid === null) {
      // 2601 cannot reverse 2402, but sending it again tells: applied once already, the platform refuses it.
      return [
        { type: 'DischargeOutcomeUnknown', data: { msgid, reason: answer.reason } },
        queued({ kind: 'discharge', infno: '2402', discharge: pending.discharge }),
      ];
    }
    // 2402–2406 cannot be reversed by 2601; whether they applied is for a person to check.
    return [{ type: 'OutcomeUncertain', data: { infno: pending.infno, msgid, reason: answer.reason } }];
  }
  const output = answer.output as Record<string, unknown> | null;
  switch (pending.kind) {
    case 'identify':
      return identifyPerson(answer, state);
    case 'register': {
      const { mdtrt_id } = (output as { result: { mdtrt_id: string } }).result;
      return [{ type: 'Registered', data: { msgid, mdtrt_id } }];
    }
    case 'change':
      return [{ type: 'Changed', data: { msgid, admission: pending.admission } }];
    case 'cancel':
      return [{ type: 'Cancelled', data: { msgid } }];
    case 'discharge':
      return [{ type: 'Discharged', data: { msgid, endtime: pending.discharge.endtime } }];
    case 'undo-discharge':
      return [{ type: 'DischargeUndone', data: { msgid } }];
    case 'special-attribute': {
      const { ipt_psn_sp_flag_detl_id } = (output as { data: { ipt_psn_sp_flag_detl_id: string } }).data;
      const { ipt_psn_sp_flag_type, ipt_psn_sp_flag } = pending.attribute;
      return [
        {
          type: 'SpecialAttributeRegistered',
          data: { msgid, ipt_psn_sp_flag_detl_id, ipt_psn_sp_flag_type, ipt_psn_sp_flag },
        },
      ];
    }
    case 'query-special-attributes':
      return [{ type: 'SpecialAttributesQueried', data: { msgid, attributes: attributesOf(output) } }];
    case 'reverse-registration':
      throw new Error('a 2601 answer is recorded with RecordReversal');
  }
}

/** 1101's answer: the person and the insurance of the admission's insutype. */
function identifyPerson(
  answer: Extract<PlatformAnswer, { status: 'SUCCEEDED' }>,
  state: VisitState,
): VisitEvent[] {
  const output = answer.output as {
    baseinfo: { psn_no: string };
    insuinfo: { insutype: string; insuplc_admdvs: string; psn_type?: string | null }[];
  };
  const { psn_no } = output.baseinfo;
  if (state.psn_no !== null && state.psn_no !== psn_no) {
    return refuse(
      { type: 'AdmitPatient' },
      '1101',
      'the certificate belongs to another person than psn_no: check the certificate and the person',
    );
  }
  const insurance = output.insuinfo.find((i) => i.insutype === state.insutype);
  if (!insurance) {
    const held = output.insuinfo.map((i) => i.insutype).join(', ') || 'none';
    return refuse(
      { type: 'AdmitPatient' },
      '1101',
      `the person holds no insurance of insutype ${state.insutype} (holds: ${held})`,
    );
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
    queued({ kind: 'register', infno: '2401' }),
  ];
}

function recordReversal(reversal: ReversalAnswer, state: VisitState, pending: PendingRequest): VisitEvent[] {
  if (pending.kind !== 'reverse-registration') throw new Error('no 2401 reversal is pending');
  const { omsgid, reversal_msgid } = reversal;
  if (reversal.status === 'REVERSED') {
    const reversed: VisitEvent = {
      type: 'RegistrationReversed',
      data: { omsgid, reversal_msgid, reason: pending.reason },
    };
    if (state.registrationAttempts >= MAX_REGISTRATION_ATTEMPTS) {
      const reason = `${MAX_REGISTRATION_ATTEMPTS} sends of 2401 had unknown outcomes (each reversed with 2601); last: ${pending.reason}`;
      return [reversed, { type: 'RegistrationUncertain', data: { msgid: omsgid, reason } }];
    }
    return [reversed, queued({ kind: 'register', infno: '2401' })];
  }
  const why =
    reversal.status === 'REVERSAL_REFUSED'
      ? `2601 refused: ${reversal.err_msg ?? '(no reason given)'}`
      : '2601 got no answer either';
  return [
    {
      type: 'RegistrationUncertain',
      data: { msgid: omsgid, reason: `2401 outcome unknown (${pending.reason}); ${why}` },
    },
  ];
}

function expectPending(state: VisitState, infno: string): PendingRequest {
  if (state.pending?.infno !== infno) {
    throw new Error(`no ${infno} is pending for this visit (pending: ${state.pending?.infno ?? 'none'})`);
  }
  return state.pending;
}

function attributesOf(output: Record<string, unknown> | null): SpecialAttributeRecord[] {
  const nested = (output?.IptPsnSpFlagReg as { data?: unknown[] } | null | undefined)?.data;
  const rows = (nested ?? output?.data ?? []) as Record<string, string | null | undefined>[];
  return rows.map((row) => ({
    ipt_psn_sp_flag_detl_id: row.ipt_psn_sp_flag_detl_id ?? null,
    ipt_psn_sp_flag_type: row.ipt_psn_sp_flag_type ?? null,
    ipt_psn_sp_flag: row.ipt_psn_sp_flag ?? null,
  }));
}

function queued(request: PendingRequest): VisitEvent {
  return { type: 'RequestQueued', data: { request } };
}

function refuse(command: Pick<VisitCommand, 'type'>, infno: string, reason: string): VisitEvent[] {
  const request = REQUEST_OF[command.type];
  return [{ type: 'RequestRefused', data: { request, infno, reason } }];
}

/** Why a new admission is refused, or null when the visit may be admitted. */
function admissionRefusal(state: VisitState): string | null {
  switch (state.status) {
    case 'new':
    case 'not-registered':
      return null;
    case 'registering':
      return 'the registration of this visit is in progress';
    case 'registered':
    case 'discharged':
      return 'the visit is already registered with the platform: send AdmissionChanged to change it';
    case 'cancelled':
      return 'the admission of this visit was cancelled (2404): admit again under a new ipt_no';
    case 'registration-uncertain':
      return uncertainReason;
  }
}

/** Why a request on a registration is refused, or null when the visit is registered (or discharged). */
function unregisteredRefusal(state: VisitState): string | null {
  switch (state.status) {
    case 'registered':
    case 'discharged':
      return null;
    case 'cancelled':
      return 'the admission was cancelled (2404)';
    case 'registration-uncertain':
      return uncertainReason;
    default:
      return 'the visit is not registered with the platform (no successful 2401)';
  }
}

const uncertainReason =
  'the registration (2401) is uncertain and could not be reversed: a person must resolve it on the platform first';

export const visitDecider: Decider<VisitCommand, VisitEvent, VisitState> = {
  decide: decideVisit,
  evolve: evolveVisit,
  initialState: () => initialVisitState,
};
