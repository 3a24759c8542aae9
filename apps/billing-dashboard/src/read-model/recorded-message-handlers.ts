import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { contractFor, type Envelope, Topics } from '@yb/contracts';
import { EventStore } from '@yb/event-store';
import { KafkaConsumerHost, PermanentHandlerError } from '@yb/messaging';
import { RECORDED_MESSAGE_TYPES, type RecordedMessageMetadata } from './recorded-messages';

export const DASHBOARD_CONSUMER = 'billing-dashboard';

/**
 * The HIS keys each visit's message by its ipt_no (the contract says so): the services act on the key, the read
 * models on data.ipt_no. A message whose two differ would put the admission on another visit than the one
 * admission registered (a stray visit in the list, the registered one with a blank slip), so it is refused.
 */
function visitKeyedHisMessage(envelope: Envelope): Envelope {
  if (contractFor(envelope.type, envelope.schemaVersion).topic !== Topics.hisInpatient) return envelope;
  const { ipt_no } = envelope.data as { ipt_no?: unknown };
  if (ipt_no !== envelope.key) {
    throw new PermanentHandlerError(
      `${envelope.type}: data.ipt_no ${String(ipt_no)} is not the message key ${envelope.key}, which the services file it under`,
    );
  }
  return envelope;
}

/**
 * Records every message the read models need in the dashboard's own event log, once per message id (inbox and
 * event in one transaction); the projection builds the read models from that log, so that they can be rebuilt
 * without reading Kafka again. Validation and dead letters are the consumer host's; a HIS message keyed by
 * another visit than its own is dead-lettered here.
 */
@Injectable()
export class RecordedMessageHandlers implements OnModuleInit {
  constructor(
    @Inject(KafkaConsumerHost) private readonly host: KafkaConsumerHost,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  onModuleInit(): void {
    for (const type of RECORDED_MESSAGE_TYPES) {
      this.host.handle(type, async (message) => {
        const envelope = visitKeyedHisMessage(message.envelope);
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
