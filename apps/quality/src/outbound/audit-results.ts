import { createEnvelope, type Envelope, type MessageType } from '@yb/contracts';
import { type OutboxMessage } from '@yb/event-store';
import { outboxMessageOf } from '@yb/service-runtime';
import { type AuditCaseEvent } from '../audit-case/audit-case.events';
import {
  waitingBlockingFindings,
  type AuditCaseState,
  type AuditRecord,
} from '../audit-case/audit-case.state';

type Cause = Pick<Envelope, 'id' | 'correlationId'>;

/**
 * The results published on insurance.inpatient for the case's new events (keyed by ipt_no). An audit's
 * results are caused by the message that asked for it (SettlementAuditCompleted: the saga's AuditSettlement,
 * whichever later message settled it); an acknowledgement's by the command being handled. Events that only
 * record what the visit is publish nothing. Each result is validated against its contract before the outbox.
 */
export function auditResultMessages(
  topic: string,
  ipt_no: string,
  events: readonly AuditCaseEvent[],
  state: AuditCaseState,
  handling: Cause | undefined,
): OutboxMessage[] {
  return events.flatMap((event) => {
    const result = resultOf(ipt_no, event, state);
    if (!result) return [];
    const causedBy = result.cause ?? handling;
    const envelope = createEnvelope({
      type: result.type,
      data: result.data,
      schemaVersion: 1,
      key: ipt_no,
      ...(causedBy && { causedBy: { id: causedBy.id, correlationId: causedBy.correlationId } }),
    });
    return [outboxMessageOf(topic, envelope)];
  });
}

interface Result {
  type: MessageType;
  data: unknown;
  /** The asking message, when the result answers an audit rather than the message being handled. */
  cause?: Cause;
}

function resultOf(ipt_no: string, event: AuditCaseEvent, state: AuditCaseState): Result | null {
  const auditOf = (audit_id: string): AuditRecord => {
    const audit = state.audits.find((a) => a.audit_id === audit_id);
    if (!audit) throw new Error(`audit ${audit_id} is not in the case of ${ipt_no}`);
    return audit;
  };
  const mdtrtOf = (audit: AuditRecord) => audit.settlement?.mdtrt_id ?? state.mdtrt_id ?? undefined;
  switch (event.type) {
    case 'AuditCompleted': {
      const audit = auditOf(event.data.audit_id);
      if (event.data.findings.length === 0) return null;
      return {
        type: 'AuditFindingsRaised',
        cause: audit.cause,
        data: {
          ipt_no,
          mdtrt_id: mdtrtOf(audit),
          infno: audit.infno,
          trig_scen: audit.trig_scen,
          findings: event.data.findings,
        },
      };
    }
    case 'AuditUnavailable': {
      const audit = auditOf(event.data.audit_id);
      const mdtrt_id = mdtrtOf(audit);
      return {
        type: 'AuditUnavailable',
        cause: audit.cause,
        data: {
          ipt_no,
          ...(mdtrt_id !== undefined && { mdtrt_id }),
          infno: audit.infno,
          trig_scen: audit.trig_scen,
          attempts: event.data.attempts,
          reason: [...event.data.reason].slice(0, 4000).join(''),
          settlement_may_proceed: event.data.settlement_may_proceed,
        },
      };
    }
    case 'SettlementAuditAnswered': {
      const audit = auditOf(event.data.audit_id);
      const { settlement } = audit;
      if (!settlement) throw new Error(`audit ${audit.audit_id} answers no settlement`);
      const { audit_id: _id, ...answer } = event.data;
      return {
        type: 'SettlementAuditCompleted',
        cause: audit.cause,
        data: { ipt_no, ...settlement, ...answer },
      };
    }
    case 'FindingAcknowledged': {
      const { jr_id, comment, acknowledged_by, carried_from } = event.data;
      const finding = state.findings[jr_id];
      return {
        type: 'AuditFindingAcknowledged',
        ...(carried_from !== undefined && finding && { cause: auditOf(finding.audit_id).cause }),
        data: {
          ipt_no,
          jr_id,
          comment,
          acknowledged_by,
          remaining_blocking: waitingBlockingFindings(state).length,
        },
      };
    }
    case 'AcknowledgementRefused':
      return { type: 'AuditAcknowledgementRefused', data: { ipt_no, ...event.data } };
    case 'AdmissionNoted':
    case 'FeeLinesChargedNoted':
    case 'FeeLinesVoidedNoted':
    case 'DischargeNoted':
    case 'OrdersNoted':
    case 'HomepageNoted':
    case 'RegistrationNoted':
    case 'FeeLinesUploadedNoted':
    case 'FeeLinesRevokedNoted':
    case 'DischargeRegisteredNoted':
    case 'AuditRequested':
    case 'AuditAttemptFailed':
      return null;
  }
}
