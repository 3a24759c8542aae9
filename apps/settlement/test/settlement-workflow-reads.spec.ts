import { randomUUID } from 'node:crypto';
import { SettlementRequestedV2 } from '@yb/contracts';
import { createEventStoreDataSource, EventStore, runEventStoreMigrations } from '@yb/event-store';
import { createTestSchema, waitFor, type TestSchema } from '@yb/testing';
import pino from 'pino';
import { type DataSource } from 'typeorm';
import { SagaSweeper } from '../src/inbound/saga-sweeper';
import { SagaIndex } from '../src/saga/saga-index';
import { type SettlementRequest } from '../src/saga/saga.commands';
import { sagaStreamId, type SettlementWorkflow } from '../src/saga/settlement-workflow';
import { settlementConfigFromEnv } from '../src/settlement-config';
import { offlineSettlementWorkflow } from './support/offline-workflow';

// What the saga reads per message, on the real PostgreSQL: under the visit's lock, the stream once (another
// replica may have appended before the lock was taken), and not again after the workflow's own append.
describe("the settlement workflow's reads", () => {
  let schema: TestSchema;
  const dataSources: DataSource[] = [];
  const stores: EventStore[] = [];
  const workflows: SettlementWorkflow[] = [];

  beforeAll(async () => {
    schema = await createTestSchema('settlement_reads');
    for (let replica = 0; replica < 2; replica++) {
      const dataSource = createEventStoreDataSource({
        databaseUrl: schema.databaseUrl,
        schema: schema.schema,
      });
      if (replica === 0) await runEventStoreMigrations(dataSource);
      else await dataSource.initialize();
      dataSources.push(dataSource);
      const store = new EventStore(dataSource);
      stores.push(store);
      workflows.push(offlineSettlementWorkflow(dataSource, store));
    }
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    await schema.drop();
  });

  const registration = (replica: number, ipt_no: string, mdtrt_id: string) =>
    workflows[replica]!.handle(
      ipt_no,
      { type: 'NoteRegistration', registration: { mdtrt_id, psn_no: 'PSN-1' } },
      {
        envelope: { id: randomUUID(), correlationId: randomUUID() },
        consumer: 'settlement.AdmissionRegistered',
      },
    );

  it('reads the saga once per message, and sees what another replica appended before it', async () => {
    const reads = stores.map((store) => jest.spyOn(store, 'readStreamAndInbox'));
    await registration(0, 'IPT-READS', 'MDTRT-1');
    await registration(0, 'IPT-READS', 'MDTRT-2');
    expect(reads[0]).toHaveBeenCalledTimes(2);
    await registration(1, 'IPT-READS', 'MDTRT-3');
    await registration(0, 'IPT-READS', 'MDTRT-4');
    expect(reads[1]).toHaveBeenCalledTimes(1);
    expect(reads[0]).toHaveBeenCalledTimes(3);
    const noted = (await stores[0]!.readStream(sagaStreamId('IPT-READS'))).map((e) => [e.type, e.data]);
    expect(noted).toEqual(
      ['MDTRT-1', 'MDTRT-2', 'MDTRT-3', 'MDTRT-4'].map((mdtrt_id) => [
        'RegistrationNoted',
        { mdtrt_id, psn_no: 'PSN-1' },
      ]),
    );
    expect((await workflows[0]!.load('IPT-READS')).visit).toMatchObject({ mdtrt_id: 'MDTRT-4' });
  });

  const sweeper = (replica: number, index = new SagaIndex()) =>
    new SagaSweeper(
      stores[replica]!,
      workflows[replica]!,
      index,
      settlementConfigFromEnv({}),
      pino({ level: 'silent' }),
    );

  it("has the sweeper read only the sagas its process does not hold at their stream's version", async () => {
    await registration(0, 'IPT-SWEEP', 'MDTRT-1');
    const reads = stores.map((store) => jest.spyOn(store, 'readStreamAndInbox'));
    // Replica 0 appended both sagas' last events itself; replica 1 holds IPT-READS one event behind, IPT-SWEEP not.
    await sweeper(0).resumeAll();
    expect(reads[0]).not.toHaveBeenCalled();
    await sweeper(1).resumeAll();
    expect(reads[1]!.mock.calls.map(([streamId]) => streamId).sort()).toEqual([
      sagaStreamId('IPT-READS'),
      sagaStreamId('IPT-SWEEP'),
    ]);
    await sweeper(1).resumeAll();
    expect(reads[1]).toHaveBeenCalledTimes(2);
  });

  it('starts from the visits open at the checkpoint and the sagas changed since, not every saga ever written', async () => {
    for (const ipt_no of ['IPT-DONE-1', 'IPT-DONE-2', 'IPT-DONE-3'])
      await registration(0, ipt_no, `M-${ipt_no}`);
    // A request for a visit not registered yet: held for the registration, an open visit.
    const request = { ...(SettlementRequestedV2.example as SettlementRequest), ipt_no: 'IPT-HELD' };
    await workflows[0]!.handle('IPT-HELD', {
      type: 'RequestSettlement',
      request,
      settings: workflows[0]!.sagaSettings,
    });
    // Written over a minute ago: past the window in which a late commit may still land below a position read.
    await dataSources[0]!.query(
      `UPDATE ${stores[0]!.tables.events} SET recorded_at = recorded_at - interval '2 minutes'`,
    );
    // The first start reads every saga, and checkpoints the index.
    await sweeper(0).resumeAll();
    await registration(0, 'IPT-LATER', 'M-LATER');

    const loads = jest.spyOn(workflows[1]!, 'load');
    const index = new SagaIndex();
    await sweeper(1, index).resumeAll();
    expect(loads.mock.calls.map(([ipt_no]) => ipt_no).sort()).toEqual(['IPT-HELD', 'IPT-LATER']);
    expect(index.get('IPT-HELD')).toMatchObject({ held: true, status: null });
  });

  it('has the next sweep read every saga when a start failed before every open visit was in', async () => {
    // The checkpoint the last test left names IPT-HELD open; reading it fails once.
    const load = workflows[1]!.load.bind(workflows[1]!);
    let failed = false;
    jest.spyOn(workflows[1]!, 'load').mockImplementation(async (ipt_no, knownVersion) => {
      if (ipt_no === 'IPT-HELD' && !failed) {
        failed = true;
        throw new Error('connection terminated');
      }
      return load(ipt_no, knownVersion);
    });
    const index = new SagaIndex();
    const started = new SagaSweeper(
      stores[1]!,
      workflows[1]!,
      index,
      settlementConfigFromEnv({ SETTLEMENT_SWEEP_INTERVAL_MS: '20' }),
      pino({ level: 'silent' }),
    );
    await started.onApplicationBootstrap();
    try {
      await waitFor('IPT-HELD in the index', () => index.get('IPT-HELD'), { timeoutMs: 10_000 });
      expect(failed).toBe(true);
    } finally {
      await started.beforeApplicationShutdown();
    }
  });
});
