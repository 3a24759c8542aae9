import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaConsumerHost } from './consumer-host';
import { KafkaPublisher } from './kafka-publisher';
import { type MessagingLogger } from './logger';
import { type RetryPolicy } from './retry-policy';

export interface MessagingModuleOptions {
  clientId: string;
  brokers: string[];
  /** The service's consumer group; with `topics`, enables the KafkaConsumerHost provider. */
  groupId: string;
  topics: string[];
  retry?: Partial<RetryPolicy>;
  partitionsConsumedConcurrently?: number;
  keysConsumedConcurrently?: number;
  sessionTimeoutMs?: number;
  logger?: MessagingLogger;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/**
 * Ties the host and the publisher to the NestJS lifecycle: handlers are registered by services in
 * onModuleInit, the consumer starts once the whole application is initialised, stops (finishing the
 * message in hand) before other modules close their database pools, and the publisher disconnects last.
 * Call app.enableShutdownHooks() so that SIGTERM runs this.
 */
@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  constructor(
    @Inject(KafkaConsumerHost) private readonly host: KafkaConsumerHost,
    @Inject(KafkaPublisher) private readonly publisher: KafkaPublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.publisher.connect();
    await this.host.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.host.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.disconnect();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: Kafka,
          useFactory: () =>
            new Kafka({ clientId: options.clientId, brokers: options.brokers, logLevel: logLevel.WARN }),
        },
        { provide: KafkaPublisher, inject: [Kafka], useFactory: (kafka: Kafka) => new KafkaPublisher(kafka) },
        {
          provide: KafkaConsumerHost,
          inject: [Kafka, KafkaPublisher],
          useFactory: (kafka: Kafka, publisher: KafkaPublisher) =>
            new KafkaConsumerHost({
              kafka,
              publisher,
              groupId: options.groupId,
              topics: options.topics,
              ...(options.retry && { retry: options.retry }),
              ...(options.partitionsConsumedConcurrently !== undefined && {
                partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
              }),
              ...(options.keysConsumedConcurrently !== undefined && {
                keysConsumedConcurrently: options.keysConsumedConcurrently,
              }),
              ...(options.sessionTimeoutMs !== undefined && { sessionTimeoutMs: options.sessionTimeoutMs }),
              ...(options.logger && { logger: options.logger }),
            }),
        },
        MessagingLifecycle,
      ],
      exports: [Kafka, KafkaPublisher, KafkaConsumerHost],
    };
  }
}
