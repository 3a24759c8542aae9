#!/usr/bin/env node
// `node tools/stack/with-stack.mjs <file.ts> [args…]`: what the benchmarks and the chaos harness run through, so
// that each brings the stack up itself as the tests do — dependencies installed when missing, the broker started
// or reused (KAFKA_BROKERS and DATABASE_URL handed over) — then runs the TypeScript file from sources.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies } from '../start/preflight.mjs';
import { DEFAULT_DATABASE_URL, up } from './stack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node tools/stack/with-stack.mjs <file.ts> [args…]');
  process.exit(2);
}
ensureDependencies();
const { kafka, postgres } = await up();
console.error(`[stack] Kafka ${kafka.brokers.join(',')} (${kafka.note}); PostgreSQL ${postgres.url}`);
const child = spawn(
  process.execPath,
  ['-r', path.join(root, 'tools/runtime/ts-register.js'), file, ...args],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      KAFKA_BROKERS: kafka.brokers.join(','),
      DATABASE_URL: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    },
  },
);
// Ctrl-C reaches the child through the terminal's process group; the wrapper just waits for it.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
