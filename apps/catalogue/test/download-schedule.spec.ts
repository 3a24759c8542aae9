import { createEventStoreDataSource, EventStore, runEventStoreMigrations } from '@yb/event-store';
import { createTestSchema, type TestSchema } from '@yb/testing';
import { type DataSource } from 'typeorm';
import {
  DownloadScheduleWorkflow,
  SCHEDULE_STREAM,
} from '../src/download-schedule/download-schedule-workflow';

// Two replicas share the schedule's stream in the real PostgreSQL: each sees the same slot due; one takes it.
describe("the scheduled downloads' stream, shared by two replicas", () => {
  let schema: TestSchema;
  const dataSources: DataSource[] = [];
  let replicas: DownloadScheduleWorkflow[];
  let store: EventStore;

  beforeAll(async () => {
    schema = await createTestSchema('catalogue_schedule');
    for (let i = 0; i < 2; i++) {
      dataSources.push(
        createEventStoreDataSource({ databaseUrl: schema.databaseUrl, schema: schema.schema }),
      );
    }
    await runEventStoreMigrations(dataSources[0]!);
    await dataSources[1]!.initialize();
    store = new EventStore(dataSources[0]!);
    replicas = dataSources.map((dataSource) => new DownloadScheduleWorkflow(new EventStore(dataSource)));
  });

  afterAll(async () => {
    await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    await schema.drop();
  });

  it('is started once, and owes the slots after that start', async () => {
    await replicas[0]!.start(new Date('2024-05-09T00:30:00Z'));
    await replicas[1]!.start(new Date('2024-05-09T00:31:00Z'));
    expect(await replicas[1]!.slotsDoneUntil()).toEqual(new Date('2024-05-09T00:30:00Z'));
  });

  it('gives a slot both replicas found due to one of them', async () => {
    const slot = new Date('2024-05-09T18:00:00Z');
    const took = await Promise.all(replicas.map((replica) => replica.takeSlot(slot, ['1312'])));
    expect(took.filter(Boolean)).toHaveLength(1);
    expect((await store.readStream(SCHEDULE_STREAM)).map((e) => e.type)).toEqual([
      'ScheduleStarted',
      'ScheduledDownloadsStarted',
    ]);
    expect(await replicas[0]!.slotsDoneUntil()).toEqual(slot);
    expect(await replicas[1]!.takeSlot(slot, ['1312'])).toBe(false);
  });
});
