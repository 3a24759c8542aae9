import { type DataOf } from '@yb/contracts';

export type AdmissionData = DataOf<'PatientAdmitted'>;
export type DischargeData = DataOf<'DischargeRequested'>;
export type SpecialAttributeData = DataOf<'SpecialAttributeRecorded'>;

/** What the platform answered one call (PlatformClient's result, reduced to what the visit keeps). */
export type PlatformAnswer =
  | { infno: string; msgid: string; status: 'SUCCEEDED'; output: unknown }
  /** Applied by the platform, but the answer lacks what the visit must record (`missing` names it). */
  | { infno: string; msgid: string; status: 'APPLIED_UNREADABLE'; missing: string[] }
  | { infno: string; msgid: string; status: 'REJECTED'; infcode: number; err_msg: string }
  | { infno: string; msgid: string; status: 'UNKNOWN'; reason: string };

/** What 2601 did to a 2401 whose outcome was unknown. */
export interface ReversalAnswer {
  omsgid: string;
  reversal_msgid: string;
  status: 'REVERSED' | 'REVERSAL_REFUSED' | 'UNKNOWN';
  err_msg?: string;
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
