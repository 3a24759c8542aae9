// npm run reseal: see USAGE.
import { parseArgs } from 'node:util';
import { PlatformCallJournal, PlatformCallRecord } from '@yb/platform-client';
import { Keyring } from '@yb/sealing';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ResealProgress, resealStore, type PassOptions, type StorePass } from './reseal-pass';
import { SEALED_STORES } from './sealed-stores';

export const USAGE = `Re-seal patient data at rest under the newest key of NHSA_JOURNAL_KEYS, after a rotation.

Usage: npm run reseal -- (--schemas <a,b,…> | --prefix <name>) [options]

  --schemas <list>          the schemas to go through (each service's and the dashboard's)
  --prefix <name>           every schema whose name starts with it (an installation: yb_3f9a0c1d_)
  --batch-size <n>          rows per transaction (default 500)
  --max-batches <n>         stop after n batches per table; the next run goes on from there
  --progress-schema <name>  where passes record how far they got (default reseal)
  --help                    this text

Moves to the first key of NHSA_JOURNAL_KEYS (or NHSA_JOURNAL_KEYS_FILE) every value sealed under another key, and
seals values still clear: event stores' identifier fields, quarantined outbox payloads, kept dead-letter payloads,
the reconciliation ledger's rows, the dashboard's visit patient records and the platform call journal. Keep the old
keys in the ring while it runs (they open what it moves); once it reports every table finished, the old keys can go.
Safe while the services run; a run killed midway goes on from the last batch it committed; a second run changes
nothing. PostgreSQL: $DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
`;

export interface Command {
  schemas?: readonly string[];
  prefix?: string;
  batchSize: number;
  maxBatches?: number;
  progressSchema: string;
}

export function parseCommandLine(argv: readonly string[]): Command | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      schemas: { type: 'string' },
      prefix: { type: 'string' },
      'batch-size': { type: 'string' },
      'max-batches': { type: 'string' },
      'progress-schema': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  if ((values.schemas === undefined) === (values.prefix === undefined)) {
    throw new Error('name the schemas: --schemas <a,b,…> or --prefix <name> (one of them)');
  }
  const count = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    if (!/^[1-9]\d*$/.test(text)) throw new Error(`--${name}: "${text}" is not a positive whole number`);
    return Number(text);
  };
  return {
    ...(values.schemas !== undefined && { schemas: values.schemas.split(',').map((s) => s.trim()) }),
    ...(values.prefix !== undefined && { prefix: values.prefix }),
    batchSize: count('batch-size', values['batch-size']) ?? 500,
    ...(values['max-batches'] !== undefined && { maxBatches: count('max-batches', values['max-batches']) }),
    progressSchema: values['progress-schema'] ?? 'reseal',
  };
}

/** The schemas named, each with the sealed tables it holds. */
async function tablesIn(db: Pool, command: Command): Promise<{ schema: string; table: string }[]> {
  const tables = [...SEALED_STORES.map((s) => [s.table, s.column]), ['platform_call_journal', 'request']];
  const { rows } = await db.query<{ schema: string; table: string }>(
    `SELECT table_schema AS schema, table_name AS table FROM information_schema.columns
     WHERE (table_name, column_name) IN (SELECT * FROM unnest($1::text[], $2::text[]))
       AND (table_schema = ANY($3) OR ($4::text IS NOT NULL AND starts_with(table_schema, $4)))
     ORDER BY table_schema, table_name`,
    [tables.map((t) => t[0]), tables.map((t) => t[1]), command.schemas ?? [], command.prefix ?? null],
  );
  return rows;
}

/** The journal's own pass (sealed_with says which rows are left), run until it seals nothing more. */
async function resealJournal(databaseUrl: string, schema: string, keyring: Keyring, options: PassOptions) {
  const dataSource = new DataSource({
    type: 'postgres',
    url: databaseUrl,
    schema,
    entities: [PlatformCallRecord],
    poolSize: 2,
  });
  await dataSource.initialize();
  try {
    const journal = new PlatformCallJournal(dataSource, keyring);
    let resealed = 0;
    let batches = 0;
    for (
      let n = -1;
      n !== 0 && (options.maxBatches === undefined || batches < options.maxBatches);
      batches++
    ) {
      n = await journal.reseal(options.batchSize);
      resealed += n;
    }
    const [{ left }] = await dataSource.query(
      `SELECT count(*)::int AS left FROM "${schema}".platform_call_journal WHERE sealed_with IS DISTINCT FROM $1`,
      [keyring.activeKeyId],
    );
    return {
      schema,
      table: 'platform_call_journal',
      scanned: resealed + left,
      resealed,
      finished: left === 0,
    };
  } finally {
    await dataSource.destroy();
  }
}

/** Runs the passes, writing a line per table; the exit code (1 while anything is left to move). */
export async function run(
  command: Command,
  databaseUrl: string,
  keyring: Keyring,
  write: (line: string) => void,
): Promise<number> {
  if (!keyring.sealing) throw new Error('NHSA_JOURNAL_KEYS has no key: nothing to reseal under');
  const db = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const found = await tablesIn(db, command);
    if (found.length === 0) throw new Error('no sealed table in the schemas named');
    const progress = new ResealProgress(db, command.progressSchema);
    await progress.ensure();
    const passes: StorePass[] = [];
    for (const { schema, table } of found) {
      const store = SEALED_STORES.find((s) => s.table === table);
      const pass = store
        ? await resealStore(db, progress, keyring, schema, store, command)
        : await resealJournal(databaseUrl, schema, keyring, command);
      passes.push(pass);
      write(
        `${schema}.${table}\t${pass.scanned} read\t${pass.resealed} resealed\t${pass.finished ? 'finished' : 'left for the next run'}`,
      );
    }
    const done = passes.every((p) => p.finished);
    write(
      done
        ? `every table is under key "${keyring.activeKeyId}": older keys can leave NHSA_JOURNAL_KEYS`
        : 'not finished: run again (it goes on from where it stopped)',
    );
    return done ? 0 : 1;
  } finally {
    await db.end();
  }
}

/** The command line's outcome as an exit code: 0 done, 1 left to do or failed (named), 2 a wrong command line. */
async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let command: Command | 'help';
  try {
    command = parseCommandLine(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  try {
    return await run(command, databaseUrl, Keyring.fromEnv(), (line) => process.stdout.write(`${line}\n`));
  } catch (err) {
    process.stderr.write(`[reseal] ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

if (require.main === module) void main(process.argv.slice(2), process.env).then((code) => process.exit(code));
