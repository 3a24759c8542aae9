// The outbox relay as its own process, so that a test can SIGKILL it mid-batch:
//   node -r ./tools/runtime/ts-register.js libs/event-store/test/support/outbox-relay-process.ts
// Configured by DATABASE_URL, EVENT_STORE_SCHEMA, KAFKA_BROKERS and RELAY_BATCH_SIZE; prints one
// line per published batch on stdout; SIGTERM stops it gracefully.
import { Kafka, logLevel } from 'kafkajs';
import { createEventStoreDataSource, EventStore, OutboxRelay } from '../../src';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const dataSource = createEventStoreDataSource({
    databaseUrl: required('DATABASE_URL'),
    schema: required('EVENT_STORE_SCHEMA'),
  });
  await dataSource.initialize();
  const kafka = new Kafka({
    clientId: 'outbox-relay',
    brokers: required('KAFKA_BROKERS').split(','),
    logLevel: logLevel.NOTHING,
  });
  const relay = new OutboxRelay(new EventStore(dataSource), kafka, {
    batchSize: Number(process.env.RELAY_BATCH_SIZE ?? 50),
    pollIntervalMs: 50,
    onPublished: (count) => process.stdout.write(`published ${count}\n`),
    onError: (error) => process.stderr.write(`relay batch failed: ${String(error)}\n`),
  });
  relay.start();
  process.stdout.write('started\n');
  process.once('SIGTERM', () => {
    void relay
      .stop()
      .then(() => dataSource.destroy())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`outbox relay failed to start: ${String(error)}\n`);
  process.exit(1);
});
