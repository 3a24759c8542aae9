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
 * the record of truth. Its own producer, connected on first use, so that calls made before the consumer
 * starts (start-up recovery's 2601) are reported too.
 */
export class PlatformCallReporter {
  private readonly pending = new Set<Promise<void>>();
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
    const sending = this.send(envelope)
      .catch((err: unknown) => this.logger.warn({ ...about, err }, 'platform call report not published'))
      .finally(() => this.pending.delete(sending));
    this.pending.add(sending);
  }

  /** Lets the reports in flight finish, then disconnects; later reports are logged and dropped. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.pending]);
    if (this.connected) {
      this.connected = null;
      await this.publisher.disconnect();
    }
  }

  private async send(envelope: Envelope): Promise<void> {
    this.connected ??= this.publisher.connect().catch((err: unknown) => {
      this.connected = null;
      throw err;
    });
    await this.connected;
    await this.publisher.publish(this.topic, envelope);
  }
}
