import { Controller, Get, HttpCode, Inject, Res, type OnApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import { Kafka, type Admin } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ServiceLifecycle } from './service-lifecycle';

export interface ReadinessReport {
  status: 'ready' | 'not-ready';
  checks: { database: string; kafka: string; platform: string };
}

const CHECK_TIMEOUT_MS = 3_000;

/** Liveness (the process answers) and readiness (database, Kafka and platform sign-in all usable). */
@Controller('health')
export class HealthController implements OnApplicationShutdown {
  private admin: Promise<Admin> | null = null;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Kafka) private readonly kafka: Kafka,
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
      check(async () => (await this.kafkaAdmin()).describeCluster()),
    ]);
    const platform = this.lifecycle.platformSignedIn ? 'ok' : 'not signed in (9001)';
    const checks = { database, kafka, platform };
    const ok = Object.values(checks).every((c) => c === 'ok');
    response.status(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'not-ready', checks };
  }

  private kafkaAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((err: unknown) => {
      this.admin = null;
      throw err;
    });
    return this.admin;
  }

  async onApplicationShutdown(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    if (admin) await (await admin.catch(() => null))?.disconnect();
  }
}

async function check(probe: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}
