// A replica's platform worker in a process of its own, for pending-work-leases.spec.ts to kill (SIGKILL) while
// it holds a key's lease: its work never ends, so the lease is held until the process dies, and is then left
// in the database as a killed service leaves it.
import { createEventStoreDataSource, EventStore } from '@yb/event-store';
import { PendingWorkLeases, PlatformWorker } from '../../src';

const [databaseUrl, schema, prefix, holder, leaseMs] = [
  'DATABASE_URL',
  'SERVICE_SCHEMA',
  'LEASE_PREFIX',
  'REPLICA_ID',
  'LEASE_MS',
].map((name) => {
  const value = process.env[name];
  if (!value) throw new Error(`leased-worker: ${name} is required`);
  return value;
});

async function main(): Promise<void> {
  const dataSource = createEventStoreDataSource({ databaseUrl, schema, poolSize: 2 });
  await dataSource.initialize();
  const store = new EventStore(dataSource);
  const worker = new PlatformWorker(
    holder,
    {
      run: (key) => {
        console.log(`holding ${key}`);
        return new Promise<void>(() => undefined);
      },
      owed: async (sweep) =>
        (await store.pendingWork(prefix, 1_000, sweep)).map((id) => id.slice(prefix.length)),
    },
    { concurrency: 1, leases: new PendingWorkLeases(store, prefix, holder, { leaseMs: Number(leaseMs) }) },
    console,
  );
  await worker.start();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
