import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { EventStore } from '@yb/event-store';
import { KafkaConsumerHost } from '@yb/messaging';
import { RECORDED_MESSAGE_TYPES, type RecordedMessageMetadata } from './recorded-messages';

export const DASHBOARD_CONSUMER = 'billing-dashboard';

/**
 * Records every message the read models need in the dashboard's own event log, once per message id (inbox and
 * event in one transaction); the projection builds the read models from that log, so that they can be rebuilt
 * without reading Kafka again. Validation and dead letters are the consumer host's, a message whose data.ipt_no
 * is not its key among them: the read models file it under the same visit as the services do.
 */
@Injectable()
export class RecordedMessageHandlers implements OnModuleInit {
  constructor(
    @Inject(KafkaConsumerHost) private readonly host: KafkaConsumerHost,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  onModuleInit(): void {
    for (const type of RECORDED_MESSAGE_TYPES) {
      this.host.handle(type, async ({ envelope }) => {
        const metadata: RecordedMessageMetadata = {
          message_id: envelope.id,
          occurred_at: envelope.occurredAt,
          correlation_id: envelope.correlationId,
        };
        await this.store.appendToStream(
          `inbound-${envelope.key}`,
          'any',
          [{ type, data: envelope.data, schemaVersion: envelope.schemaVersion, metadata: { ...metadata } }],
          { inboxMessageId: envelope.id, inboxConsumer: DASHBOARD_CONSUMER },
        );
      });
    }
  }
}
