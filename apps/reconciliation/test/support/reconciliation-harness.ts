import { commandTopic, createEnvelope, parseMessage, type MessageOf, type MessageType } from '@yb/contracts';
import { KafkaPublisher, openEnvelope } from '@yb/messaging';
import { databaseUrl, HospitalServices, testKafka, uniqueName, waitFor, withClient } from '@yb/testing';
import Decimal from 'decimal.js';
import { type Consumer } from 'kafkajs';
import { HospitalCashier, type PlatformSettlement } from './hospital-cashier';

export const WAIT = { timeoutMs: 90_000 };
export const operator = { username: 'zhangli', role: 'operator' as const };

/**
 * reconciliation as production runs it (a child process on the real Kafka and PostgreSQL, the schedule off)
 * against the platform sandbox, with the test's cashier and its side of the service (reading `topics`).
 */
export async function startReconciliation(
  label: string,
  topics: readonly string[],
): Promise<{ hospital: HospitalServices; cashier: HospitalCashier; harness: ReconciliationHarness }> {
  const hospital = await HospitalServices.start({
    label,
    services: ['reconciliation'],
    env: {
      NHSA_TIMEOUT_MS: '5000',
      OTEL_SDK_DISABLED: 'true',
      DATABASE_POOL_SIZE: '6',
      CONSUMER_KEY_CONCURRENCY: '2',
    },
    serviceEnv: { reconciliation: { RECONCILIATION_CRON: 'off' } },
  });
  const cashier = await HospitalCashier.start(hospital.sim.url, hospital.msgidSchema);
  const harness = await ReconciliationHarness.start(hospital, topics);
  return { hospital, cashier, harness };
}

/**
 * The test's side of a running reconciliation service: it publishes the saga's Settled results and the
 * dashboard's ReconcileDay, and reads what the service publishes on the given topics.
 */
export class ReconciliationHarness {
  readonly results: MessageOf<MessageType>[] = [];

  private constructor(
    private readonly hospital: HospitalServices,
    private readonly publisher: KafkaPublisher,
    private readonly reader: Consumer,
  ) {}

  static async start(hospital: HospitalServices, topics: readonly string[]): Promise<ReconciliationHarness> {
    const kafka = testKafka();
    const publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    const reader = kafka.consumer({ groupId: uniqueName('reconciliation-results'), maxWaitTimeInMs: 200 });
    await reader.connect();
    await reader.subscribe({ topics: topics.map((t) => hospital.topic(t)), fromBeginning: true });
    const harness = new ReconciliationHarness(hospital, publisher, reader);
    await reader.run({
      eachMessage: async ({ message }) =>
        void harness.results.push(parseMessage(openEnvelope(JSON.parse(message.value!.toString())))),
    });
    return harness;
  }

  async stop(): Promise<void> {
    await this.reader.disconnect();
    await this.publisher.disconnect();
  }

  ofType<T extends MessageType>(type: T): MessageOf<T>[] {
    return this.results.filter((m): m is MessageOf<T> => m.type === type);
  }

  async publishSettled(
    s: PlatformSettlement,
    changes: Partial<PlatformSettlement['settled']> = {},
  ): Promise<void> {
    await this.publisher.publish(
      this.hospital.topics.insuranceInpatient,
      createEnvelope({
        type: 'Settled',
        schemaVersion: 1,
        key: s.ipt_no,
        data: { ...s.settled, ...changes },
      }),
    );
  }

  /** The saga's SettlementCancelled of `s` (a refund, `refund_setl_id`, at the same time), which the platform may lack. */
  async publishCancelled(s: PlatformSettlement, refund_setl_id: string): Promise<void> {
    const negated = (amount: string) => new Decimal(amount).neg().toFixed(2);
    await this.publisher.publish(
      this.hospital.topics.insuranceInpatient,
      createEnvelope({
        type: 'SettlementCancelled',
        schemaVersion: 1,
        key: s.ipt_no,
        data: {
          ipt_no: s.ipt_no,
          mdtrt_id: s.mdtrt_id,
          setl_id: refund_setl_id,
          init_setl_id: s.setl_id,
          medfee_sumamt: negated(s.settled.medfee_sumamt),
          fund_pay_sumamt: negated(s.settled.fund_pay_sumamt),
          acct_pay: negated(s.settled.acct_pay),
          psn_cash_pay: negated(s.settled.psn_cash_pay),
          setl_time: s.settled.setl_time,
        },
      }),
    );
  }

  /** A command on reconciliation's command topic, keyed by the day (as the dashboard sends it). */
  async command(
    type:
      | 'ReconcileDay'
      | 'ExplainReconciliationDifference'
      | 'AdoptPlatformAmounts'
      | 'ReverseSettlementLocally',
    stmt_date: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    await this.publisher.publish(
      this.hospital.topic(commandTopic('reconciliation')),
      createEnvelope({ type, schemaVersion: 1, key: stmt_date, data: { stmt_date, ...data } }),
    );
  }

  /** Asks for a run of the day and waits for its end. */
  async reconcile(stmt_date: string, runNo: number): Promise<MessageOf<'ReconciliationCompleted'>> {
    await this.command('ReconcileDay', stmt_date, { requested_by: operator });
    return waitFor(
      `run ${runNo} of ${stmt_date}`,
      () =>
        this.ofType('ReconciliationCompleted').find(
          (m) => m.data.stmt_date === stmt_date && m.data.run === runNo,
        ),
      WAIT,
    );
  }

  /** Waits until the ledger's table holds every one of `setl_ids` (a day's results, before its run is asked). */
  ledgerHoldsAll(setl_ids: readonly string[]): Promise<true> {
    return waitFor(
      `${setl_ids.length} settlements in the ledger`,
      async () => (await this.ledgerFunds(setl_ids)).size === new Set(setl_ids).size || undefined,
      WAIT,
    );
  }

  /**
   * Waits until the ledger's table follows the repairs of `found` (its projection, a moment after each
   * resolution): a platform's row adopted, the platform's amounts taken, a row reversed gone.
   */
  ledgerReflects(found: readonly MessageOf<'ReconciliationDifferenceFound'>['data'][]): Promise<true> {
    return waitFor(
      `the ledger repaired (${found.length} differences)`,
      async () => {
        const funds = await this.ledgerFunds(found.map((f) => f.setl_id));
        return (
          found.every((f) =>
            f.kind === 'HOSPITAL_ONLY'
              ? !funds.has(f.setl_id)
              : funds.get(f.setl_id) === f.platform?.fund_pay_sumamt,
          ) || undefined
        );
      },
      WAIT,
    );
  }

  /** setl_id → fund_pay_sumamt of those of `setl_ids` the ledger's table holds. */
  private async ledgerFunds(setl_ids: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await withClient(databaseUrl(), (c) =>
      c.query<{ setl_id: string; fund: string }>(
        `SELECT setl_id, fund_pay_sumamt::text AS fund FROM "${this.hospital.schemaOf('reconciliation')}".ledger_rows
          WHERE setl_id = ANY($1)`,
        [setl_ids],
      ),
    );
    return new Map(rows.map((r) => [r.setl_id, r.fund]));
  }

  /**
   * A ReconcileDay on the command topic may overtake the Settled results just published on insurance.inpatient:
   * a test asks only once the ledger holds them, as a person asks about a day long closed.
   */
  ledgerHolds(rows: number): Promise<number> {
    return waitFor(
      `${rows} rows in the ledger`,
      async () => {
        const {
          rows: [{ count }],
        } = await withClient(databaseUrl(), (c) =>
          c.query(
            `SELECT count(*)::int AS count FROM "${this.hospital.schemaOf('reconciliation')}".ledger_rows`,
          ),
        );
        return count >= rows ? count : undefined;
      },
      WAIT,
    );
  }
}
