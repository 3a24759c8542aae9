import { type DataOf, type Operator } from '@yb/contracts';

export type AdmissionData = DataOf<'PatientAdmitted'>;
export type FeeLine = DataOf<'FeeLinesCharged'>['lines'][number];
export type MedicalOrder = DataOf<'MedicalOrdersRecorded'>['orders'][number];
export type DischargeData = DataOf<'DischargeRequested'>;
export type HomepageData = DataOf<'MedicalRecordHomepageRecorded'>;
export type SettlementTrigScen = DataOf<'AuditSettlement'>['trig_scen'];

/** The message that asked for an audit: its answers are caused by it and continue its trace. */
export interface AuditCause {
  readonly id: string;
  readonly correlationId: string;
  readonly traceparent: string | null;
}

/** One row of a 3101/3102 answer's `result`, as the platform client parsed it (any field may be absent). */
export interface PlatformFinding {
  readonly jr_id?: string | null;
  readonly rule_id?: string | null;
  readonly rule_name?: string | null;
  readonly vola_cont?: string | null;
  readonly vola_amt?: string | null;
  readonly sev_deg?: string | null;
  readonly vola_evid?: string | null;
  readonly vola_bhvr_type?: string | null;
  readonly judge_result_detail_dtos?: readonly { readonly rx_id?: string | null }[] | null;
}

/**
 * What one attempt of an audit came to. FAILED + retryable: no trustworthy answer (5xx, timeout, reset,
 * unreadable answer) or the visit's data is not complete yet; FAILED otherwise: the platform refused the
 * audit (its own words) or the request cannot be built, which asking again will not change.
 */
export type AuditAnswer =
  | { readonly status: 'SUCCEEDED'; readonly msgid: string; readonly result: readonly PlatformFinding[] }
  | {
      readonly status: 'FAILED';
      readonly msgid?: string;
      readonly reason: string;
      readonly retryable: boolean;
    };

/** `at`: when the command was issued (ISO 8601), so that the decider stays pure. */
export type AuditCaseCommand =
  // his.inpatient / his.clinical: what the visit is
  | { readonly type: 'NoteAdmission'; readonly admission: AdmissionData }
  | { readonly type: 'NoteFeeLinesCharged'; readonly lines: readonly FeeLine[] }
  | { readonly type: 'NoteFeeLinesVoided'; readonly feedetl_sns: readonly string[] }
  | { readonly type: 'NoteDischarge'; readonly discharge: DischargeData }
  | {
      readonly type: 'NoteOrders';
      readonly orders: readonly MedicalOrder[];
      readonly cause: AuditCause;
      readonly at: string;
    }
  | { readonly type: 'NoteHomepage'; readonly homepage: HomepageData }
  // insurance.inpatient: what the platform holds
  | {
      readonly type: 'NoteRegistration';
      readonly mdtrt_id: string;
      readonly psn_no: string;
      /** 参保地医保区划 admission registered (AdmissionRegistered v2); absent in a v1 record. */
      readonly insuplc_admdvs?: string;
      readonly cause: AuditCause;
      readonly at: string;
    }
  | {
      readonly type: 'NoteFeeLinesUploaded';
      readonly mdtrt_id: string;
      readonly feedetl_sns: readonly string[];
      readonly cause: AuditCause;
      readonly at: string;
    }
  | { readonly type: 'NoteFeeLinesRevoked'; readonly feedetl_sns: readonly string[] }
  | { readonly type: 'NoteDischargeRegistered'; readonly endtime: string }
  // insurance.commands.quality: the settlement saga and the billing office
  | {
      readonly type: 'AuditSettlement';
      readonly mdtrt_id: string;
      readonly trig_scen: SettlementTrigScen;
      readonly saga_id: string;
      readonly cause: AuditCause;
      readonly at: string;
    }
  | {
      readonly type: 'AcknowledgeFinding';
      readonly jr_id: string;
      readonly comment: string;
      readonly requested_by: Operator;
      readonly at: string;
    }
  // the audit runner
  | {
      readonly type: 'RecordAuditAnswer';
      readonly audit_id: string;
      readonly answer: AuditAnswer;
      readonly at: string;
    }
  | { readonly type: 'ExpireAudit'; readonly audit_id: string; readonly at: string };
