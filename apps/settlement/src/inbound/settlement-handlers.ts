import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type MessageOf, type MessageType } from '@yb/contracts';
import { KafkaConsumerHost } from '@yb/messaging';
import { SettlementWorkflow, type SagaRequest } from '../saga/settlement-workflow';

type ToRequest<T extends MessageType> = (message: MessageOf<T>, workflow: SettlementWorkflow) => SagaRequest;

/** Each message type settlement acts on, and the saga command it becomes. */
const REQUEST_OF: { [T in MessageType]?: ToRequest<T> } = {
  // his.inpatient: what the saga needs of the visit, and the cashier's requests
  PatientAdmitted: (m) => ({ type: 'NoteAdmission', admission: m.data }),
  // A changed admission may name the insured area a v1 registration lacked (how a person resolves it).
  AdmissionChanged: (m) => ({ type: 'NoteAdmission', admission: m.data }),
  DischargeRequested: (m) => ({ type: 'NoteDischarge', discharge: m.data }),
  SettlementRequested: (m, w) => ({
    type: 'RequestSettlement',
    request: m.data,
    settings: w.sagaSettings,
    cause: { id: m.id, correlationId: m.correlationId },
  }),
  SettlementCancelRequested: (m, w) => ({
    type: 'RequestCancel',
    ipt_no: m.data.ipt_no,
    cancel: {
      ...(m.data.setl_id !== undefined && { setl_id: m.data.setl_id }),
      undo_discharge: true,
      reason: m.data.reason,
      request: 'SettlementCancelRequested',
    },
    settings: w.sagaSettings,
    cause: { id: m.id, correlationId: m.correlationId },
  }),
  // insurance.commands.settlement: the billing office
  CancelSettlement: (m, w) => ({
    type: 'RequestCancel',
    ipt_no: m.data.ipt_no,
    cancel: {
      ...(m.data.setl_id !== undefined && { setl_id: m.data.setl_id }),
      undo_discharge: m.data.undo_discharge,
      reason: m.data.reason,
      request: 'CancelSettlement',
    },
    settings: w.sagaSettings,
    cause: { id: m.id, correlationId: m.correlationId },
  }),
  RetrySettlement: (m, w) => ({
    type: 'RetrySaga',
    ipt_no: m.data.ipt_no,
    saga_id: m.data.saga_id,
    comment: m.data.comment,
    settings: w.sagaSettings,
  }),
  PreSettlementConfirmed: (m) => ({
    type: 'DecideConfirmation',
    confirmation: {
      ...(m.data.saga_id !== undefined && { saga_id: m.data.saga_id }),
      decision: m.data.decision,
      ...(m.data.acct_used_flag !== undefined && { acct_used_flag: m.data.acct_used_flag }),
      by: m.data.cashier ?? 'HIS',
      request: 'PreSettlementConfirmed',
      ...(m.data.reason !== undefined && { comment: m.data.reason }),
    },
  }),
  ConfirmPreSettlement: (m) => ({
    type: 'DecideConfirmation',
    confirmation: {
      saga_id: m.data.saga_id,
      decision: m.data.decision,
      ...(m.data.acct_used_flag !== undefined && { acct_used_flag: m.data.acct_used_flag }),
      by: m.data.requested_by.username,
      request: 'ConfirmPreSettlement',
      ...(m.data.comment !== undefined && { comment: m.data.comment }),
    },
  }),
  // insurance.reconciliation: the billing office reversed a settlement in our books (本地冲销)
  SettlementReversedLocally: (m) => ({
    type: 'RecordLocalReversal',
    reversal: {
      setl_id: m.data.setl_id,
      stmt_date: m.data.stmt_date,
      refd_setl_flag: m.data.refd_setl_flag,
      reason: m.data.reason,
      reversed_by: m.data.reversed_by,
    },
    cause: { id: m.id, correlationId: m.correlationId },
  }),
  // insurance.inpatient: the answers of admission, fee-detail and quality
  AdmissionRegistered: (m) => ({
    type: 'NoteRegistration',
    registration: {
      mdtrt_id: m.data.mdtrt_id,
      psn_no: m.data.psn_no,
      insuplc_admdvs: m.data.insuplc_admdvs,
      insutype: m.data.insutype,
      psn_type: m.data.psn_type,
    },
  }),
  FeeTotalsReconciled: (m) => ({
    type: 'RecordFeeTotals',
    causation_id: m.causationId ?? '',
    answer: m.data,
  }),
  SettlementAuditCompleted: (m) => ({ type: 'RecordAudit', answer: m.data }),
  DischargeRegistered: (m) => admissionAnswer(m, { kind: 'DISCHARGED', msgid: m.data.msgid }),
  DischargeUndone: (m) => admissionAnswer(m, { kind: 'DISCHARGE_UNDONE', msgid: m.data.msgid }),
  PlatformRequestRejected: (m) =>
    admissionAnswer(m, {
      kind: 'REJECTED',
      infno: m.data.infno,
      msgid: m.data.msgid,
      err_msg: m.data.err_msg,
    }),
  AdmissionRequestRefused: (m) =>
    admissionAnswer(m, { kind: 'REFUSED', infno: m.data.infno, code: m.data.code, reason: m.data.reason }),
  AdmissionOutcomeUncertain: (m) =>
    admissionAnswer(m, {
      kind: 'UNCERTAIN',
      infno: m.data.infno,
      msgid: m.data.msgid,
      reason: m.data.reason,
    }),
};

function admissionAnswer(
  message: { causationId: string | null },
  answer: Extract<SagaRequest, { type: 'RecordAdmissionAnswer' }>['answer'],
): SagaRequest {
  return { type: 'RecordAdmissionAnswer', causation_id: message.causationId ?? '', answer };
}

/** The visit a message is for: its key, except reconciliation's results, keyed by the settlement day. */
function visitOf(envelope: MessageOf<MessageType>): string {
  return envelope.type === 'SettlementReversedLocally'
    ? (envelope as MessageOf<'SettlementReversedLocally'>).data.ipt_no
    : envelope.key;
}

/** Registers settlement's handlers on the service's consumer (thin: the workflow does the work). */
@Injectable()
export class SettlementHandlers implements OnModuleInit {
  constructor(
    @Inject(KafkaConsumerHost) private readonly host: KafkaConsumerHost,
    @Inject(SettlementWorkflow) private readonly workflow: SettlementWorkflow,
  ) {}

  onModuleInit(): void {
    for (const [type, toRequest] of Object.entries(REQUEST_OF) as [MessageType, ToRequest<MessageType>][]) {
      this.host.handle(type, async ({ envelope }) => {
        await this.workflow.handle(visitOf(envelope), toRequest(envelope, this.workflow), {
          envelope,
          consumer: `settlement.${type}`,
        });
      });
    }
  }
}
