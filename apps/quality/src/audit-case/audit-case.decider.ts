import { type Decider } from '@yb/event-store';
import { type AuditPolicy } from '../quality-config';
import { aboutFocus, findingsOf, sameConcern } from './audit-findings';
import {
  type AdmissionData,
  type AuditAnswer,
  type AuditCaseCommand,
  type AuditCause,
} from './audit-case.commands';
import {
  type AdmissionDiagnosis,
  type AuditCaseEvent,
  type AuditFinding,
  type AuditInfno,
  type RequestedAudit,
  type VisitAdmission,
} from './audit-case.events';
import {
  evolveAuditCase,
  initialAuditCaseState,
  type AuditCaseState,
  type AuditRecord,
  type FindingRecord,
} from './audit-case.state';

/**
 * The audit case of one visit. It learns the visit from the HIS and from the other services' results, asks
 * for 3101 事前 audits when the admission is registered (trig_scen 3), fee lines are uploaded (4) and orders
 * are executed (5), and for 3102 事中 audits when the settlement saga asks (9 before 2303, 8 before 2304).
 * The audit runner makes the calls and records each attempt here; this decides what an answer means:
 * findings (blocking by policy, 3102 only), a retry after a backoff, or "unavailable" past the deadline.
 */
export function auditCaseDecider(
  policy: AuditPolicy,
): Decider<AuditCaseCommand, AuditCaseEvent, AuditCaseState> {
  return {
    initialState: () => initialAuditCaseState,
    evolve: evolveAuditCase,
    decide: (command, state) => decide(command, state, policy),
  };
}

function decide(command: AuditCaseCommand, state: AuditCaseState, policy: AuditPolicy): AuditCaseEvent[] {
  switch (command.type) {
    case 'NoteAdmission':
      return [{ type: 'AdmissionNoted', data: { admission: visitAdmission(command.admission) } }];
    case 'NoteFeeLinesCharged':
      return [{ type: 'FeeLinesChargedNoted', data: { lines: [...command.lines] } }];
    case 'NoteFeeLinesVoided':
      return [{ type: 'FeeLinesVoidedNoted', data: { feedetl_sns: [...command.feedetl_sns] } }];
    case 'NoteDischarge': {
      const { endtime, dscg_dept_codg, dscg_dept_name, oprn_oprt_code, oprn_oprt_name } = command.discharge;
      return [
        {
          type: 'DischargeNoted',
          data: {
            discharge: {
              endtime,
              dscg_dept_codg,
              dscg_dept_name,
              ...(oprn_oprt_code !== undefined && { oprn_oprt_code }),
              ...(oprn_oprt_name !== undefined && { oprn_oprt_name }),
              diagnoses: command.discharge.diagnoses.map(diagnosis),
            },
          },
        },
      ];
    }
    case 'NoteHomepage': {
      const { diagnoses, operations } = command.homepage;
      return [{ type: 'HomepageNoted', data: { diagnoses, operations } }];
    }
    case 'NoteOrders': {
      const noted: AuditCaseEvent = { type: 'OrdersNoted', data: { orders: [...command.orders] } };
      const executed = command.orders.filter((o) => o.vali_flag === '1').map((o) => o.drord_no);
      // Before the registration there is nothing to audit against: trig_scen 3 will cover these orders.
      if (!state.mdtrt_id || executed.length === 0) return [noted];
      return [
        noted,
        requested(policy, '3101', '5', command, { focus: { drord_nos: [...new Set(executed)] } }),
      ];
    }
    case 'NoteRegistration': {
      if (state.mdtrt_id === command.mdtrt_id && state.psn_no === command.psn_no) return [];
      const { mdtrt_id, psn_no, insuplc_admdvs } = command;
      return [
        { type: 'RegistrationNoted', data: { mdtrt_id, psn_no, ...(insuplc_admdvs && { insuplc_admdvs }) } },
        requested(policy, '3101', '3', command, {}),
      ];
    }
    case 'NoteFeeLinesUploaded':
      return [
        {
          type: 'FeeLinesUploadedNoted',
          data: { mdtrt_id: command.mdtrt_id, feedetl_sns: [...command.feedetl_sns] },
        },
        requested(policy, '3101', '4', command, { focus: { feedetl_sns: [...command.feedetl_sns] } }),
      ];
    case 'NoteFeeLinesRevoked':
      return [{ type: 'FeeLinesRevokedNoted', data: { feedetl_sns: [...command.feedetl_sns] } }];
    case 'NoteDischargeRegistered':
      return [{ type: 'DischargeRegisteredNoted', data: { endtime: command.endtime } }];
    case 'AuditSettlement': {
      const { saga_id, trig_scen, mdtrt_id } = command;
      // The saga asked again while its audit is still being made: the coming answer is the answer.
      const inFlight = state.audits.some(
        (a) =>
          a.status === 'in-flight' &&
          a.settlement?.saga_id === saga_id &&
          a.settlement.trig_scen === trig_scen,
      );
      if (inFlight) return [];
      return [
        requested(policy, '3102', trig_scen, command, { settlement: { saga_id, mdtrt_id, trig_scen } }),
      ];
    }
    case 'AcknowledgeFinding':
      return acknowledge(command, state);
    case 'RecordAuditAnswer': {
      const audit = state.audits.find((a) => a.audit_id === command.audit_id);
      // A late or repeated answer to an audit already settled changes nothing.
      if (!audit || audit.status !== 'in-flight') return [];
      return answered(audit, command.answer, command.at, state, policy);
    }
    case 'ExpireAudit': {
      const audit = state.audits.find((a) => a.audit_id === command.audit_id);
      if (!audit || audit.status !== 'in-flight' || audit.attempts === 0) return [];
      if (Date.parse(command.at) < Date.parse(audit.deadline)) return [];
      // The deadline passed on retryable failures (or none yet): the platform never answered.
      return unavailable(audit, audit.attempts, audit.last_reason ?? '审核期限已过', policy, true);
    }
  }
}

function requested(
  policy: AuditPolicy,
  infno: AuditInfno,
  trig_scen: string,
  command: { cause: AuditCause; at: string },
  extra: Pick<RequestedAudit, 'focus' | 'settlement'>,
): AuditCaseEvent {
  return {
    type: 'AuditRequested',
    data: {
      // One audit per asking message: a redelivered message is stopped by the inbox before this.
      audit_id: `${infno}-${trig_scen}-${command.cause.id}`,
      infno,
      trig_scen,
      requested_at: command.at,
      deadline: new Date(Date.parse(command.at) + policy.deadlineMs).toISOString(),
      ...extra,
      cause: command.cause,
    },
  };
}

function answered(
  audit: AuditRecord,
  answer: AuditAnswer,
  at: string,
  state: AuditCaseState,
  policy: AuditPolicy,
): AuditCaseEvent[] {
  const attempt = audit.attempts + 1;
  if (answer.status === 'FAILED') {
    const retryAt = Date.parse(at) + backoffMs(attempt, policy);
    if (!answer.retryable || retryAt >= Date.parse(audit.deadline)) {
      return unavailable(audit, attempt, answer.reason, policy, answer.retryable);
    }
    return [
      {
        type: 'AuditAttemptFailed',
        data: {
          audit_id: audit.audit_id,
          attempt,
          ...(answer.msgid !== undefined && { msgid: answer.msgid }),
          reason: answer.reason,
          next_attempt_at: new Date(retryAt).toISOString(),
        },
      },
    ];
  }
  const findings = aboutFocus(
    findingsOf(answer.result, {
      msgid: answer.msgid,
      infno: audit.infno,
      knownLines: new Set(Object.keys(state.lines)),
      policy,
    }),
    focusLines(audit, state),
  );
  const events: AuditCaseEvent[] = [
    {
      type: 'AuditCompleted',
      data: { audit_id: audit.audit_id, msgid: answer.msgid, attempts: attempt, findings },
    },
    ...carriedAcknowledgements(findings, state),
  ];
  if (!audit.settlement) return events;
  const after = events.reduce(evolveAuditCase, state);
  const waiting = Object.values(after.findings).filter(
    (f) => f.audit_id === audit.audit_id && f.blocking && !f.acknowledged,
  );
  const acknowledgedAll = findings.some((f) => f.blocking) && waiting.length === 0;
  return [
    ...events,
    waiting.length > 0
      ? settlementAnswer(audit, 'BLOCKED', false, waiting, blockingReason(waiting))
      : settlementAnswer(audit, acknowledgedAll ? 'ACKNOWLEDGED' : 'PASSED', true, []),
  ];
}

/** The lines an audit is about (the batch, the executed orders' lines); null for the whole visit. */
function focusLines(audit: AuditRecord, state: AuditCaseState): Set<string> | null {
  if (!audit.focus) return null;
  const orders = new Set(audit.focus.drord_nos ?? []);
  const sns = new Set(audit.focus.feedetl_sns ?? []);
  for (const { line } of Object.values(state.lines)) {
    if (line.drord_no !== undefined && orders.has(line.drord_no)) sns.add(line.feedetl_sn);
  }
  return sns;
}

/** A blocking finding of the same rule on the same lines as one a person accepted before is accepted again. */
function carriedAcknowledgements(findings: readonly AuditFinding[], state: AuditCaseState): AuditCaseEvent[] {
  const accepted = Object.values(state.findings).filter((f) => f.acknowledged);
  return findings.flatMap((finding): AuditCaseEvent[] => {
    if (!finding.blocking) return [];
    const earlier = accepted.find((f) => sameConcern(f, finding));
    if (!earlier?.acknowledged) return [];
    return [
      {
        type: 'FindingAcknowledged',
        data: { jr_id: finding.jr_id, ...earlier.acknowledged, carried_from: earlier.jr_id },
      },
    ];
  });
}

function unavailable(
  audit: AuditRecord,
  attempts: number,
  reason: string,
  policy: AuditPolicy,
  unanswered: boolean,
): AuditCaseEvent[] {
  // 3101 findings never block settlement, so neither does a missing 3101.
  const mayProceed = audit.infno === '3101' || policy.proceedWhenUnavailable;
  const events: AuditCaseEvent[] = [
    {
      type: 'AuditUnavailable',
      data: { audit_id: audit.audit_id, attempts, reason, settlement_may_proceed: mayProceed },
    },
  ];
  if (!audit.settlement) return events;
  return [
    ...events,
    settlementAnswer(
      audit,
      'UNAVAILABLE',
      mayProceed,
      [],
      `${audit.infno} 事中审核未能在期限内完成: ${reason}`,
      unanswered && !mayProceed,
    ),
  ];
}

function acknowledge(
  command: Extract<AuditCaseCommand, { type: 'AcknowledgeFinding' }>,
  state: AuditCaseState,
): AuditCaseEvent[] {
  const { jr_id, comment, requested_by, at } = command;
  const finding = state.findings[jr_id];
  const refused = (reason: string): AuditCaseEvent[] => [
    { type: 'AcknowledgementRefused', data: { jr_id, reason, requested_by } },
  ];
  if (!finding) return refused(`违规标识[${jr_id}]不是本次住院的审核结果`);
  if (!finding.blocking) return refused(`违规标识[${jr_id}]不阻断结算，无需确认`);
  if (finding.acknowledged) return [];
  const events: AuditCaseEvent[] = [
    { type: 'FindingAcknowledged', data: { jr_id, comment, acknowledged_by: requested_by, at } },
  ];
  const audit = state.audits.find((a) => a.audit_id === finding.audit_id);
  if (!audit?.settlement || audit.answered !== 'BLOCKED' || audit.audit_id !== state.settlementAuditId) {
    return events;
  }
  const waiting = Object.values(events.reduce(evolveAuditCase, state).findings).filter(
    (f) => f.audit_id === audit.audit_id && f.blocking && !f.acknowledged,
  );
  return waiting.length > 0 ? events : [...events, settlementAnswer(audit, 'ACKNOWLEDGED', true, [])];
}

function settlementAnswer(
  audit: AuditRecord,
  outcome: 'PASSED' | 'BLOCKED' | 'ACKNOWLEDGED' | 'UNAVAILABLE',
  may_proceed: boolean,
  waiting: readonly FindingRecord[],
  reason?: string,
  unanswered = false,
): AuditCaseEvent {
  return {
    type: 'SettlementAuditAnswered',
    data: {
      audit_id: audit.audit_id,
      outcome,
      may_proceed,
      blocking_jr_ids: waiting.map((f) => f.jr_id),
      ...(reason !== undefined && { reason: [...reason].slice(0, 4000).join('') }),
      ...(unanswered && { unanswered }),
    },
  };
}

function blockingReason(waiting: readonly FindingRecord[]): string {
  return waiting.map((f) => `${f.rule_name}: ${f.vola_cont}`).join('; ');
}

/** Wait before the attempt after `attempt` failed ones: doubling from the initial wait, capped. */
export function backoffMs(
  attempt: number,
  policy: Pick<AuditPolicy, 'retryInitialMs' | 'retryMaxMs'>,
): number {
  return Math.min(policy.retryInitialMs * 2 ** (attempt - 1), policy.retryMaxMs);
}

function diagnosis(d: AdmissionData['diagnoses'][number]): AdmissionDiagnosis {
  const { maindiag_flag, diag_srt_no, diag_code, diag_name, diag_time } = d;
  return { maindiag_flag, diag_srt_no, diag_code, diag_name, diag_time };
}

/** The admission without what the audits do not need (certificate, phone, contact). */
export function visitAdmission(a: AdmissionData): VisitAdmission {
  return {
    ...(a.psn_name !== undefined && { psn_name: a.psn_name }),
    ...(a.gend !== undefined && { gend: a.gend }),
    ...(a.brdy !== undefined && { brdy: a.brdy }),
    med_type: a.med_type,
    insutype: a.insutype,
    ...(a.insuplc_admdvs !== undefined && { insuplc_admdvs: a.insuplc_admdvs }),
    begntime: a.begntime,
    adm_dept_codg: a.adm_dept_codg,
    adm_dept_name: a.adm_dept_name,
    adm_bed: a.adm_bed,
    atddr_no: a.atddr_no,
    dscg_maindiag_code: a.dscg_maindiag_code,
    dscg_maindiag_name: a.dscg_maindiag_name,
    ...(a.oprn_oprt_code !== undefined && { oprn_oprt_code: a.oprn_oprt_code }),
    ...(a.oprn_oprt_name !== undefined && { oprn_oprt_name: a.oprn_oprt_name }),
    diagnoses: a.diagnoses.map(diagnosis),
  };
}
