import { createEnvelope, PlatformCallCompletedV1, type Envelope } from '@yb/contracts';
import { currentTraceparent, type KafkaPublisher } from '@yb/messaging';
import { type SettledCall } from '@yb/platform-client';
import { type Logger } from 'pino';

const ERR_MSG_MAX = 4_000;

/**
 * The PlatformCallCompleted envelope of a settled call: interface, msgid, outcome, latency and the visit
 * (ipt_no) — never the request or answer, which carry the patient's identity. Keyed by the visit, in the
 * trace of the call.
 */
export function platformCallCompletedEnvelope(
  service: string,
  call: SettledCall,
  traceparent: string | null,
): Envelope {
  const err_msg =
    call.err_msg === undefined || call.err_msg.length <= ERR_MSG_MAX
      ? call.err_msg
      : `${call.err_msg.slice(0, ERR_MSG_MAX - 1)}…`;
  return createEnvelope({
    type: PlatformCallCompletedV1.type,
    schemaVersion: PlatformCallCompletedV1.version,
    key: call.visitKey,
    traceparent,
    data: {
      service,
      infno: call.infno,
      msgid: call.msgid,
      outcome: call.status,
      duration_ms: Math.round(call.seconds * 1_000_000) / 1_000,
      ipt_no: call.visitKey,
      ...(err_msg !== undefined && { err_msg }),
    },
  });
}

/**
 * Publishes one PlatformCallCompleted per settled platform call on `insurance.platform-calls`, for the billing
 * office's platform-health view. In the background: the caller of the platform never waits for Kafka, and a
 * report that cannot be published is logged (with infno and msgid), not retried — the call journal stays
 * the record of truth. The reports settled while a produce request is in flight go together in the next one
 * (one request per call cost fee-detail a socket write per 2301). Its own producer, connected on first use,
 * so that calls made before the consumer starts (start-up recovery's 2601) are reported too.
 */
export class PlatformCallReporter {
  /** The reports waiting for the next produce request, in the order their calls settled. */
  private waiting: { envelope: Envelope; about: ReportAbout }[] = [];
  /** The produce requests' loop, while it runs. */
  private sending: Promise<void> | null = null;
  private connected: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly publisher: KafkaPublisher,
    private readonly service: string,
    /** The deployment's name of insurance.platform-calls (topicName()). */
    private readonly topic: string,
    private readonly logger: Logger,
  ) {}

  report(call: SettledCall): void {
    const about = { infno: call.infno, msgid: call.msgid, outcome: call.status };
    if (this.stopped) {
      this.logger.warn(about, 'platform call not reported: the service is stopping');
      return;
    }
    let envelope: Envelope;
    try {
      // Taken now, inside the call's span: the report belongs to the call's trace.
      envelope = platformCallCompletedEnvelope(this.service, call, currentTraceparent());
    } catch (err) {
      this.logger.warn({ ...about, err }, 'platform call not reported: invalid PlatformCallCompleted');
      return;
    }
    this.waiting.push({ envelope, about });
    this.sending ??= this.sendWaiting().finally(() => (this.sending = null));
  }

  /** Lets the reports in flight and waiting finish, then disconnects; later reports are logged and dropped. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.sending;
    if (this.connected) {
      this.connected = null;
      await this.publisher.disconnect();
    }
  }

  /** Sends what waits, one produce request at a time, until nothing does. */
  private async sendWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      const reports = this.waiting;
      this.waiting = [];
      try {
        this.connected ??= this.publisher.connect().catch((err: unknown) => {
          this.connected = null;
          throw err;
        });
        await this.connected;
        await this.publisher.publishAll(
          this.topic,
          reports.map((r) => r.envelope),
        );
      } catch (err) {
        for (const { about } of reports)
          this.logger.warn({ ...about, err }, 'platform call report not published');
      }
    }
  }
}

interface ReportAbout {
  infno: string;
  msgid: string;
  outcome: SettledCall['status'];
}
