// What one HIS fee message costs fee-detail's ledger as a stay grows (not a test):
//   npm run bench:fee-ledger-stay -- [--visits 1] [--days 30]
//     [--lines-per-day 100] [--lines-per-message 10]
// For each message of each visit's stay, the ledger work fee-detail does for it (the platform call left out):
// ChargeFeeLines with its inbox record and results, the uploader's read, StartBatch, RecordBatchUploaded with
// the platform's line answers, and the read that finds nothing more to send. Run twice on the real PostgreSQL
// (a throw-away schema): with the visits' ledgers cached in memory (FeeLedgerWorkflow's default), and with no
// cache (cacheSize 0: every command and read folds the whole stream, as before the cache). Printed: mean ms per
// message on the first and last day of the stay, and the ratio last/first.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createTestSchema, createTestTopics } from '@yb/testing';
import { createEventStoreDataSource, EventStore, runEventStoreMigrations } from '@yb/event-store';
import { FeeLedgerWorkflow } from '../src/fee-ledger/fee-ledger-workflow';
import { answerFor, feeLine } from '../src/fee-ledger/fee-ledger.test-kit';
import { nextPlatformStep } from '../src/fee-ledger/next-platform-step';

const { values: args } = parseArgs({
  options: {
    visits: { type: 'string', default: '1' },
    days: { type: 'string', default: '30' },
    'lines-per-day': { type: 'string', default: '100' },
    'lines-per-message': { type: 'string', default: '10' },
  },
});
const VISITS = Number(args.visits);
const DAYS = Number(args.days);
const LINES_PER_DAY = Number(args['lines-per-day']);
const LINES_PER_MESSAGE = Number(args['lines-per-message']);
const MESSAGES_PER_DAY = Math.ceil(LINES_PER_DAY / LINES_PER_MESSAGE);

/** One HIS message's ledger work, as FeeDetail's handler and FeeUploader do it. */
async function feeMessage(ledgers: FeeLedgerWorkflow, ipt_no: string, lines: ReturnType<typeof feeLine>[]) {
  await ledgers.execute(
    ipt_no,
    { type: 'ChargeFeeLines', lines },
    { message: { id: randomUUID(), correlationId: randomUUID() }, consumer: 'fee-detail' },
  );
  const step = nextPlatformStep((await ledgers.load(ipt_no)).state);
  if (step?.kind !== 'upload-batch') throw new Error(`expected an upload, got ${step?.kind}`);
  const started = await ledgers.execute(ipt_no, { type: 'StartBatch', batch_size: 50 });
  if (started.kind !== 'handled' || !started.state.batch) throw new Error('no batch started');
  const { batch_no, feedetl_sns } = started.state.batch;
  await ledgers.execute(ipt_no, {
    type: 'RecordBatchUploaded',
    batch_no,
    msgid: `H42010200123${String(batch_no).padStart(18, '0')}`,
    answers: feedetl_sns.map((sn) => answerFor(started.state.lines.get(sn)!.line)),
  });
  if (nextPlatformStep((await ledgers.load(ipt_no)).state) !== null)
    throw new Error('the ledger still owes the platform');
}

/** Mean ms per message for each day of the stay, the visits' messages interleaved. */
async function stay(ledgers: FeeLedgerWorkflow, label: string, days = DAYS): Promise<number[]> {
  const visits = Array.from({ length: VISITS }, (_, v) => `${label}-${v}-${randomUUID().slice(0, 8)}`);
  for (const ipt_no of visits) {
    await ledgers.execute(ipt_no, { type: 'NoteAdmission', med_type: '21', insuplc_admdvs: '420100' });
    await ledgers.execute(ipt_no, {
      type: 'RegisterVisit',
      registration: { mdtrt_id: `MD-${ipt_no}`, psn_no: 'P1' },
    });
  }
  const perDay: number[] = [];
  for (let day = 0; day < days; day++) {
    const started = process.hrtime.bigint();
    for (let m = 0; m < MESSAGES_PER_DAY; m++) {
      for (const ipt_no of visits) {
        const first = (day * MESSAGES_PER_DAY + m) * LINES_PER_MESSAGE;
        const lines = Array.from({ length: LINES_PER_MESSAGE }, (_, i) =>
          feeLine(`${ipt_no}-F${first + i}`, '12.30'),
        );
        await feeMessage(ledgers, ipt_no, lines);
      }
    }
    perDay.push(Number(process.hrtime.bigint() - started) / 1e6 / (MESSAGES_PER_DAY * VISITS));
  }
  return perDay;
}

async function main(): Promise<void> {
  const schema = await createTestSchema('bench_fee_stay');
  const topics = await createTestTopics(['insurance']);
  const dataSource = createEventStoreDataSource({ databaseUrl: schema.databaseUrl, schema: schema.schema });
  await runEventStoreMigrations(dataSource);
  const store = new EventStore(dataSource);
  const runs: [string, number[]][] = [];
  try {
    // Not measured: a two-day stay first, so that day 1's figure is not the JIT's warm-up.
    await stay(new FeeLedgerWorkflow(store, topics.names.insurance), 'warm-up', 2);
    runs.push([
      'ledgers cached (FeeLedgerWorkflow)',
      await stay(new FeeLedgerWorkflow(store, topics.names.insurance), 'cached'),
    ]);
    runs.push([
      'no cache (whole stream per command)',
      await stay(new FeeLedgerWorkflow(store, topics.names.insurance, { cacheSize: 0 }), 'uncached'),
    ]);
  } finally {
    await dataSource.destroy();
    await schema.drop();
    await topics.delete();
  }
  console.log(
    `fee ledger per HIS message over a ${DAYS}-day stay: ${VISITS} visits interleaved, ${LINES_PER_DAY} lines a day ` +
      `in messages of ${LINES_PER_MESSAGE} (${DAYS * LINES_PER_DAY} lines, ${DAYS * MESSAGES_PER_DAY * 3 + 2} events per visit)`,
  );
  for (const [what, perDay] of runs) {
    const first = perDay[0];
    const last = perDay[perDay.length - 1];
    const mid = perDay[Math.floor(perDay.length / 2)];
    console.log(
      `${what.padEnd(38)} day 1 ${first.toFixed(2).padStart(7)} ms  day ${Math.floor(perDay.length / 2) + 1} ` +
        `${mid.toFixed(2).padStart(7)} ms  day ${perDay.length} ${last.toFixed(2).padStart(7)} ms  last/first ${(last / first).toFixed(2)}×`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
