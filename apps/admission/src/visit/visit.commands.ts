import { type DataOf } from '@yb/contracts';
import { type ReversalRefusalMeaning, type ReversalVerdict, type TypedOutput } from '@yb/platform-client';

export type AdmissionData = DataOf<'PatientAdmitted'>;
export type DischargeData = DataOf<'DischargeRequested'>;
export type SpecialAttributeData = DataOf<'SpecialAttributeRecorded'>;

/** The platform calls a visit makes (2601 aside: its answer is a ReversalAnswer). */
export type VisitInfno = '1101' | '2001' | '2401' | '2402' | '2403' | '2404' | '2405' | '2406' | '2407';

/**
 * What the platform answered one call (PlatformClient's result, reduced to what the visit keeps); a success
 * carries the interface's output as the client read it (a switch on `infno` narrows it).
 */
export type PlatformAnswer =
  | ({ msgid: string; status: 'SUCCEEDED' } & TypedOutput<VisitInfno>)
  /** Applied by the platform, but the answer lacks what the visit must record (`missing` names it). */
  | { infno: string; msgid: string; status: 'APPLIED_UNREADABLE'; missing: string[] }
  | {
      infno: string;
      msgid: string;
      status: 'REJECTED';
      infcode: number;
      err_msg: string;
      /** What the refusal's words mean for the visit, read in platform/ (absent: nothing the visit acts on). */
      refusal?: VisitRefusalMeaning;
    }
  | { infno: string; msgid: string; status: 'UNKNOWN'; reason: string };

/**
 * A refusal the visit acts on: `already-discharged`, a 2402 refused because the platform holds the visit's
 * discharge (after a 2402 of unknown outcome, the first one was applied).
 */
export type VisitRefusalMeaning = 'already-discharged';

/** What 2601 did to a 2401 whose outcome was unknown. */
export interface ReversalAnswer {
  omsgid: string;
  reversal_msgid: string;
  status: 'REVERSED' | 'REVERSAL_REFUSED' | 'UNKNOWN';
  err_msg?: string;
  /** A REVERSAL_REFUSED's meaning for the 2401, read from the platform's words in platform/ (absent: 'other'). */
  refusal?: ReversalRefusalMeaning;
  /** What the answer means for the 2401, by platform-client's one rule (reversalVerdict), read in platform/. */
  verdict: ReversalVerdict;
}

/** The message a command came from: the platform requests it queues are answered in its name. */
export interface RequestCause {
  readonly id: string;
  readonly correlationId: string;
}

/**
 * The requests a visit receives: from the HIS, the saga, fee-detail's results, and the platform's answers.
 * `cause`: the message it came from (the platform's answers have none: they carry on the pending request's).
 */
export type VisitCommand = (
  | {
      type: 'AdmitPatient';
      admission: AdmissionData;
      /** 2001 人员待遇享受检查 before 2401 (ADMISSION_ELIGIBILITY_CHECK); absent: no check. */
      entitlementCheck?: boolean;
    }
  | { type: 'ChangeAdmission'; admission: AdmissionData }
  | { type: 'CancelAdmission'; reason: string }
  | { type: 'RecordSpecialAttribute'; attribute: SpecialAttributeData }
  | { type: 'QuerySpecialAttributes' }
  | { type: 'Discharge'; discharge: DischargeData }
  | { type: 'UndoDischarge'; reason: string }
  | { type: 'NoteFeeLinesUploaded'; feedetl_sns: string[] }
  | { type: 'NoteFeeLinesRevoked'; feedetl_sns: string[] }
  | { type: 'RecordPlatformAnswer'; answer: PlatformAnswer }
  | { type: 'RecordReversal'; reversal: ReversalAnswer }
) & { readonly cause?: RequestCause };
