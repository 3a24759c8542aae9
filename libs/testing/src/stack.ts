/** Where the test stack listens; set by the Jest global setup, with the local defaults otherwise. */
export function kafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
}

export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** A name no other test file or run will use: prefix + time + random, lower-case, safe for SQL and Kafka. */
export function uniqueName(prefix: string): string {
  const safe = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return `${safe}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
