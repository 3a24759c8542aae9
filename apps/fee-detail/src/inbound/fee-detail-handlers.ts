import { type MessageType } from '@yb/contracts';
import { currentTraceparent, type ConsumedMessage, type KafkaConsumerHost } from '@yb/messaging';
import { type PlatformWorker } from '@yb/service-runtime';
import { type FeeLedgerWorkflow } from '../fee-ledger/fee-ledger-workflow';
import { type FeeLedgerCommand } from '../fee-ledger/fee-ledger.commands';
import { type FeeLedgerState } from '../fee-ledger/fee-ledger.state';
import { type ConsumptionWatermark } from '../fee-ledger/consumption-watermark';
import { type ItemMappingLookup } from '../catalogue/item-mappings';
import { checkFeeLines } from './catalogue-line-checks';

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
  FeeLinesVoided: ({ envelope: { data } }) => ({ type: 'VoidFeeLines', feedetl_sns: data.feedetl_sns }),
  DecideHeldFeeLines: ({ envelope: { data } }) => ({
    type: 'DecideHeldLines',
    feedetl_sns: data.feedetl_sns,
    decision: data.decision,
    decided_by: data.requested_by,
    comment: data.comment,
  }),
  Settled: ({ envelope: { data } }) => ({
    type: 'SettleLines',
    setl_id: data.setl_id,
    mid_setl_flag: data.mid_setl_flag,
    medfee_sumamt: data.medfee_sumamt,
  }),
  SettlementCancelled: ({ envelope: { data } }) => ({ type: 'UnsettleLines', setl_id: data.init_setl_id }),
  // The billing office reversed the settlement in our books (本地冲销), settlement took it: the same as its 2305.
  SettlementLocalReversalRecorded: ({ envelope: { data } }) => ({
    type: 'UnsettleLines',
    setl_id: data.setl_id,
  }),
  ReconcileFeeTotals: ({ envelope }) => ({
    type: 'RequestReconciliation',
    request: {
      message_id: envelope.id,
      correlation_id: envelope.correlationId,
      his_sumamt: envelope.data.his_sumamt,
      ...(envelope.data.platform_sumamt && { platform_sumamt: envelope.data.platform_sumamt }),
      ...(envelope.data.request_id && { request_id: envelope.data.request_id }),
    },
  }),
  // The cashier's request, at its place among the visit's charges (the same partition of his.inpatient).
  SettlementRequested: ({ envelope }) => ({
    type: 'NoteSettlementRequest',
    request_id: envelope.id,
    mid_setl_flag: envelope.data.mid_setl_flag,
  }),
  // settlement publishes a refusal as caused by the refused message; only a SettlementRequested has a cut.
  SettlementRequestRefused: ({ envelope }) => ({
    type: 'DropSettlementRequest',
    request_id: envelope.data.request === 'SettlementRequested' ? (envelope.causationId ?? '') : '',
  }),
};

/** The message types fee-detail consumes (his.inpatient, insurance.inpatient, its command topic). */
export const FEE_DETAIL_MESSAGE_TYPES = [...Object.keys(commandFor), 'FeeLinesCharged'] as MessageType[];

/**
 * Where a handler hands the visit's platform work: the uploader's worker, after `delayMs` at the latest, under the
 * lease the append took with the visit's mark if it did (PlatformWorker.leaseToTake).
 */
export type FeeUploadQueue = Pick<PlatformWorker, 'schedule' | 'leaseToTake'>;

/**
 * Registers the handler of a visit's consecutive messages in a batch: recorded in the visit's ledger as one
 * append (events + results + inbox rows + the mark of owed platform work, one transaction), then the visit is
 * handed to the uploader's queue (`delayFor` the ledger's new state; null: nothing owed) — the consumer never
 * waits for the platform. A redelivered message is a no-op; work a crash interrupted is found again by its
 * mark. A message the ledger refuses is handed back to the consumer host (with those after it), which retries
 * it alone and dead-letters it with the reason. A totals question notes where the consumed topics end
 * (`watermark`): it is answered once fee-detail has consumed that far.
 */
export function registerFeeDetailHandlers(
  host: KafkaConsumerHost,
  ledgers: FeeLedgerWorkflow,
  uploads: FeeUploadQueue,
  delayFor: (state: FeeLedgerState) => number | null,
  watermark: Pick<ConsumptionWatermark, 'capture'>,
  mappings: ItemMappingLookup,
): void {
  const commandOf = async (message: ConsumedMessage): Promise<FeeLedgerCommand> => {
    if (message.envelope.type === 'FeeLinesCharged') {
      // Checked against the catalogue's mappings in memory: no round trip per line.
      const { lines, held, refusals, selfpay_props } = checkFeeLines(
        (message as ConsumedMessage<'FeeLinesCharged'>).envelope.data.lines,
        mappings,
      );
      return {
        type: 'ChargeFeeLines',
        lines,
        ...(held.length > 0 && { held }),
        ...(refusals.length > 0 && { refusals }),
        ...(Object.keys(selfpay_props).length > 0 && { selfpay_props }),
      };
    }
    const command = (commandFor[message.envelope.type] as (m: ConsumedMessage) => FeeLedgerCommand)(message);
    return command.type === 'RequestReconciliation'
      ? { ...command, request: { ...command.request, consumed_through: await watermark.capture() } }
      : command;
  };
  host.handleGroup(FEE_DETAIL_MESSAGE_TYPES, async (messages, done) => {
    const ipt_no = messages[0].envelope.key;
    const items = await Promise.all(
      messages.map(async (message) => ({
        command: await commandOf(message),
        message: message.envelope,
        traceparent: currentTraceparent(message.traceContext),
      })),
    );
    // A visit's ledger begins with its admission: its stream is not read first (a redelivery fails the append).
    const opensLedger = messages[0].envelope.type === 'PatientAdmitted';
    const leaseAskedAt = Date.now();
    const result = await ledgers.executeAll(ipt_no, items, FEE_DETAIL_CONSUMER, {
      opensLedger,
      takeLease: uploads.leaseToTake(),
    });
    done(result.completed);
    if (result.outcomes.some((outcome) => outcome.kind === 'handled')) {
      const delayMs = delayFor(result.state);
      const leased = result.leaseTaken
        ? { streamVersion: result.nextExpectedVersion, askedAt: leaseAskedAt }
        : undefined;
      if (delayMs !== null) uploads.schedule(ipt_no, delayMs, leased);
    }
    const rejected = result.outcomes.find((outcome) => outcome.kind === 'rejected');
    if (rejected?.kind === 'rejected') throw rejected.error;
  });
}
