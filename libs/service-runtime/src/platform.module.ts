import { Module } from '@nestjs/common';
import { Topics } from '@yb/contracts';
import { KafkaPublisher } from '@yb/messaging';
import { type PlatformCallOutcome, type ServiceMetrics } from '@yb/observability';
import { PlatformClient } from '@yb/platform-client';
import { Kafka } from 'kafkajs';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { DatabaseModule } from './database.module';
import { ServiceMessagingModule } from './messaging.module';
import { PlatformCallRecovery } from './platform-call-recovery';
import { PlatformCallReporter } from './platform-call-reporter';
import { RegionalDictionaries } from './regional-dictionaries';
import { topicName, type ServiceConfig } from './service-config';
import { SERVICE_CONFIG, SERVICE_LOGGER, SERVICE_METRICS } from './tokens';

/**
 * The PlatformClient on the service's DataSource (its journal). Every settled call, in one place, is counted in
 * the service's metrics and reported as PlatformCallCompleted on insurance.platform-calls; ServiceLifecycle
 * signs the client in and out. The region's 1901 dictionaries extend the client's lists (RegionalDictionaries).
 */
@Module({
  imports: [DatabaseModule, ServiceMessagingModule],
  providers: [
    {
      provide: PlatformCallReporter,
      inject: [Kafka, SERVICE_CONFIG, SERVICE_LOGGER],
      useFactory: (kafka: Kafka, config: ServiceConfig, logger: Logger) =>
        new PlatformCallReporter(
          new KafkaPublisher(kafka),
          config.serviceName,
          topicName(config, Topics.platformCalls),
          logger,
        ),
    },
    {
      provide: PlatformClient,
      inject: [SERVICE_CONFIG, DataSource, SERVICE_METRICS, PlatformCallReporter],
      useFactory: (
        config: ServiceConfig,
        dataSource: DataSource,
        metrics: ServiceMetrics,
        reporter: PlatformCallReporter,
      ) =>
        new PlatformClient({
          config: config.platform,
          dataSource,
          onCallSettled: (call) => {
            metrics.observePlatformCall(
              call.infno,
              call.status.toLowerCase() as PlatformCallOutcome,
              call.seconds,
            );
            reporter.report(call);
          },
        }),
    },
    {
      provide: RegionalDictionaries,
      inject: [Kafka, SERVICE_CONFIG, SERVICE_LOGGER],
      useFactory: (kafka: Kafka, config: ServiceConfig, logger: Logger) =>
        new RegionalDictionaries(
          kafka,
          topicName(config, Topics.catalogueDictionaries),
          // Not the service's group name with a suffix: tools that find a service's group by its name's start
          // (the chaos harness's committed offsets) must not take this copy's group, which commits nothing.
          `dictionary-copy.${config.consumerGroup}`,
          logger,
        ),
    },
    PlatformCallRecovery,
  ],
  exports: [PlatformClient, PlatformCallRecovery, PlatformCallReporter, RegionalDictionaries],
})
export class PlatformModule {}
