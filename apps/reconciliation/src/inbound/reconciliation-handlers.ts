import { shanghaiDateTime } from '@yb/platform-client';
import {
  currentTraceparent,
  type ConsumedMessage,
  type GroupedMessage,
  type KafkaConsumerHost,
} from '@yb/messaging';
import { type ReconciliationDayWorkflow } from '../reconciliation-day/reconciliation-day-workflow';
import { DayRefusal } from '../reconciliation-day/reconciliation-day.decider';
import { type LedgerRows } from '../settlement-ledger/ledger-rows';
import { type SettlementLedgerWorkflow } from '../settlement-ledger/settlement-ledger-workflow';
import { type SettlementLedgerCommand } from '../settlement-ledger/settlement-ledger.commands';

/** The inbox's name for this service's handlers. */
export const RECONCILIATION_CONSUMER = 'reconciliation';

const LEDGER_TYPES = ['AdmissionRegistered', 'Settled', 'SettlementCancelled'] as const;
type LedgerMessage = GroupedMessage<(typeof LEDGER_TYPES)[number]>;

function commandOf(message: LedgerMessage): SettlementLedgerCommand {
  const { envelope } = message;
  switch (envelope.type) {
    case 'AdmissionRegistered': {
      const { mdtrt_id, psn_no, insutype, insuplc_admdvs } = (
        envelope as ConsumedMessage<'AdmissionRegistered'>['envelope']
      ).data;
      return {
        type: 'NoteInsured',
        mdtrt_id,
        psn_no,
        ...(insutype && { insutype }),
        ...(insuplc_admdvs && { insuplc_admdvs }),
      };
    }
    case 'Settled':
      return { type: 'RecordSettlement', settled: (envelope as ConsumedMessage<'Settled'>['envelope']).data };
    case 'SettlementCancelled':
      return {
        type: 'RecordCancellation',
        cancelled: (envelope as ConsumedMessage<'SettlementCancelled'>['envelope']).data,
        published_at: shanghaiDateTime(new Date(envelope.occurredAt)),
      };
  }
}

/** Where a reconciliation request hands its day: the worker that talks to the platform. */
export interface DayQueue {
  schedule(stmt_date: string): void;
}

/**
 * The ledger: a visit's settlement results (and its registration) recorded in one append with their inbox
 * rows; a result it cannot place (no insutype or clearing agency anywhere) goes back to the consumer host,
 * which retries it alone and dead-letters it with the reason. ReconcileDay: a run of the day (3201, or the
 * 5262 / 5267 period checks it names) is recorded with who asked, and the day handed to the worker; the consumer never waits for the platform.
 * ExplainReconciliationDifference: the difference resolved as explained, with who and why (one the day never
 * found is dead-lettered with the reason). AdoptPlatformAmounts: recorded with who asked, and the day handed to
 * the worker (5203, then our row takes the platform's amounts). ReverseSettlementLocally: recorded with who
 * and why and the row's visit, and the day handed to the worker (the visit's ledger records the row reversed).
 * An action on a difference of another kind, or never found, is dead-lettered with the reason.
 */
export function registerReconciliationHandlers(
  host: KafkaConsumerHost,
  ledgers: SettlementLedgerWorkflow,
  days: ReconciliationDayWorkflow,
  rows: Pick<LedgerRows, 'rowOf'>,
  queue: DayQueue,
): void {
  host.handleGroup(LEDGER_TYPES, async (messages, done) => {
    const result = await ledgers.executeAll(
      messages[0].envelope.key,
      messages.map((message) => ({
        command: commandOf(message),
        messageId: message.envelope.id,
        traceparent: currentTraceparent(message.traceContext),
      })),
      RECONCILIATION_CONSUMER,
    );
    done(result.completed);
    const rejected = result.outcomes.find((outcome) => outcome.kind === 'rejected');
    if (rejected?.kind === 'rejected') throw rejected.error;
  });
  host.handle('ReconcileDay', async ({ envelope }) => {
    const { stmt_date, requested_by, checks } = envelope.data;
    await days.execute(
      stmt_date,
      { type: 'RequestReconciliation', requested_by: requested_by.username, ...(checks && { checks }) },
      { envelope, consumer: RECONCILIATION_CONSUMER },
    );
    queue.schedule(stmt_date);
  });
  host.handle('ExplainReconciliationDifference', async ({ envelope }) => {
    const { stmt_date, setl_id, explanation, requested_by } = envelope.data;
    await days.execute(
      stmt_date,
      {
        type: 'RecordResolution',
        setl_id,
        resolution: 'EXPLAINED',
        resolved_by: requested_by.username,
        explanation,
      },
      { envelope, consumer: RECONCILIATION_CONSUMER },
    );
  });
  host.handle('AdoptPlatformAmounts', async ({ envelope }) => {
    const { stmt_date, setl_id, requested_by } = envelope.data;
    await days.execute(
      stmt_date,
      { type: 'RequestAction', setl_id, action: { resolution: 'ADOPTED', requested_by } },
      { envelope, consumer: RECONCILIATION_CONSUMER },
    );
    queue.schedule(stmt_date);
  });
  host.handle('ReverseSettlementLocally', async ({ envelope }) => {
    const { stmt_date, setl_id, reason, requested_by } = envelope.data;
    // The visit's row as it stands (the worker reverses it in that visit's ledger); none: nothing to reverse.
    const row = await rows.rowOf(setl_id);
    if (!row)
      throw new DayRefusal(`settlement ${setl_id} is not in our ledger (reversed already, or never held)`);
    const { ipt_no, mdtrt_id, refd_setl_flag } = row;
    await days.execute(
      stmt_date,
      {
        type: 'RequestAction',
        setl_id,
        action: {
          resolution: 'REVERSED_LOCALLY',
          requested_by,
          reason,
          reversed: { ipt_no, mdtrt_id, refd_setl_flag },
        },
      },
      { envelope, consumer: RECONCILIATION_CONSUMER },
    );
    queue.schedule(stmt_date);
  });
}
