import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Topics } from '@yb/contracts';
import { ensureTopics } from '@yb/messaging';
import {
  createTestSchema,
  kafkaBrokers,
  testHospitalEnv,
  testKafka,
  uniqueName,
  waitFor,
  type TestSchema,
} from '@yb/testing';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { ServiceRuntimeModule, serviceConfigFromEnv, topicName, type ReadinessReport } from '../src';

// The billing dashboard reads what the services did and sends the platform nothing: it must not sign in (a
// sign-in the platform counts against the hospital) nor wait for a platform to be ready. A platform that
// records every request shows what each kind of service sends at start.

const prefix = `${uniqueName('noplat')}.`.replace(/_/g, '-');
let platform: Server;
let platformUrl: string;
const received: string[] = [];
let schema: TestSchema;
const apps: INestApplication[] = [];

beforeAll(async () => {
  // The second service's 'platform unreachable' warning is the point of its test, not the test's output.
  process.env.LOG_LEVEL = 'error';
  // Answers nothing the client could take as a sign-in: a service that calls the platform stays not ready.
  platform = createServer((request, response) => {
    received.push(`${request.method} ${request.url}`);
    response.writeHead(503).end();
  });
  await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
  platformUrl = `http://127.0.0.1:${(platform.address() as AddressInfo).port}`;
  const admin = testKafka().admin();
  await admin.connect();
  await ensureTopics(admin, [`${prefix}${Topics.hisInpatient}`]).finally(() => admin.disconnect());
  schema = await createTestSchema('noplat');
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await schema?.drop();
  await new Promise((resolve) => platform?.close(resolve));
  const admin = testKafka().admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [`${prefix}${Topics.hisInpatient}`] }).finally(() => admin.disconnect());
}, 60_000);

async function start(callsPlatform: boolean | undefined): Promise<string> {
  const config = serviceConfigFromEnv(
    { serviceName: 'noplat-probe', httpPort: 0 },
    {
      ...testHospitalEnv(platformUrl, schema.schema),
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_CONSUMER_GROUP: uniqueName('noplat-probe'),
      DATABASE_URL: schema.databaseUrl,
      SERVICE_SCHEMA: schema.schema,
      // Each test's app is a replica of its own (the earlier one runs on until afterAll).
      REPLICA_ID: uniqueName('noplat-probe'),
    },
  );
  @Module({
    imports: [
      ServiceRuntimeModule.forRoot({
        config,
        consumes: [topicName(config, Topics.hisInpatient)],
        ...(callsPlatform !== undefined && { callsPlatform }),
      }),
    ],
  })
  class ProbeModule {}
  const app = await NestFactory.create(ProbeModule, { logger: false });
  apps.push(app);
  await app.listen(0, '127.0.0.1');
  return app.getUrl();
}

const readiness = async (baseUrl: string) => {
  const response = await fetch(`${baseUrl}/health/ready`);
  return { status: response.status, body: (await response.json()) as ReadinessReport };
};

it('a service that calls no platform starts without signing in and is ready without one', async () => {
  const baseUrl = await start(false);

  const ready = await waitFor('ready', async () => {
    const r = await readiness(baseUrl);
    return r.status === 200 ? r : undefined;
  });
  expect(ready.body).toEqual({
    status: 'ready',
    checks: { database: 'ok', kafka: 'ok', consumer: 'ok' },
  });
  expect(received).toEqual([]);
}, 60_000);

it('a service that calls the platform signs in first, and is not ready while the platform does not answer', async () => {
  const baseUrl = await start(undefined);

  await waitFor('the sign-in tried', () => (received.length > 0 ? true : undefined));
  const { status, body } = await readiness(baseUrl);
  expect(status).toBe(503);
  expect(body.checks.platform).toBe('not signed in (9001)');
}, 60_000);
