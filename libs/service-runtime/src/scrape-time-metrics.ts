import { Inject, Injectable } from '@nestjs/common';
import { EventStore } from '@yb/event-store';
import { KafkaConsumerHost, consumerGroupLag } from '@yb/messaging';
import { type ServiceMetrics } from '@yb/observability';
import { type Logger } from 'pino';
import { KafkaAdminConnection, withinMs } from './kafka-admin';
import { PlatformWorkers } from './platform-worker';
import { SagaStateMetrics } from './saga-state-metrics';
import { StreamCacheMetrics } from './stream-cache-metrics';
import { type ServiceRuntimeOptions } from './service-runtime-options';
import { SERVICE_LOGGER, SERVICE_METRICS, SERVICE_RUNTIME_OPTIONS } from './tokens';

const READ_TIMEOUT_MS = 2_000;

/**
 * The gauges read from their source at each scrape rather than kept up to date by the code paths: outbox
 * backlog and quarantine (PostgreSQL), consumer lag (the broker: high watermark − the group's committed offset, so
 * that a stuck consumer shows a growing lag), sagas by state (the services' registered counts), the consumer's
 * state (the host's health, in memory) and the command handlers' stream caches (in memory). Each read is
 * bounded; one that fails keeps its last values and logs a warning, so that the others are still served.
 */
@Injectable()
export class ScrapeTimeMetrics {
  constructor(
    @Inject(SERVICE_METRICS) private readonly metrics: ServiceMetrics,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(KafkaAdminConnection) private readonly kafkaAdmin: KafkaAdminConnection,
    @Inject(SagaStateMetrics) private readonly sagaStates: SagaStateMetrics,
    @Inject(StreamCacheMetrics) private readonly streamCaches: StreamCacheMetrics,
    @Inject(PlatformWorkers) private readonly workers: PlatformWorkers,
    @Inject(SERVICE_RUNTIME_OPTIONS) private readonly options: ServiceRuntimeOptions,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
    @Inject(KafkaConsumerHost) private readonly consumer: KafkaConsumerHost,
  ) {}

  async refresh(): Promise<void> {
    const { state, waiting } = this.consumer.health();
    this.metrics.consumerUp.set(state === 'consuming' ? 1 : 0);
    this.metrics.consumerWaitingRecords.set(waiting?.records ?? 0);
    this.streamCaches.report(this.metrics);
    await Promise.all([
      this.read('yb_outbox_backlog', () => this.outboxBacklog()),
      this.read('yb_kafka_consumer_lag', () => this.consumerLag()),
      this.read('yb_sagas_by_state', () => this.sagasByState()),
    ]);
    for (const { worker, status } of this.workers.statuses())
      for (const [state, count] of Object.entries(status))
        this.metrics.platformWork.set({ worker, state }, count);
  }

  private async read(metric: string, refresh: () => Promise<void>): Promise<void> {
    try {
      await withinMs(READ_TIMEOUT_MS, refresh());
    } catch (err) {
      this.logger.warn({ err, metric }, 'metric not refreshed for this scrape; last values kept');
    }
  }

  private async outboxBacklog(): Promise<void> {
    // A growing backlog means the relay cannot reach Kafka (published rows are deleted from the outbox).
    const [{ backlog, quarantined }] = await this.store.dataSource.query(
      `SELECT (SELECT count(*)::int FROM ${this.store.tables.outbox}) AS backlog,
              (SELECT count(*)::int FROM ${this.store.tables.outboxQuarantine}) AS quarantined`,
    );
    this.metrics.outboxBacklog.set(backlog);
    this.metrics.outboxQuarantined.set(quarantined);
  }

  private async consumerLag(): Promise<void> {
    const { config, consumes } = this.options;
    const lags = await consumerGroupLag(await this.kafkaAdmin.get(), config.consumerGroup, consumes);
    this.metrics.consumerLag.reset();
    for (const { topic, partition, lag } of lags) {
      this.metrics.consumerLag.set({ topic, partition: String(partition) }, lag);
    }
  }

  private async sagasByState(): Promise<void> {
    const { counts, failed } = await this.sagaStates.read();
    for (const { saga, error } of failed) {
      this.logger.warn({ err: error, saga }, 'saga state counts not read for this scrape');
    }
    // States no instance is in any more disappear; a saga whose count failed is absent until it answers.
    this.metrics.sagasByState.reset();
    for (const { saga, state, count } of counts) this.metrics.sagasByState.set({ saga, state }, count);
  }
}
