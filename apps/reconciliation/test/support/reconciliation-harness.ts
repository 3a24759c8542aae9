import { commandTopic, createEnvelope, parseMessage, type MessageOf, type MessageType } from '@yb/contracts';
import { KafkaPublisher, openEnvelope } from '@yb/messaging';
import { databaseUrl, HospitalServices, testKafka, uniqueName, waitFor, withClient } from '@yb/testing';
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
      () => this.ofType('ReconciliationCompleted').find((m) => m.data.run === runNo),
      WAIT,
    );
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
