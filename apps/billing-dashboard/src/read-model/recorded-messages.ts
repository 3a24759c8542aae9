import { type DataOf, type MessageType } from '@yb/contracts';
import { type Operator } from '@yb/contracts';

/**
 * The message types the dashboard keeps: every result on insurance.inpatient, each platform call, the HIS's
 * admissions and discharges (department, insurance type, certificate for the masked display), reconciliation's
 * results, and the hospital's items with their mappings.
 */
export const RECORDED_MESSAGE_TYPES = [
  // his.inpatient
  'PatientAdmitted',
  'AdmissionChanged',
  'AdmissionCancelled',
  'DischargeRequested',
  // insurance.inpatient: admission
  'AdmissionRegistered',
  'AdmissionChangeRegistered',
  'AdmissionCancellationRegistered',
  'DischargeRegistered',
  'DischargeUndone',
  'PlatformRequestRejected',
  'AdmissionRequestRefused',
  'AdmissionRegistrationReversed',
  'AdmissionOutcomeUncertain',
  // any service: applied by the platform, answer incomplete
  'PlatformAnswerUnreadable',
  'InsuredAreaMissing',
  // fee-detail
  'FeeLinesUploaded',
  'FeeLinesRevoked',
  'FeeLinesRejected',
  'FeeTotalsReconciled',
  'FeeLinesHeld',
  'FeeLinesReleased',
  'HeldFeeLinesDecided',
  // settlement
  'PreSettled',
  'Settled',
  'SettlementFailed',
  'SettlementCompensated',
  'SettlementCancelled',
  'SettlementSagaProgressed',
  'SettlementCompensationFailed',
  'SettlementRequestRefused',
  'PlatformSlipPrinted',
  'PlatformSlipUnavailable',
  'SettlementLocalReversalRecorded',
  // quality
  'AuditFindingsRaised',
  'AuditFindingAcknowledged',
  'SettlementAuditCompleted',
  'AuditUnavailable',
  'AuditAcknowledgementRefused',
  // reporting
  'ReportUploaded',
  'ReportPending',
  'ReportRejected',
  'ReportBacklogSummarized',
  // insurance.platform-calls
  'PlatformCallCompleted',
  // insurance.reconciliation
  'ReconciliationGroupChecked',
  'ReconciliationDifferenceFound',
  'ReconciliationDifferenceResolved',
  'ReconciliationCompleted',
  // insurance.clearing
  'ClearingApplied',
  'ClearingApplicationRefused',
  'ClearingApplicationWithdrawn',
  'ClearingWithdrawalRefused',
  // his.catalogue, insurance.catalogue.mappings and insurance.catalogue.versions
  'HospitalItemsPublished',
  'ItemMappingPublished',
  'CatalogueVersionDownloaded',
] as const satisfies readonly MessageType[];

export type RecordedMessageType = (typeof RECORDED_MESSAGE_TYPES)[number];

/** The dashboard's own event: a person asked for an action; its command left through the outbox. */
export const OPERATOR_ACTION_REQUESTED = 'OperatorActionRequested';

export interface OperatorActionRequested {
  message_id: string;
  action: string;
  command_type: string;
  topic: string;
  ipt_no: string;
  target: Record<string, unknown>;
  requested_by: Operator;
}

/** Metadata stored with each recorded message: where it came from, so that the read model dates it. */
export interface RecordedMessageMetadata {
  message_id: string;
  occurred_at: string;
  correlation_id: string;
}

export type RecordedData<T extends RecordedMessageType> = DataOf<T>;
