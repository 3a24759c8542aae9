import { type Envelope, MessageHeaders, parseMessage } from '@yb/contracts';
import { type Kafka, type Message, type Producer, type RecordMetadata } from 'kafkajs';
import { currentTraceparent } from './trace-context';

/**
 * Publishes to Kafka with an idempotent producer (no duplicates from producer retries, order kept
 * per partition). Services publish their events through the event store's outbox; this is for
 * direct sends: dead letters, tools and tests.
 */
export class KafkaPublisher {
  private readonly producer: Producer;
  private connected = false;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }

  /**
   * Validates the envelope against its contract (publishing an invalid message is a bug: it throws
   * before anything is sent) and sends it keyed by the visit, with the trace context of the envelope
   * or, when it has none, of the active span.
   */
  async publish(topic: string, envelope: Envelope): Promise<RecordMetadata[]> {
    parseMessage(envelope);
    const traceparent = envelope.traceparent ?? currentTraceparent();
    const message: Message = {
      key: envelope.key,
      value: JSON.stringify({ ...envelope, traceparent }),
      headers: {
        [MessageHeaders.messageId]: envelope.id,
        [MessageHeaders.messageType]: envelope.type,
        [MessageHeaders.schemaVersion]: String(envelope.schemaVersion),
        [MessageHeaders.contentType]: 'application/json',
        ...(traceparent && { [MessageHeaders.traceparent]: traceparent }),
      },
    };
    return this.publishRecords(topic, [message]);
  }

  /** Sends records as they are, unvalidated (dead letters keep the original bytes). */
  async publishRecords(topic: string, messages: Message[]): Promise<RecordMetadata[]> {
    if (!this.connected) throw new Error('KafkaPublisher is not connected: call connect() first');
    return this.producer.send({ topic, messages });
  }
}
