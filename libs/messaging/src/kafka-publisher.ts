import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { type Envelope, MessageHeaders, parseMessage } from '@yb/contracts';
import {
  type Admin,
  type CompressionTypes,
  type Kafka,
  type Message,
  Partitioners,
  type Producer,
  type RecordMetadata,
} from 'kafkajs';
import { TopicPartitioner, sendAcknowledged } from './acknowledged-send';
import { contextFromTraceparent, currentTraceparent } from './trace-context';

const tracer = trace.getTracer('@yb/messaging');

/**
 * Publishes to Kafka with an idempotent producer (no duplicates from producer retries, order kept
 * per partition). Services publish their events through the event store's outbox; this is for
 * direct sends: dead letters, tools and tests.
 */
export class KafkaPublisher {
  private readonly producer: Producer;
  /** Reads the topics' partitions, to set each message's partition and check every one was acknowledged. */
  private readonly admin: Admin;
  private readonly partitioner: TopicPartitioner;
  private connected = false;

  constructor(kafka: Kafka) {
    // The default (murmur2, Java-compatible) partitioner named, as the outbox relay does: kafkajs warns otherwise.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.admin = kafka.admin();
    this.partitioner = new TopicPartitioner(this.admin);
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await Promise.all([this.producer.connect(), this.admin.connect()]);
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
  }

  /**
   * Validates the envelope against its contract (publishing an invalid message is a bug: it throws
   * before anything is sent) and sends it keyed by the visit inside a `<topic> publish` PRODUCER span,
   * the child of the envelope's traceparent or, when it has none, of the active span; the record
   * carries that span's traceparent.
   */
  async publish(topic: string, envelope: Envelope): Promise<RecordMetadata[]> {
    return this.publishAll(topic, [envelope]);
  }

  /**
   * publish() for several envelopes in one produce request (each validated, each in its own span): a load
   * generator's batch. Returns one RecordMetadata per partition written.
   */
  async publishAll(topic: string, envelopes: readonly Envelope[]): Promise<RecordMetadata[]> {
    for (const envelope of envelopes) parseMessage(envelope);
    const spans = envelopes.map((envelope) => {
      const parent = envelope.traceparent ? contextFromTraceparent(envelope.traceparent) : context.active();
      const span = tracer.startSpan(
        `${topic} publish`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'send',
            'messaging.destination.name': topic,
            'messaging.kafka.message.key': envelope.key,
            'messaging.message.id': envelope.id,
            'yb.message.type': envelope.type,
          },
        },
        parent,
      );
      return { span, parent };
    });
    const messages = envelopes.map((envelope, i): Message => {
      const { span, parent } = spans[i]!;
      // Without a tracer provider the span is a no-op and the parent's traceparent goes out unchanged.
      const traceparent = currentTraceparent(trace.setSpan(parent, span)) ?? envelope.traceparent;
      return {
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
    });
    try {
      return await this.publishRecords(topic, messages);
    } catch (err) {
      for (const { span } of spans) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      }
      throw err;
    } finally {
      for (const { span } of spans) span.end();
    }
  }

  /** Sends records as they are, unvalidated (dead letters keep the original bytes), compressed if asked. */
  async publishRecords(
    topic: string,
    messages: Message[],
    compression?: CompressionTypes,
  ): Promise<RecordMetadata[]> {
    if (!this.connected) throw new Error('KafkaPublisher is not connected: call connect() first');
    const partitioned = await this.partitioner.assign(topic, messages);
    // A topic not created yet: the producer's send creates it; the next send, with partitions known, is checked.
    if (!partitioned)
      return this.producer.send({ topic, messages, ...(compression !== undefined && { compression }) });
    return sendAcknowledged(this.producer, {
      topicMessages: [{ topic, messages: partitioned }],
      ...(compression !== undefined && { compression }),
    });
  }
}
