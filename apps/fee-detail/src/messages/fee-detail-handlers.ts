import { type MessageType } from '@yb/contracts';
import { type ConsumedMessage, type KafkaConsumerHost } from '@yb/messaging';
import { type FeeLedgerStore } from '../ledger/fee-ledger-store';
import { type FeeLedgerCommand } from '../ledger/fee-ledger.commands';
import { type FeeUploader } from '../platform/fee-uploader';

/** The inbox's name for this service's handlers. */
export const FEE_DETAIL_CONSUMER = 'fee-detail';

/** The ledger command each consumed message type becomes. */
const commandFor: { [T in MessageType]?: (message: ConsumedMessage<T>) => FeeLedgerCommand } = {
  PatientAdmitted: ({ envelope: { data } }) => ({
    type: 'NoteAdmission',
    med_type: data.med_type,
    ...(data.insuplc_admdvs && { insuplc_admdvs: data.insuplc_admdvs }),
  }),
  AdmissionChanged: ({ envelope: { data } }) => ({
    type: 'NoteAdmission',
    med_type: data.med_type,
    ...(data.insuplc_admdvs && { insuplc_admdvs: data.insuplc_admdvs }),
  }),
  AdmissionRegistered: ({ envelope: { data } }) => ({
    type: 'RegisterVisit',
    registration: {
      mdtrt_id: data.mdtrt_id,
      psn_no: data.psn_no,
      ...(data.insuplc_admdvs && { insuplc_admdvs: data.insuplc_admdvs }),
    },
  }),
  AdmissionCancellationRegistered: () => ({ type: 'CancelVisit' }),
  FeeLinesCharged: ({ envelope: { data } }) => ({ type: 'ChargeFeeLines', lines: data.lines }),
  FeeLinesVoided: ({ envelope: { data } }) => ({ type: 'VoidFeeLines', feedetl_sns: data.feedetl_sns }),
  ReconcileFeeTotals: ({ envelope }) => ({
    type: 'RequestReconciliation',
    request: {
      message_id: envelope.id,
      correlation_id: envelope.correlationId,
      his_sumamt: envelope.data.his_sumamt,
      ...(envelope.data.platform_sumamt && { platform_sumamt: envelope.data.platform_sumamt }),
    },
  }),
};

/** The message types fee-detail consumes (his.inpatient, insurance.inpatient, its command topic). */
export const FEE_DETAIL_MESSAGE_TYPES = Object.keys(commandFor) as MessageType[];

/**
 * Registers the handlers: record the message in the visit's ledger (events + results + inbox in one
 * transaction), then carry the ledger to the platform. A redelivered message is a no-op in the ledger but
 * still drives the visit, so work a crash interrupted is taken up again; an upload that stalls on an
 * unknown 2302 fails the handler, which the consumer host retries and finally dead-letters with the reason.
 */
export function registerFeeDetailHandlers(
  host: KafkaConsumerHost,
  ledgers: FeeLedgerStore,
  uploader: FeeUploader,
): void {
  for (const type of FEE_DETAIL_MESSAGE_TYPES) {
    const toCommand = commandFor[type] as (message: ConsumedMessage) => FeeLedgerCommand;
    host.handle(type, async (message) => {
      const ipt_no = message.envelope.key;
      await ledgers.execute(ipt_no, toCommand(message), {
        message: message.envelope,
        consumer: FEE_DETAIL_CONSUMER,
      });
      await uploader.drive(ipt_no);
    });
  }
}
