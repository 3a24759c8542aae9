// What a command costs as its stream grows, with and without CommandHandler's cache (not a test):
//   npm run bench:command-handler -- [--commands 300] [--uncached-commands 30] [--group 10]
// Uses DATABASE_URL (default: the local stack) and a throw-away schema. For streams of 10 and of 3,000
// events (a long stay's fee lines), the same ChargeFee commands are handled by a CommandHandler whose cache
// holds the streams (after one first load each), by one with no cache (cacheSize 0: the whole stream read and
// folded per command, as before the cache), and, as the floor, appended directly at a known version with
// no read or decision. The uncached handler runs fewer commands: on 3,000 events each takes seconds. With an
// inbox row and a result message per command, as a consumer runs them: one at a time (handle), and in groups
// of --group commands of one stream decided and appended in one transaction (handleAll), as a consumer
// handles one key's records of a batch. Each row also gives, per command, this process's CPU time (its share of
// the work, less disturbed by other load than the elapsed time) and the statements sent to PostgreSQL.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { createTestSchema } from '@yb/testing';
import { CommandHandler, createEventStoreDataSource, EventStore, runEventStoreMigrations } from '../src';
import { feeLedger } from '../test/support/fee-ledger';

const { values: args } = parseArgs({
  options: {
    commands: { type: 'string', default: '300' },
    'uncached-commands': { type: 'string', default: '30' },
    group: { type: 'string', default: '10' },
  },
});
const GROUP = Number(args.group);
const COMMANDS = Number(args.commands);
const UNCACHED_COMMANDS = Number(args['uncached-commands']);
const STREAMS = 4;
const LENGTHS = [10, 3_000];

const charge = (feedetl_sn: string) => ({
  type: 'ChargeFee' as const,
  feedetl_sn,
  det_item_fee_sumamt: '12.34',
});

/** The fee result a handler would publish for the events it decided. */
const resultMessage = (streamId: string, events: readonly unknown[]) => ({
  messageId: randomUUID(),
  topic: 'bench.results',
  key: streamId,
  payload: JSON.stringify(events),
});

/** Counts the statements sent to PostgreSQL (each a round trip): every query of pg, TypeORM's included. */
let statements = 0;
const query = Client.prototype.query;
Client.prototype.query = function (this: Client, ...args: unknown[]) {
  statements++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

async function main(): Promise<void> {
  const schema = await createTestSchema('bench_command_handler');
  const dataSource = createEventStoreDataSource({ databaseUrl: schema.databaseUrl, schema: schema.schema });
  await runEventStoreMigrations(dataSource);
  const store = new EventStore(dataSource);
  const lines: string[] = [];
  try {
    for (const length of LENGTHS) {
      /** Fresh streams of `length` FeeCharged events, written in one append each. */
      const streams = async (label: string) => {
        const ids = Array.from({ length: STREAMS }, (_, s) => `${label}-${length}-${s}`);
        for (const id of ids) {
          const events = Array.from({ length }, (_, n) => ({
            type: 'FeeCharged',
            data: { feedetl_sn: `F${n}`, line_no: n + 1, det_item_fee_sumamt: '12.34' },
          }));
          await store.appendToStream(id, 'no-stream', events);
        }
        return ids;
      };
      const measure = async (
        what: string,
        ids: string[],
        run: (id: string, i: number) => Promise<unknown>,
        commands = COMMANDS,
        commandsPerRun = 1,
      ) => {
        const [started, cpu, statementsBefore] = [process.hrtime.bigint(), process.cpuUsage(), statements];
        for (let i = 0; i < commands / commandsPerRun; i++) await run(ids[i % ids.length], i);
        const ms = Number(process.hrtime.bigint() - started) / 1e6 / commands;
        const { user, system } = process.cpuUsage(cpu);
        const cpuMs = (user + system) / 1e3 / commands;
        const trips = (statements - statementsBefore) / commands;
        lines.push(
          `${`${length}`.padStart(5)} events  ${what.padEnd(46)} ${ms.toFixed(2).padStart(8)} ms/command` +
            ` ${cpuMs.toFixed(2).padStart(6)} ms CPU ${trips.toFixed(1).padStart(5)} round trips`,
        );
      };

      const cachedIds = await streams('cached');
      const cached = new CommandHandler(store, feeLedger);
      for (const id of cachedIds) await cached.aggregateStream(id); // the first load, outside the measurement
      await measure('CommandHandler, stream cached', cachedIds, (id, i) =>
        cached.handle(id, charge(`N${i}`)),
      );
      // As a consumer runs it: the message's inbox row and one result message in the same transaction.
      await measure('CommandHandler, cached, with inbox + outbox', cachedIds, (id, i) =>
        cached.handle(id, charge(`M${i}`), {
          inboxMessageId: randomUUID(),
          inboxConsumer: 'bench',
          outbox: (events) => [resultMessage(id, events)],
        }),
      );
      await measure(
        `handleAll, groups of ${GROUP}, inbox + outbox`,
        cachedIds,
        (id, i) =>
          cached.handleAll(
            id,
            Array.from({ length: GROUP }, (_, n) => ({
              command: charge(`G${i}-${n}`),
              inboxMessageId: randomUUID(),
              outbox: (events: readonly unknown[]) => [resultMessage(id, events)],
            })),
            { inboxConsumer: 'bench' },
          ),
        COMMANDS,
        GROUP,
      );

      const uncachedIds = await streams('uncached');
      const uncached = new CommandHandler(store, feeLedger, { cacheSize: 0 });
      await measure(
        'CommandHandler, no cache (whole stream read)',
        uncachedIds,
        (id, i) => uncached.handle(id, charge(`N${i}`)),
        UNCACHED_COMMANDS,
      );

      const rawIds = await streams('raw');
      const versions = new Map(rawIds.map((id) => [id, length]));
      await measure('raw: appendToStream at a known version', rawIds, async (id, i) => {
        const version = versions.get(id)!;
        await store.appendToStream(id, version, [
          {
            type: 'FeeCharged',
            data: { feedetl_sn: `N${i}`, line_no: version + 1, det_item_fee_sumamt: '12.34' },
          },
        ]);
        versions.set(id, version + 1);
      });
    }
  } finally {
    await dataSource.destroy();
    await schema.drop();
  }
  console.log(
    `command-handler benchmark: ${COMMANDS} ChargeFee commands (${UNCACHED_COMMANDS} uncached) over ${STREAMS} streams per length`,
  );
  for (const line of lines) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
