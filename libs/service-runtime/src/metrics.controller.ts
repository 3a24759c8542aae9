import { Controller, Get, Header, Inject } from '@nestjs/common';
import { EventStore } from '@yb/event-store';
import { type ServiceMetrics } from '@yb/observability';
import { SERVICE_METRICS } from './tokens';

/** Prometheus text exposition of the service's registry. */
@Controller()
export class MetricsController {
  constructor(
    @Inject(SERVICE_METRICS) private readonly metrics: ServiceMetrics,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async metricsText(): Promise<string> {
    // Read at scrape time: a growing backlog means the relay cannot reach Kafka.
    const [{ backlog }] = await this.store.dataSource.query(
      `SELECT count(*)::int AS backlog FROM ${this.store.tables.outbox} WHERE published_at IS NULL`,
    );
    this.metrics.outboxBacklog.set(backlog);
    return this.metrics.metricsText();
  }
}
