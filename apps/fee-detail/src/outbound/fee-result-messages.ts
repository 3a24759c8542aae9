import { contractFor, createEnvelope, parseWith, type Envelope } from '@yb/contracts';
import { type OutboxMessage } from '@yb/event-store';
import { outboxMessageOf } from '@yb/service-runtime';
import { currentTraceparent } from '@yb/messaging';
import { type FeeLedgerEvent } from '../fee-ledger/fee-ledger.events';
import { type FeeLedgerState } from '../fee-ledger/fee-ledger.state';
import { sameMoney } from '../fee-ledger/money';

/** Where a result message comes from: the visit, and the message that caused it (for correlation). */
export interface ResultContext {
  readonly ipt_no: string;
  /** insurance.inpatient, where every fee result goes. */
  readonly topic: string;
  readonly causedBy?: Pick<Envelope, 'id' | 'correlationId'>;
}

/**
 * The fee results the HIS and the dashboard read on insurance.inpatient, for the events one decision
 * produced: lines uploaded with the platform's amounts, lines refused with reasons, lines revoked, and the
 * answer to the saga's totals question. Each is validated against its contract before it enters the outbox.
 */
export function feeResultMessages(
  events: readonly FeeLedgerEvent[],
  state: FeeLedgerState,
  context: ResultContext,
): OutboxMessage[] {
  const { ipt_no } = context;
  const mdtrt_id = state.registration?.mdtrt_id;
  const visit = { ipt_no, ...(mdtrt_id && { mdtrt_id }) };
  const messages: OutboxMessage[] = [];
  const publish = (type: string, data: unknown, causedBy = context.causedBy) =>
    messages.push(outboxMessage(type, data, ipt_no, context.topic, causedBy));

  for (const event of events) {
    switch (event.type) {
      case 'FeeBatchUploaded':
        if (event.data.unreadable) {
          const { msgid, unreadable: missing } = event.data;
          publish('PlatformAnswerUnreadable', {
            ...visit,
            infno: '2301',
            msgid,
            missing,
            needs_person: true,
          });
        } else {
          // Beside the platform's ratio, the one 1319 gives the code (when the line was taken with one).
          const lines = event.data.answers.map((answer) => {
            const catalogue_selfpay_prop = state.lines.get(answer.feedetl_sn)?.catalogue_selfpay_prop;
            return { ...answer, ...(catalogue_selfpay_prop !== undefined && { catalogue_selfpay_prop }) };
          });
          publish('FeeLinesUploaded', { ...visit, msgid: event.data.msgid, lines });
        }
        break;
      case 'FeeBatchRejected':
        publish('FeeLinesRejected', {
          ...visit,
          infno: '2301',
          msgid: event.data.msgid,
          lines: event.data.feedetl_sns.map((feedetl_sn) => ({ feedetl_sn, reason: event.data.err_msg })),
        });
        break;
      case 'InsuredAreaMissing':
        publish('InsuredAreaMissing', {
          ...visit,
          service: 'fee-detail',
          held: ['2301', '2302'],
          reason: event.data.reason,
          needs_person: true,
        });
        break;
      case 'FeeLinesRefused':
      case 'HeldFeeLinesRefused':
        publish('FeeLinesRejected', { ...visit, lines: event.data.lines });
        break;
      case 'FeeLinesHeld':
      case 'HeldFeeLinesRechecked':
        publish('FeeLinesHeld', {
          ...visit,
          lines: event.data.lines.map(({ line, reason, finding }) => ({
            feedetl_sn: line.feedetl_sn,
            medins_list_codg: line.medins_list_codg,
            reason,
            ...(finding && { finding }),
          })),
          needs_person: true,
        });
        break;
      case 'HeldFeeLinesDecided':
        publish('HeldFeeLinesDecided', { ...visit, ...event.data });
        break;
      case 'HeldFeeLinesReleased':
        publish('FeeLinesReleased', {
          ...visit,
          lines: event.data.lines.map(({ feedetl_sn, medins_list_codg, med_list_codg }) => ({
            feedetl_sn,
            medins_list_codg,
            med_list_codg,
          })),
        });
        break;
      case 'FeeRevocationRejected':
        publish('FeeLinesRejected', {
          ...visit,
          infno: '2302',
          msgid: event.data.msgid,
          lines: event.data.feedetl_sns.map((feedetl_sn) => ({ feedetl_sn, reason: event.data.err_msg })),
        });
        break;
      case 'FeeLinesRevoked':
        publish('FeeLinesRevoked', {
          ...visit,
          msgid: event.data.msgid,
          cause: 'VOID',
          feedetl_sns: event.data.feedetl_sns,
        });
        break;
      case 'AllFeeLinesRevoked':
        publish('FeeLinesRevoked', {
          ...visit,
          msgid: event.data.msgid,
          cause: 'RESYNC',
          feedetl_sns: ['0000'],
        });
        break;
      case 'FeeLinesSettled': {
        // The request's id is the ledger's own bookkeeping (the cut), not part of the result.
        const { request_id: _cut, ...settled } = event.data;
        const { medfee_sumamt, lines_sumamt } = settled;
        publish('FeeLinesSettled', {
          ...visit,
          ...settled,
          needs_person: !sameMoney(medfee_sumamt, lines_sumamt),
        });
        break;
      }
      case 'FeeLinesUnsettled':
        publish('FeeLinesUnsettled', { ...visit, ...event.data });
        break;
      case 'FeeTotalsReconciled': {
        const { message_id, correlation_id, ...answer } = event.data;
        publish(
          'FeeTotalsReconciled',
          { ...visit, ...answer },
          { id: message_id, correlationId: correlation_id },
        );
        break;
      }
      default:
        // The other events are the ledger's own bookkeeping (received, waiting, in flight, undone).
        break;
    }
  }
  return messages;
}

function outboxMessage(
  type: string,
  data: unknown,
  ipt_no: string,
  topic: string,
  causedBy: Pick<Envelope, 'id' | 'correlationId'> | undefined,
): OutboxMessage {
  const contract = contractFor(type, 1);
  const envelope = createEnvelope({
    type,
    schemaVersion: contract.version,
    key: ipt_no,
    data: parseWith(contract.data, data),
    ...(causedBy && { causedBy }),
    traceparent: currentTraceparent(),
  });
  return outboxMessageOf(topic, envelope);
}
