import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { KafkaAdminConnection, withinMs } from './kafka-admin';
import { ServiceLifecycle } from './service-lifecycle';

export interface ReadinessReport {
  status: 'ready' | 'not-ready';
  checks: { database: string; kafka: string; platform: string };
}

const CHECK_TIMEOUT_MS = 3_000;

/** Liveness (the process answers) and readiness (database, Kafka and platform sign-in all usable). */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(KafkaAdminConnection) private readonly kafkaAdmin: KafkaAdminConnection,
    @Inject(ServiceLifecycle) private readonly lifecycle: ServiceLifecycle,
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
    const platform = this.lifecycle.platformSignedIn ? 'ok' : 'not signed in (9001)';
    const checks = { database, kafka, platform };
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
