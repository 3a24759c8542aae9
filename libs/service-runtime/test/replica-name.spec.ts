import { ChildService, databaseUrl, uniqueName } from '@yb/testing';
import { ReplicaName, ReplicaNameInUseError } from '../src';

// A replica's name (REPLICA_ID) is held by one live process at a time, on the real PostgreSQL.
describe('ReplicaName', () => {
  const schema = uniqueName('t_replica_name');
  const held: ReplicaName[] = [];
  const name = (replicaId: string, inSchema = schema) => {
    const replica = new ReplicaName(databaseUrl(), inSchema, replicaId);
    held.push(replica);
    return replica;
  };

  afterEach(async () => {
    await Promise.all(held.splice(0).map((r) => r.release()));
  });

  it('refuses a second live process given the same name, naming the one that holds it', async () => {
    await name('fee-detail#0').hold();
    const twin = name('fee-detail#0').hold();
    await expect(twin).rejects.toBeInstanceOf(ReplicaNameInUseError);
    await expect(twin).rejects.toThrow(
      new RegExp(`held by another live process of this service \\("fee-detail#0 pid ${process.pid}@`),
    );
  }, 30_000);

  it('lets replicas with names of their own, and another service with the same name, start side by side', async () => {
    await name('fee-detail#0').hold();
    await name('fee-detail#1').hold();
    await name('fee-detail#0', `${schema}_other`).hold();
  });

  it('is free again for the next process once the holder shuts down', async () => {
    const first = name('fee-detail#0');
    await first.hold();
    await first.release();
    await name('fee-detail#0').hold();
  });

  it('is free again for the restart of a process killed while it held the name, within seconds', async () => {
    const killed = await ChildService.start(
      'libs/service-runtime/test/support/replica-name-holder.ts',
      { ...process.env, DATABASE_URL: databaseUrl(), SERVICE_SCHEMA: schema, REPLICA_ID: 'settlement#1' },
      /holding settlement#1/,
    );
    expect(await killed.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    const restartedAt = Date.now();
    await name('settlement#1').hold();
    expect(Date.now() - restartedAt).toBeLessThan(5_000);
  }, 60_000);
});
