import { Module } from '@nestjs/common';
import { EventStore, OutboxRelay } from '@yb/event-store';
import { KafkaConsumerHost, KafkaPublisher, kafkaLogCreator } from '@yb/messaging';
import { type ServiceMetrics } from '@yb/observability';
import { Kafka, logLevel } from 'kafkajs';
import { type Logger } from 'pino';
import { DatabaseModule } from './database.module';
import { DeadLetterPayloads } from './dead-letter-payloads';
import { KafkaAdminConnection } from './kafka-admin';
import { type ServiceConfig } from './service-config';
import { type ServiceRuntimeOptions } from './service-runtime-options';
import { SERVICE_CONFIG, SERVICE_LOGGER, SERVICE_METRICS, SERVICE_RUNTIME_OPTIONS } from './tokens';

/**
 * Kafka for the service: the consumer host (services register their handlers on it in onModuleInit; its dead
 * letters are counted in yb_dead_letters_total, its crashes in yb_consumer_crashes_total, and the payload of a
 * dead letter too large for its topic is kept in dead_letter_payloads), the outbox relay (a row quarantined as too
 * large is logged; yb_outbox_quarantined counts them at scrape), a publisher for direct sends (dead letters) and an
 * admin client for probes. ServiceLifecycle starts and stops them.
 */
@Module({
  imports: [DatabaseModule],
  providers: [
    {
      provide: Kafka,
      inject: [SERVICE_CONFIG, SERVICE_LOGGER],
      useFactory: (config: ServiceConfig, logger: Logger) =>
        new Kafka({
          clientId: config.serviceName,
          brokers: [...config.kafkaBrokers],
          logLevel: logLevel.WARN,
          // kafkajs' lines in the service's format; what it retries by itself stays quiet while brief.
          logCreator: kafkaLogCreator(logger),
        }),
    },
    { provide: KafkaPublisher, inject: [Kafka], useFactory: (kafka: Kafka) => new KafkaPublisher(kafka) },
    {
      provide: KafkaConsumerHost,
      inject: [
        Kafka,
        KafkaPublisher,
        EventStore,
        SERVICE_CONFIG,
        SERVICE_RUNTIME_OPTIONS,
        SERVICE_LOGGER,
        SERVICE_METRICS,
      ],
      useFactory: (
        kafka: Kafka,
        publisher: KafkaPublisher,
        store: EventStore,
        config: ServiceConfig,
        options: ServiceRuntimeOptions,
        logger: Logger,
        metrics: ServiceMetrics,
      ) =>
        new KafkaConsumerHost({
          kafka,
          publisher,
          groupId: config.consumerGroup,
          topics: options.consumes,
          keysConsumedConcurrently: config.consumerKeyConcurrency,
          logger,
          deadLetterPayloads: new DeadLetterPayloads(store),
          onDeadLetter: ({ topic, reason }) => metrics.deadLetters.inc({ topic, reason }),
          onCrash: () => metrics.consumerCrashes.inc(),
          ...(options.retry && { retry: options.retry }),
        }),
    },
    KafkaAdminConnection,
    {
      provide: OutboxRelay,
      inject: [EventStore, Kafka, SERVICE_LOGGER],
      useFactory: (store: EventStore, kafka: Kafka, logger: Logger) =>
        new OutboxRelay(store, kafka, {
          onError: (error) =>
            logger.error({ err: error }, 'outbox relay: batch not published or LISTEN lost; will retry'),
          onQuarantined: ({ messageId, topic, bytes, reason }) =>
            logger.error(
              { messageId, topic, bytes, reason },
              'outbox relay: message too large for Kafka moved to outbox_quarantine',
            ),
        }),
    },
  ],
  exports: [Kafka, KafkaPublisher, KafkaConsumerHost, OutboxRelay, KafkaAdminConnection],
})
export class ServiceMessagingModule {}
