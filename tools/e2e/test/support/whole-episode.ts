import {
  createEnvelope,
  currentVersion,
  parseMessage,
  type Envelope,
  type MessageOf,
  type MessageType,
} from '@yb/contracts';
import { KafkaPublisher, openEnvelope } from '@yb/messaging';
import { HospitalServices, testKafka, uniqueName, waitFor } from '@yb/testing';
import { type Consumer } from 'kafkajs';
import { type SimLedgerView } from './sim-ledger-view';

const WAIT = { timeoutMs: 120_000 };

/**
 * One visit from admission to the settlement list, across all five services and the simulator: the test
 * publishes as the HIS and reads the visit's results on insurance.inpatient. `hiPaymtd`: the hospital's
 * REPORTING_HI_PAYMTD.
 */
export class WholeEpisode {
  private readonly results: MessageOf<MessageType>[] = [];

  private constructor(
    readonly hospital: HospitalServices,
    readonly publisher: KafkaPublisher,
    private readonly reader: Consumer,
    readonly ipt_no: string,
  ) {}

  static async start(label: string, ipt_no: string, hiPaymtd: Record<string, string>): Promise<WholeEpisode> {
    const hospital = await HospitalServices.start({
      label,
      services: ['admission', 'fee-detail', 'quality', 'settlement', 'reporting'],
      serviceEnv: {
        reporting: {
          REPORTING_CRON: '*/2 * * * * *',
          REPORTING_SCHEDULE_CHECK_MS: '250',
          REPORTING_RETRY_BACKOFF_MS: '500',
          REPORTING_BILL_CODE: '42010024',
          REPORTING_HI_PAYMTD: JSON.stringify(hiPaymtd),
          REPORTING_FILL_DEPT: '病案室',
          REPORTING_FILL_PSN: '赵填报',
        },
      },
    });
    const kafka = testKafka();
    const publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    const reader = kafka.consumer({ groupId: uniqueName(`${label}-results`), maxWaitTimeInMs: 200 });
    const episode = new WholeEpisode(hospital, publisher, reader, ipt_no);
    await reader.connect();
    await reader.subscribe({ topic: hospital.topics.insuranceInpatient, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        episode.results.push(parseMessage(openEnvelope(JSON.parse(message.value!.toString()))));
      },
    });
    return episode;
  }

  async stop(): Promise<void> {
    await this.reader.disconnect();
    await this.publisher.disconnect();
    await this.hospital.stop();
  }

  ledger(): Promise<SimLedgerView> {
    return this.hospital.sim.admin<SimLedgerView>('GET', '/sim/ledger');
  }

  resultsOf<T extends MessageType>(type: T): MessageOf<T>[] {
    return this.results.filter((m): m is MessageOf<T> => m.type === type && m.key === this.ipt_no);
  }

  /** The first result of `type` for the visit; fails at once on a result that means the episode stopped. */
  awaitResult<T extends MessageType>(type: T, stoppers: MessageType[] = []): Promise<MessageOf<T>> {
    return waitFor(
      `${type} of ${this.ipt_no}`,
      () => {
        const [stopped] = stoppers.flatMap((s) => this.resultsOf(s));
        if (stopped) throw new Error(`${stopped.type}: ${JSON.stringify(stopped.data)}`);
        return this.resultsOf(type)[0];
      },
      WAIT,
    );
  }

  /** The reports of the visit uploaded once each of `infnos` is; fails at once on a refused upload. */
  uploaded(infnos: readonly string[]): Promise<MessageOf<'ReportUploaded'>[]> {
    return waitFor(
      `${infnos.join(', ')} uploaded`,
      () => {
        const [rejected] = this.resultsOf('ReportRejected');
        if (rejected) throw new Error(`ReportRejected: ${JSON.stringify(rejected.data)}`);
        const uploaded = this.resultsOf('ReportUploaded');
        return infnos.every((i) => uploaded.some((u) => u.data.infno === i)) ? uploaded : undefined;
      },
      WAIT,
    );
  }

  /** Publishes as the HIS, in the newest version of the message. */
  publishHis(topic: string, type: MessageType, data: unknown): Promise<Envelope> {
    const envelope = createEnvelope({ type, schemaVersion: currentVersion(type), key: this.ipt_no, data });
    return this.publisher.publish(topic, envelope).then(() => envelope);
  }
}
