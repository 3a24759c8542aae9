// What a settlement start reads as the hospital's history grows (not a test):
//   npm run bench:settlement-start -- [--closed 20000] [--events 20] [--open 50] [--runs 3]
// A throw-away schema holds `--closed` visits with nothing open (each saga stream `--events` RegistrationNoted
// events long: real settled sagas have about as many events, larger ones) and `--open` visits whose settlement
// request is held for their registration, all written over a minute ago. A start of the sweeper
// (SagaSweeper.resumeAll, a fresh workflow and index each time, nothing cached) is timed `--runs` times each way,
// alternately, in the same process: without the index's checkpoint (every saga read: every start before it), and
// with it (the visits open at the checkpoint, and the sagas changed since). Printed: ms per start, visits read.
import { parseArgs } from 'node:util';
import { SettlementRequestedV2 } from '@yb/contracts';
import { createEventStoreDataSource, EventStore, runEventStoreMigrations } from '@yb/event-store';
import { createTestSchema } from '@yb/testing';
import pino from 'pino';
import { SagaSweeper } from '../src/inbound/saga-sweeper';
import { SagaIndex } from '../src/saga/saga-index';
import { type SettlementRequest } from '../src/saga/saga.commands';
import { sagaStreamId } from '../src/saga/settlement-workflow';
import { settlementConfigFromEnv } from '../src/settlement-config';
import { offlineSettlementWorkflow } from '../test/support/offline-workflow';

const { values: args } = parseArgs({
  options: {
    closed: { type: 'string', default: '20000' },
    events: { type: 'string', default: '20' },
    open: { type: 'string', default: '50' },
    runs: { type: 'string', default: '3' },
  },
});
const CLOSED = Number(args.closed);
const EVENTS = Number(args.events);
const OPEN = Number(args.open);
const RUNS = Number(args.runs);

async function main(): Promise<void> {
  const schema = await createTestSchema('settlement_start');
  const dataSource = createEventStoreDataSource({ databaseUrl: schema.databaseUrl, schema: schema.schema });
  await runEventStoreMigrations(dataSource);
  const store = new EventStore(dataSource);
  const { events, checkpoints } = store.tables;
  try {
    // One registration written by the workflow: the row every closed visit's events are copied from.
    const seeding = offlineSettlementWorkflow(dataSource, store);
    await seeding.handle('TEMPLATE', {
      type: 'NoteRegistration',
      registration: { mdtrt_id: 'MDTRT-TEMPLATE', psn_no: 'PSN-1' },
    });
    await dataSource.query(
      `INSERT INTO ${events} (stream_id, stream_version, type, schema_version, data)
       SELECT $1 || v, e, t.type, t.schema_version, t.data
       FROM generate_series(1, $2::int) v, generate_series(1, $3::int) e,
            (SELECT type, schema_version, data FROM ${events} WHERE stream_id = $4) t`,
      [sagaStreamId('CLOSED-'), CLOSED, EVENTS, sagaStreamId('TEMPLATE')],
    );
    const example = SettlementRequestedV2.example as SettlementRequest;
    for (let v = 0; v < OPEN; v++) {
      const ipt_no = `OPEN-${v}`;
      await seeding.handle(ipt_no, {
        type: 'RequestSettlement',
        request: { ...example, ipt_no },
        settings: seeding.sagaSettings,
      });
    }
    await dataSource.query(`UPDATE ${events} SET recorded_at = recorded_at - interval '2 minutes'`);
    await dataSource.query(`VACUUM ANALYZE ${events}`);
    console.log(
      `${CLOSED} closed visits × ${EVENTS} events, ${OPEN} open visits; ${RUNS} starts each way, alternately`,
    );

    /** One start on a fresh workflow and index: ms, and the visits it read. */
    const start = async (): Promise<{ ms: number; read: number }> => {
      const workflow = offlineSettlementWorkflow(dataSource, store);
      let read = 0;
      const load = workflow.load.bind(workflow);
      workflow.load = (ipt_no, knownVersion) => {
        read += 1;
        return load(ipt_no, knownVersion);
      };
      const sweeper = new SagaSweeper(
        store,
        workflow,
        new SagaIndex(),
        settlementConfigFromEnv({}),
        pino({ level: 'silent' }),
      );
      const began = process.hrtime.bigint();
      await sweeper.resumeAll();
      return { ms: Number(process.hrtime.bigint() - began) / 1e6, read };
    };
    const without: { ms: number; read: number }[] = [];
    const withIt: { ms: number; read: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      await dataSource.query(`DELETE FROM ${checkpoints} WHERE name = 'settlement-saga-index'`);
      without.push(await start()); // writes the checkpoint the next start reads
      withIt.push(await start());
    }
    const line = (label: string, runs: { ms: number; read: number }[]) => {
      const ms = runs.map((r) => r.ms);
      const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
      console.log(
        `${label.padEnd(52)} mean ${mean.toFixed(1).padStart(9)} ms  min ${Math.min(...ms)
          .toFixed(1)
          .padStart(9)} ms  visits read ${runs[0]!.read}`,
      );
      return mean;
    };
    const raw = line('start without the checkpoint (every saga read)', without);
    const ours = line('start from the checkpoint (open + changed since)', withIt);
    console.log(`${'ratio'.padEnd(52)} ${(ours / raw).toFixed(4)}×`);
  } finally {
    await dataSource.destroy();
    await schema.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
