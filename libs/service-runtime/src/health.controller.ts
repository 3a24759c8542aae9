import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { type ConsumerHealth, KafkaConsumerHost } from '@yb/messaging';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { KafkaAdminConnection, withinMs } from './kafka-admin';
import { ServiceLifecycle } from './service-lifecycle';

export interface ReadinessReport {
  status: 'ready' | 'not-ready';
  /** `platform` only for a service that calls it (ServiceRuntimeOptions.callsPlatform). */
  checks: { database: string; kafka: string; platform?: string; consumer: string };
}

const CHECK_TIMEOUT_MS = 3_000;

/**
 * Liveness (the process answers) and readiness (database, Kafka and platform sign-in all usable, and the consumer
 * consuming: not starting, not restarting after a crash, no message waiting out PostgreSQL or the broker).
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(KafkaAdminConnection) private readonly kafkaAdmin: KafkaAdminConnection,
    @Inject(ServiceLifecycle) private readonly lifecycle: ServiceLifecycle,
    @Inject(KafkaConsumerHost) private readonly consumer: KafkaConsumerHost,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'live' } {
    return { status: 'live' };
  }

  /** 200 when ready, 503 otherwise; the body says which check failed and why. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadinessReport> {
    const [database, kafka] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(async () => (await this.kafkaAdmin.get()).describeCluster()),
    ]);
    const checks: ReadinessReport['checks'] = {
      database,
      kafka,
      ...(this.lifecycle.callsPlatform && {
        platform: this.lifecycle.platformSignedIn ? 'ok' : 'not signed in (9001)',
      }),
      consumer: consumerCheck(this.consumer.health()),
    };
    const ok = Object.values(checks).every((c) => c === 'ok');
    response.status(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'not-ready', checks };
  }
}

async function check(probe: () => Promise<unknown>): Promise<string> {
  try {
    await withinMs(CHECK_TIMEOUT_MS, probe());
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function consumerCheck({ state, crash, waiting }: ConsumerHealth): string {
  if (waiting) {
    return `${waiting.records} message(s) waiting out an infrastructure fault since ${waiting.since.toISOString()}: ${waiting.error}`;
  }
  if (state === 'consuming') return 'ok';
  if (crash) return `${state} after a crash at ${crash.at.toISOString()}: ${crash.error}`;
  return state;
}
