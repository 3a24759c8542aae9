// Jest global setup for every project: bring the real stack up (or reuse it) before any test file
// runs, and hand its addresses to the test workers through the environment.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

module.exports = async function globalSetup() {
  if (globalThis.__YB_STACK_READY__) return;
  const stack = await import(pathToFileURL(path.join(__dirname, '../../../tools/stack/stack.mjs')).href);
  const { kafka, postgres } = await stack.up();
  process.env.KAFKA_BROKERS = kafka.brokers.join(',');
  process.env.DATABASE_URL = process.env.DATABASE_URL ?? stack.DEFAULT_DATABASE_URL;
  globalThis.__YB_STACK_READY__ = true;
  process.stderr.write(
    `\n[stack] Kafka ${process.env.KAFKA_BROKERS} (${kafka.note}); PostgreSQL ${postgres.url}\n`,
  );
};
