import { MATERNITY_FIELDS, NEWBORN_FIELDS } from '@yb/contracts';
import {
  missingFields,
  reversalRefusalMeaning,
  reversalVerdict,
  type PlatformClient,
  type TypedInterfaces,
} from '@yb/platform-client';
import {
  type AdmissionData,
  type PlatformAnswer,
  type ReversalAnswer,
  type VisitInfno,
  type VisitRefusalMeaning,
} from '../visit/visit.commands';
import { type PendingRequest } from '../visit/visit.events';
import { type VisitState } from '../visit/visit.state';

type Input<I extends keyof TypedInterfaces> = TypedInterfaces[I]['input'];

/** The platform's refusal of a 2402 for a visit whose discharge it holds (the sandbox's wording today). */
const ALREADY_DISCHARGED = /已办理出院/;

/** What a refusal's words mean for the visit: read here, so the decider never reads the platform's wording. */
export function visitRefusalMeaning(infno: string, err_msg: string): VisitRefusalMeaning | undefined {
  return infno === '2402' && ALREADY_DISCHARGED.test(err_msg) ? 'already-discharged' : undefined;
}

/** 1101 人员信息获取, 2001 人员待遇享受检查 and 2407 就医特殊属性查询 only read. */
const QUERIES: ReadonlySet<string> = new Set(['1101', '2001', '2407']);

/**
 * Sends the visit's pending request through the PlatformClient (which journals it before sending) and
 * returns the answer as the visit records it. A 2401 reversal goes through client.reverse (2601).
 */
export async function sendPendingRequest(
  client: PlatformClient,
  ipt_no: string,
  state: VisitState,
  pending: PendingRequest,
  fixmedins_code: string,
): Promise<{ answer: PlatformAnswer } | { reversal: ReversalAnswer }> {
  if (pending.kind === 'reverse-registration') {
    const result = await client.reverse(pending.omsgid);
    return {
      reversal: {
        omsgid: result.msgid,
        reversal_msgid: result.reversalMsgid,
        status: result.status,
        verdict: reversalVerdict(result.status, result.err_msg),
        ...(result.err_msg !== undefined && { err_msg: result.err_msg }),
        ...(result.status === 'REVERSAL_REFUSED' && { refusal: reversalRefusalMeaning(result.err_msg) }),
      },
    };
  }
  const options = {
    visitKey: ipt_no,
    // A redelivery after a crash asks for the same transaction again: the journal answers it, nothing is
    // resent. Queries change nothing on the platform, so an unanswered one is simply asked again.
    ...(!QUERIES.has(pending.infno) && { requestKey: `visit-${ipt_no}#${state.requestsQueued}` }),
    ...(state.insuplc_admdvs !== null && { insuplc_admdvs: state.insuplc_admdvs }),
    patientKind: { insutype: state.insutype ?? undefined, psn_type: state.psn_type ?? undefined },
    // Only 1101 carries the name and card: the platform's err_msg of any call may quote them, and is masked.
    patientIdentifiers: [state.admission?.psn_name, state.admission?.card_sn].filter(
      (v): v is string => typeof v === 'string' && v.trim() !== '',
    ),
  };
  const result = await client.call(pending.infno, inputOf(ipt_no, state, pending, fixmedins_code), options);
  const base = { infno: pending.infno, msgid: result.msgid };
  switch (result.status) {
    case 'SUCCEEDED': {
      // The rest keeps infno and output paired (one member per interface), so the decider's switch narrows it.
      const { attempts: _attempts, infcode: _infcode, warn_msg: _warn, ...answer } = result;
      return { answer };
    }
    case 'APPLIED_UNREADABLE':
      return { answer: { ...base, status: 'APPLIED_UNREADABLE', missing: missingFields(result.problems) } };
    case 'REJECTED': {
      const refusal = visitRefusalMeaning(pending.infno, result.err_msg);
      const { infcode, err_msg } = result;
      return { answer: { ...base, status: 'REJECTED', infcode, err_msg, ...(refusal && { refusal }) } };
    }
    case 'UNKNOWN':
      return { answer: { ...base, status: 'UNKNOWN', reason: result.reason } };
  }
}

/**
 * The admission's fields 2401 and 2403 take: not who the person is to 1101 (card_sn, psn_name), to 3101/3102
 * (gend, brdy) or to the settlement list (the newborn's weights and type).
 */
function admissionFields(admission: AdmissionData) {
  const { card_sn: _sn, psn_name: _name, gend: _gend, brdy: _brdy, ...fields } = admission;
  for (const field of NEWBORN_FIELDS) delete fields[field];
  return fields;
}

/** The stay's maternity fields as the admission stands (2403 after the delivery): 2402 repeats them. */
function maternityOf(admission: AdmissionData) {
  return Object.fromEntries(
    MATERNITY_FIELDS.filter((field) => admission[field] !== undefined).map((field) => [
      field,
      admission[field],
    ]),
  ) as Pick<AdmissionData, (typeof MATERNITY_FIELDS)[number]>;
}

/** The wire input of the request, in the platform's field names, from the HIS data the visit holds. */
export function inputOf(
  ipt_no: string,
  state: VisitState,
  pending: Exclude<PendingRequest, { kind: 'reverse-registration' }>,
  fixmedins_code: string,
): Input<VisitInfno> {
  // card_sn and psn_name identify the person to 1101 only; no other admission interface takes them.
  const { card_sn, psn_name } = state.admission!;
  const admission = admissionFields(state.admission!);
  const psn_no = state.psn_no!;
  const mdtrt_id = state.mdtrt_id!;
  switch (pending.kind) {
    case 'identify':
      // psn_cert_type/certno are not sent: with an ID card (02) mdtrt_cert_no is the number already, and regions
      // disagree on the psn_cert_type code of an ID card (01 or 1).
      return {
        data: {
          mdtrt_cert_type: admission.mdtrt_cert_type,
          mdtrt_cert_no: admission.mdtrt_cert_no,
          ...(card_sn !== undefined && { card_sn }),
          ...(psn_name !== undefined && { psn_name }),
        },
      } satisfies Input<'1101'>;
    case 'check-entitlement': {
      const { med_type, begntime, dise_codg, dise_name, oprn_oprt_code, oprn_oprt_name } = admission;
      return {
        data: {
          psn_no,
          insutype: state.insutype!,
          fixmedins_code,
          med_type,
          begntime,
          ...(dise_codg !== undefined && { dise_codg }),
          ...(dise_name !== undefined && { dise_name }),
          ...(oprn_oprt_code !== undefined && { oprn_oprt_code }),
          ...(oprn_oprt_name !== undefined && { oprn_oprt_name }),
        },
      } satisfies Input<'2001'>;
    }
    case 'register': {
      const { diagnoses, ...fields } = admission;
      return {
        mdtrtinfo: {
          ...fields,
          psn_no,
          insutype: state.insutype!,
          insuplc_admdvs: state.insuplc_admdvs!,
          ipt_no,
        },
        diseinfo: diagnoses.map((d) => ({ ...d, psn_no })),
      } satisfies Input<'2401'>;
    }
    case 'change': {
      const {
        diagnoses,
        ipt_no: _ipt,
        insutype: _i,
        insuplc_admdvs: _a,
        mdtrt_cert_no: _c,
        ...fields
      } = admissionFields(pending.admission);
      return {
        adminfo: {
          ...fields,
          psn_no,
          mdtrt_id,
          mdtrt_cert_type: pending.admission.mdtrt_cert_type,
          ipt_otp_no: ipt_no,
        },
        diseinfo: diagnoses.map((d) => ({ ...d, psn_no, mdtrt_id })),
      } satisfies Input<'2403'>;
    }
    case 'cancel':
      return { data: { mdtrt_id, psn_no } } satisfies Input<'2404'>;
    case 'undo-discharge':
      return { data: { mdtrt_id, psn_no } } satisfies Input<'2405'>;
    case 'discharge': {
      const { diagnoses, ipt_no: _ipt, die_date, ...fields } = pending.discharge;
      return {
        dscginfo: {
          ...maternityOf(state.admission!),
          ...fields,
          mdtrt_id,
          psn_no,
          insutype: state.insutype!,
          // The HIS sends the time of death; 2402 takes its date.
          ...(die_date !== undefined && { die_date: die_date.slice(0, 10) }),
        },
        diseinfo: diagnoses.map((d) => ({ ...d, psn_no, mdtrt_id })),
      } satisfies Input<'2402'>;
    }
    case 'special-attribute': {
      const { ipt_no: _ipt, ...attribute } = pending.attribute;
      return { data: { ...attribute, mdtrt_id, psn_no, ipt_otp_no: ipt_no } } satisfies Input<'2406'>;
    }
    case 'query-special-attributes':
      return { data: { mdtrt_id, psn_no } } satisfies Input<'2407'>;
  }
}
