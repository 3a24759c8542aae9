import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  createTestSchema,
  createTestTopics,
  kafkaBrokers,
  PlatformSimProcess,
  TcpProxy,
  testHospitalEnv,
  uniqueName,
  waitFor,
  type TestSchema,
  type TestTopics,
} from '@yb/testing';
import { type ReadinessReport, ServiceRuntimeModule, serviceConfigFromEnv } from '../src';

// A service (re)started while PostgreSQL or the platform is away starts once they are back, or without them, instead
// of exiting: PostgreSQL and the platform behind proxies that the test takes away and gives back.

describe('a service started during an outage', () => {
  let topics: TestTopics<'his'>;
  let sim: PlatformSimProcess;
  let schema: TestSchema;
  let app: INestApplication | undefined;
  const platform = { proxy: undefined as TcpProxy | undefined };
  const postgres = { proxy: undefined as TcpProxy | undefined };

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'error';
    [topics, sim, schema] = await Promise.all([
      createTestTopics(['his']),
      PlatformSimProcess.start(),
      createTestSchema('outage'),
    ]);
    const simUrl = new URL(sim.url);
    const db = new URL(schema.databaseUrl);
    platform.proxy = new TcpProxy({ host: simUrl.hostname, port: Number(simUrl.port) });
    postgres.proxy = new TcpProxy({ host: db.hostname, port: Number(db.port || 5432) });
    // Ports taken now, then taken away: both unreachable (connection refused) when the service starts.
    await Promise.all([platform.proxy.start(), postgres.proxy.start()]);
    await Promise.all([platform.proxy.stop(), postgres.proxy.stop()]);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await platform.proxy?.stop();
    await postgres.proxy?.stop();
    await sim?.stop();
    await schema?.drop();
    await topics?.delete();
  }, 60_000);

  it('waits for PostgreSQL, starts without the platform (not ready), and is ready once the platform answers', async () => {
    const db = new URL(schema.databaseUrl);
    db.port = String(postgres.proxy!.port);
    const simUrl = new URL(sim.url);
    simUrl.port = String(platform.proxy!.port);
    const config = serviceConfigFromEnv(
      { serviceName: 'outage-probe', httpPort: 0 },
      {
        ...testHospitalEnv(simUrl.origin, schema.schema),
        NHSA_TIMEOUT_MS: '1000',
        KAFKA_BROKERS: kafkaBrokers().join(','),
        KAFKA_CONSUMER_GROUP: uniqueName('outage-probe'),
        DATABASE_URL: db.toString(),
        SERVICE_SCHEMA: schema.schema,
      },
    );
    @Module({
      imports: [ServiceRuntimeModule.forRoot({ config, consumes: [topics.names.his] })],
    })
    class ProbeModule {}

    const started = (async () => {
      const created = await NestFactory.create(ProbeModule, { logger: false });
      await created.listen(0, '127.0.0.1');
      return created;
    })();
    // PostgreSQL comes back after 4 s: the start has been waiting, not failing.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    await postgres.proxy!.start();
    app = await started;
    const baseUrl = await app.getUrl();
    const readiness = async () => {
      const response = await fetch(`${baseUrl}/health/ready`);
      return { status: response.status, body: (await response.json()) as ReadinessReport };
    };

    // Up and consuming, the platform still away: not ready, and says why.
    const away = await readiness();
    expect(away.status).toBe(503);
    expect(away.body.checks).toMatchObject({ database: 'ok', platform: 'not signed in (9001)' });
    await waitFor('the consumer consuming', async () =>
      (await readiness()).body.checks.consumer === 'ok' ? true : undefined,
    );

    await platform.proxy!.start();
    const back = await waitFor(
      'ready once 9001 is answered',
      async () => {
        const r = await readiness();
        return r.status === 200 ? r : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(back.body.checks.platform).toBe('ok');
  }, 90_000);
});
