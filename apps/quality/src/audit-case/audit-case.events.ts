import { type Operator } from '@yb/contracts';
import {
  type AuditCause,
  type DischargeData,
  type FeeLine,
  type HomepageData,
  type MedicalOrder,
  type SettlementTrigScen,
} from './audit-case.commands';

/**
 * The admission as the audits need it: the certificate, phone and contact are not kept; the name, sex and
 * birth date are (3101/3102 patient_dtos: the rules restricting items by sex or age read them).
 */
export interface VisitAdmission {
  readonly psn_name?: string;
  readonly gend?: string;
  readonly brdy?: string;
  readonly med_type: string;
  readonly insutype: string;
  readonly insuplc_admdvs?: string;
  readonly begntime: string;
  readonly adm_dept_codg: string;
  readonly adm_dept_name: string;
  readonly adm_bed: string;
  readonly atddr_no: string;
  readonly dscg_maindiag_code: string;
  readonly dscg_maindiag_name: string;
  readonly oprn_oprt_code?: string;
  readonly oprn_oprt_name?: string;
  readonly diagnoses: AdmissionDiagnosis[];
}

export interface AdmissionDiagnosis {
  readonly maindiag_flag: string;
  readonly diag_srt_no: number;
  readonly diag_code: string;
  readonly diag_name: string;
  readonly diag_time: string;
}

export type VisitDischarge = Pick<
  DischargeData,
  'endtime' | 'dscg_dept_codg' | 'dscg_dept_name' | 'oprn_oprt_code' | 'oprn_oprt_name'
> & { readonly diagnoses: AdmissionDiagnosis[] };

export type AuditInfno = '3101' | '3102';

/** An audit the case owes: asked for by `cause`, retried until `deadline`. */
export interface RequestedAudit {
  readonly audit_id: string;
  readonly infno: AuditInfno;
  readonly trig_scen: string;
  readonly requested_at: string;
  readonly deadline: string;
  /** 3101 (4): the lines of the uploaded batch; 3101 (5): the orders executed. Flagged curr_drord_flag 1. */
  readonly focus?: { readonly feedetl_sns?: readonly string[]; readonly drord_nos?: readonly string[] };
  /** 3102: the saga that waits for the answer. */
  readonly settlement?: {
    readonly saga_id: string;
    readonly mdtrt_id: string;
    readonly trig_scen: SettlementTrigScen;
  };
  readonly cause: AuditCause;
}

/** A finding as published (AuditFindingsRaised), with whether it blocks settlement. */
export interface AuditFinding {
  readonly jr_id: string;
  readonly rule_id: string;
  readonly rule_name: string;
  readonly vola_cont: string;
  readonly vola_amt: string;
  readonly sev_deg: string;
  readonly vola_evid?: string;
  readonly vola_bhvr_type?: string;
  readonly feedetl_sns: string[];
  readonly blocking: boolean;
}

export type SettlementAuditOutcome = 'PASSED' | 'BLOCKED' | 'ACKNOWLEDGED' | 'UNAVAILABLE';

type Event<T extends string, D> = { type: T; data: D };

export type AuditCaseEvent =
  | Event<'AdmissionNoted', { admission: VisitAdmission }>
  | Event<'FeeLinesChargedNoted', { lines: FeeLine[] }>
  | Event<'FeeLinesVoidedNoted', { feedetl_sns: string[] }>
  | Event<'DischargeNoted', { discharge: VisitDischarge }>
  | Event<'OrdersNoted', { orders: MedicalOrder[] }>
  | Event<'HomepageNoted', { diagnoses: HomepageData['diagnoses']; operations: HomepageData['operations'] }>
  | Event<'RegistrationNoted', { mdtrt_id: string; psn_no: string; insuplc_admdvs?: string }>
  | Event<'FeeLinesUploadedNoted', { mdtrt_id: string; feedetl_sns: string[] }>
  | Event<'FeeLinesRevokedNoted', { feedetl_sns: string[] }>
  | Event<'DischargeRegisteredNoted', { endtime: string }>
  | Event<'AuditRequested', RequestedAudit>
  | Event<
      'AuditAttemptFailed',
      { audit_id: string; attempt: number; msgid?: string; reason: string; next_attempt_at: string }
    >
  | Event<'AuditCompleted', { audit_id: string; msgid: string; attempts: number; findings: AuditFinding[] }>
  | Event<
      'AuditUnavailable',
      { audit_id: string; attempts: number; reason: string; settlement_may_proceed: boolean }
    >
  | Event<
      'SettlementAuditAnswered',
      {
        audit_id: string;
        outcome: SettlementAuditOutcome;
        may_proceed: boolean;
        blocking_jr_ids: string[];
        reason?: string;
        /** UNAVAILABLE with no answer from the platform (only retryable failures): the saga asks again. */
        unanswered?: boolean;
      }
    >
  | Event<
      'FindingAcknowledged',
      {
        jr_id: string;
        comment: string;
        acknowledged_by: Operator;
        at: string;
        /** Acknowledged because a person accepted the same rule on the same lines in an earlier audit. */
        carried_from?: string;
      }
    >
  | Event<'AcknowledgementRefused', { jr_id: string; reason: string; requested_by: Operator }>;

export type AuditCaseEventType = AuditCaseEvent['type'];
