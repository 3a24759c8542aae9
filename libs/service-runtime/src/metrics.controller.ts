import { Controller, Get, Header, Inject } from '@nestjs/common';
import { type ServiceMetrics } from '@yb/observability';
import { ScrapeTimeMetrics } from './scrape-time-metrics';
import { SERVICE_METRICS } from './tokens';

/** Prometheus text exposition of the service's registry. */
@Controller()
export class MetricsController {
  constructor(
    @Inject(SERVICE_METRICS) private readonly metrics: ServiceMetrics,
    @Inject(ScrapeTimeMetrics) private readonly scrapeTime: ScrapeTimeMetrics,
  ) {}

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async metricsText(): Promise<string> {
    await this.scrapeTime.refresh();
    return this.metrics.metricsText();
  }
}
