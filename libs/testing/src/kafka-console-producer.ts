import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { kafkaBrokers } from './stack';

const repoRoot = path.resolve(__dirname, '../../..');

/** The Kafka jars of the local stack (tools/stack fetches them when missing): the console producer's classpath. */
export function kafkaLibs(): string {
  const stack = spawnSync(process.execPath, [path.join(repoRoot, 'tools/stack/stack.mjs'), 'kafka-libs'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const libs = stack.stdout.trim();
  if (stack.status !== 0 || !existsSync(libs))
    throw new Error(`no Kafka jars from tools/stack (exit ${stack.status})`);
  return libs;
}

export interface ConsoleProducerRun {
  status: number | null;
  /** The lines of its output that report an error or an exception (null when none). */
  errors: RegExpMatchArray | null;
}

/**
 * The console producer's class in these jars: Kafka 4 moved it from the broker's jar (kafka.tools) to the tools'
 * (org.apache.kafka.tools).
 */
export function consoleProducerClass(libs: string): string {
  return readdirSync(libs).some((jar) => /^kafka-tools-\d/.test(jar))
    ? 'org.apache.kafka.tools.ConsoleProducer'
    : 'kafka.tools.ConsoleProducer';
}

/**
 * Pipes `lines` into Kafka's own console producer (kafka.tools.ConsoleProducer, which kafka-console-producer.sh
 * runs), as a HIS vendor following docs/his-integration.md would: one record per line, `headers<TAB>key<TAB>value`
 * with parse.key and parse.headers, acks=all, compressed with `compression`.
 */
export function runConsoleProducer(
  libs: string,
  topic: string,
  lines: readonly string[],
  compression: 'gzip' | 'snappy' | 'lz4' | 'zstd',
): ConsoleProducerRun {
  const produced = spawnSync(
    'java',
    [
      ...['-cp', `${libs}/*`, consoleProducerClass(libs)],
      ...['--bootstrap-server', kafkaBrokers()[0]!, '--topic', topic],
      ...['--property', 'parse.key=true', '--property', 'parse.headers=true'],
      ...['--producer-property', 'acks=all', '--compression-codec', compression],
    ],
    { input: `${lines.join('\n')}\n`, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: produced.status, errors: produced.stderr.match(/.*(ERROR|Exception).*/g) };
}
