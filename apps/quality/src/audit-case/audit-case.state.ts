import { type Operator } from '@yb/contracts';
import { type FeeLine, type HomepageData, type MedicalOrder } from './audit-case.commands';
import {
  type AuditCaseEvent,
  type AuditFinding,
  type RequestedAudit,
  type SettlementAuditOutcome,
  type VisitAdmission,
  type VisitDischarge,
} from './audit-case.events';

export interface AuditRecord extends RequestedAudit {
  readonly status: 'in-flight' | 'completed' | 'unavailable';
  readonly attempts: number;
  /** When the next attempt may be made (after a failure's backoff); null: now. */
  readonly next_attempt_at: string | null;
  readonly last_reason: string | null;
  /** 3102: the last answer given to the saga. */
  readonly answered: SettlementAuditOutcome | null;
}

export interface Acknowledgement {
  readonly comment: string;
  readonly acknowledged_by: Operator;
  readonly at: string;
}

export interface FindingRecord extends AuditFinding {
  readonly audit_id: string;
  readonly acknowledged: Acknowledgement | null;
}

export interface CaseFeeLine {
  readonly line: FeeLine;
  /** On the platform (FeeLinesUploaded) and not revoked or voided since. */
  readonly uploaded: boolean;
  readonly voided: boolean;
}

/** One visit's audit case (stream `audit-<ipt_no>`): what the visit is, and the audits it owes and had. */
export interface AuditCaseState {
  readonly admission: VisitAdmission | null;
  readonly mdtrt_id: string | null;
  readonly psn_no: string | null;
  /** 参保地医保区划 admission registered the visit in; null in a v1 registration (then the HIS's, if named). */
  readonly registered_admdvs: string | null;
  readonly lines: Readonly<Record<string, CaseFeeLine>>;
  readonly orders: Readonly<Record<string, MedicalOrder>>;
  readonly discharge: VisitDischarge | null;
  readonly dscg_date: string | null;
  readonly homepage: Pick<HomepageData, 'diagnoses' | 'operations'> | null;
  /** Every audit asked for, in order. */
  readonly audits: readonly AuditRecord[];
  readonly findings: Readonly<Record<string, FindingRecord>>;
  /** The latest 3102 audit: the one whose blocking findings the saga waits on. */
  readonly settlementAuditId: string | null;
}

export const initialAuditCaseState: AuditCaseState = {
  admission: null,
  mdtrt_id: null,
  psn_no: null,
  registered_admdvs: null,
  lines: {},
  orders: {},
  discharge: null,
  dscg_date: null,
  homepage: null,
  audits: [],
  findings: {},
  settlementAuditId: null,
};

/** 2302 with feedetl_sn "0000" revokes every unsettled line of the visit. */
const ALL_LINES = '0000';

export function evolveAuditCase(state: AuditCaseState, event: AuditCaseEvent): AuditCaseState {
  switch (event.type) {
    case 'AdmissionNoted':
      return { ...state, admission: event.data.admission };
    case 'FeeLinesChargedNoted': {
      const lines = { ...state.lines };
      for (const line of event.data.lines) {
        lines[line.feedetl_sn] = { line, uploaded: lines[line.feedetl_sn]?.uploaded ?? false, voided: false };
      }
      return { ...state, lines };
    }
    case 'FeeLinesVoidedNoted':
      return { ...state, lines: updateLines(state.lines, event.data.feedetl_sns, { voided: true }) };
    case 'FeeLinesUploadedNoted': {
      const known = event.data.feedetl_sns.filter((sn) => state.lines[sn]);
      return {
        ...state,
        mdtrt_id: state.mdtrt_id ?? event.data.mdtrt_id,
        lines: updateLines(state.lines, known, { uploaded: true }),
      };
    }
    case 'FeeLinesRevokedNoted': {
      const sns = event.data.feedetl_sns.includes(ALL_LINES)
        ? Object.keys(state.lines)
        : event.data.feedetl_sns;
      return { ...state, lines: updateLines(state.lines, sns, { uploaded: false }) };
    }
    case 'OrdersNoted': {
      const orders = { ...state.orders };
      for (const order of event.data.orders) orders[order.medcas_drord_detl_id] = order;
      return { ...state, orders };
    }
    case 'DischargeNoted':
      return { ...state, discharge: event.data.discharge };
    case 'HomepageNoted':
      return { ...state, homepage: event.data };
    case 'RegistrationNoted':
      return {
        ...state,
        mdtrt_id: event.data.mdtrt_id,
        psn_no: event.data.psn_no,
        registered_admdvs: event.data.insuplc_admdvs ?? null,
      };
    case 'DischargeRegisteredNoted':
      return { ...state, dscg_date: event.data.endtime };
    case 'AuditRequested': {
      const audit: AuditRecord = {
        ...event.data,
        status: 'in-flight',
        attempts: 0,
        next_attempt_at: null,
        last_reason: null,
        answered: null,
      };
      return {
        ...state,
        audits: [...state.audits, audit],
        settlementAuditId: audit.infno === '3102' ? audit.audit_id : state.settlementAuditId,
      };
    }
    case 'AuditAttemptFailed':
      return updateAudit(state, event.data.audit_id, (a) => ({
        ...a,
        attempts: event.data.attempt,
        next_attempt_at: event.data.next_attempt_at,
        last_reason: event.data.reason,
      }));
    case 'AuditCompleted': {
      const { audit_id, findings, attempts } = event.data;
      const records = { ...state.findings };
      for (const finding of findings) records[finding.jr_id] = { ...finding, audit_id, acknowledged: null };
      const next = updateAudit(state, audit_id, (a) => ({ ...a, status: 'completed', attempts }));
      return { ...next, findings: records };
    }
    case 'AuditUnavailable':
      return updateAudit(state, event.data.audit_id, (a) => ({
        ...a,
        status: 'unavailable',
        attempts: event.data.attempts,
        last_reason: event.data.reason,
      }));
    case 'SettlementAuditAnswered':
      return updateAudit(state, event.data.audit_id, (a) => ({ ...a, answered: event.data.outcome }));
    case 'FindingAcknowledged': {
      const finding = state.findings[event.data.jr_id];
      if (!finding) return state;
      const { comment, acknowledged_by, at } = event.data;
      return {
        ...state,
        findings: {
          ...state.findings,
          [finding.jr_id]: { ...finding, acknowledged: { comment, acknowledged_by, at } },
        },
      };
    }
    case 'AcknowledgementRefused':
      return state;
  }
}

function updateLines(
  lines: Readonly<Record<string, CaseFeeLine>>,
  sns: readonly string[],
  change: Partial<CaseFeeLine>,
): Record<string, CaseFeeLine> {
  const next = { ...lines };
  for (const sn of sns) {
    const line = next[sn];
    if (line) next[sn] = { ...line, ...change };
  }
  return next;
}

function updateAudit(
  state: AuditCaseState,
  audit_id: string,
  change: (audit: AuditRecord) => AuditRecord,
): AuditCaseState {
  return { ...state, audits: state.audits.map((a) => (a.audit_id === audit_id ? change(a) : a)) };
}

/** Lines on the platform now: what an audit of the visit covers. */
export function standingLines(state: AuditCaseState): FeeLine[] {
  return Object.values(state.lines)
    .filter((l) => l.uploaded && !l.voided)
    .map((l) => l.line);
}

/** The audit to work on next: the oldest still in flight. */
export function nextAuditInFlight(state: AuditCaseState): AuditRecord | undefined {
  return state.audits.find((a) => a.status === 'in-flight');
}

/** Blocking findings of the latest 3102 audit that no person has acknowledged. */
export function waitingBlockingFindings(state: AuditCaseState): FindingRecord[] {
  if (!state.settlementAuditId) return [];
  return Object.values(state.findings).filter(
    (f) => f.audit_id === state.settlementAuditId && f.blocking && !f.acknowledged,
  );
}
