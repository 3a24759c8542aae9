// npm run dlq -- list|show|replay|resolve: see USAGE.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { registerCompressionCodecs } from '@yb/messaging';
import { DeadLetters } from '@yb/service-runtime';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { dispositionText, listLine, showText } from './dead-letter-text';

export const USAGE = `Dead letters: read a dead-letter topic and replay its records to their original topic.

Usage: npm run dlq -- <command> [options]

  list <dlq-topic>                    every dead letter: where, when, group, attempts, type, visit key, replay, reason
  show <dlq-topic> <partition:offset> one dead letter with its headers and payload (patient identifiers masked)
  replay <dlq-topic> <partition:offset> [<partition:offset> …] --by <name>
                                      publish each again to its original topic (original key, payload, headers),
                                      once: a dead letter replayed before is reported, not published again
  resolve <dlq-topic> <partition:offset> [<partition:offset> …] --note <text> --by <name>
                                      record that it was dealt with without a replay (never replayed after);
                                      a payload a service kept for it is then deleted by that service's
                                      retention (DEAD_LETTER_PAYLOAD_RETENTION_DAYS), as after a replay

  --by <name>       who replays (recorded with the replay; default: the operating-system user)
  --note <text>     how a resolved dead letter was dealt with (resolve only)
  --schema <name>   PostgreSQL schema of the replay records (default $DLQ_SCHEMA or dlq)
  --brokers <list>  Kafka brokers host:port,… (default $KAFKA_BROKERS or 127.0.0.1:9092)
  --help            this text

PostgreSQL: $DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres): the replay records, and the
payloads the services kept for dead letters too large for their topic.
`;

interface Command {
  name: 'list' | 'show' | 'replay' | 'resolve';
  topic: string;
  refs: string[];
  by: string;
  note: string;
  schema: string;
  brokers: string[];
}

export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): Command | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      by: { type: 'string' },
      note: { type: 'string' },
      schema: { type: 'string' },
      brokers: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const [name, topic, ...refs] = positionals;
  if (name !== 'list' && name !== 'show' && name !== 'replay' && name !== 'resolve') {
    throw new Error(`unknown command "${name ?? ''}": list, show, replay or resolve`);
  }
  if (!topic) throw new Error(`${name}: which dead-letter topic? (e.g. his.inpatient.dlq)`);
  if (name === 'list' && refs.length > 0) throw new Error('list takes only the topic');
  if (name === 'show' && refs.length !== 1)
    throw new Error('show takes the topic and one <partition:offset>');
  if ((name === 'replay' || name === 'resolve') && refs.length === 0)
    throw new Error(`${name} takes the topic and <partition:offset> …`);
  const note = values.note?.trim() ?? '';
  if (name === 'resolve' && note === '') throw new Error('resolve needs --note: how it was dealt with');
  return {
    name,
    topic,
    refs,
    by: values.by ?? userInfo().username,
    note,
    schema: values.schema ?? env.DLQ_SCHEMA ?? 'dlq',
    brokers: (values.brokers ?? env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  };
}

/** Runs a command, writing its output with `write`; the exit code. */
export async function run(
  command: Command,
  databaseUrl: string,
  write: (line: string) => void,
): Promise<number> {
  registerCompressionCodecs();
  const kafka = new Kafka({ clientId: 'dlq-tool', brokers: command.brokers, logLevel: logLevel.NOTHING });
  const db = new Pool({ connectionString: databaseUrl, max: 2 });
  const tool = new DeadLetters(kafka, db, command.schema);
  try {
    if (command.name === 'list') {
      const deadLetters = await tool.list(command.topic);
      for (const entry of deadLetters) write(listLine(entry));
      write(`${deadLetters.length} dead letter(s) in ${command.topic}`);
      return 0;
    }
    if (command.name === 'show') {
      const { deadLetter, replay } = await tool.get(command.topic, command.refs[0]!);
      write(showText(deadLetter, await tool.payloadOf(deadLetter), replay));
      return 0;
    }
    for (const ref of command.refs) {
      const { replayed, already, deadLetter } =
        command.name === 'replay'
          ? await tool.replay(command.topic, ref, command.by)
          : await tool.resolve(command.topic, ref, command.by, command.note);
      const to = `${deadLetter.originalTopic} ${replayed.partition}:${replayed.offset}`;
      if (already) write(`${ref}: already ${dispositionText(replayed)}; nothing done again`);
      else if (replayed.action === 'replayed') write(`${ref}: replayed to ${to} by ${replayed.replayedBy}`);
      else write(`${ref}: resolved by ${replayed.replayedBy}`);
    }
    return 0;
  } finally {
    await db.end();
  }
}

if (require.main === module) {
  let command: Command | 'help';
  try {
    command = parseCommandLine(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (command === 'help') {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  run(command, databaseUrl, (line) => process.stdout.write(`${line}\n`)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`[dlq] ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
