// What bare pg does on the same PostgreSQL, as the yardstick for the pipeline's own writes: single-row INSERTs,
// each its own autocommitted transaction, from as many connections as the services consume partitions, into a
// throw-away schema dropped afterwards. No event store, no outbox, no inbox, no lock.
import { createTestSchema, databaseUrl } from '@yb/testing';
import { Client } from 'pg';
import { type Throughput } from './kafka-baseline';

export interface PgBaselineOptions {
  readonly rows: number;
  /** Bytes of each row's payload (the mean size of the HIS messages of the run). */
  readonly payloadBytes: number;
  readonly connections: number;
}

export async function rawPgInsertThroughput(options: PgBaselineOptions): Promise<Throughput> {
  const schema = await createTestSchema('bench_raw_pg');
  const clients = Array.from({ length: options.connections }, () => new Client(databaseUrl()));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const table = `"${schema.schema}".raw_rows`;
    await clients[0]!.query(
      `CREATE TABLE ${table} (id bigserial PRIMARY KEY, key text NOT NULL, payload jsonb NOT NULL)`,
    );
    const payload = JSON.stringify({ filler: 'a'.repeat(Math.max(0, options.payloadBytes - 14)) });
    let next = 0;
    const started = performance.now();
    await Promise.all(
      clients.map(async (client) => {
        for (let i = next++; i < options.rows; i = next++)
          await client.query(`INSERT INTO ${table} (key, payload) VALUES ($1, $2)`, [
            `visit-${i % 997}`,
            payload,
          ]);
      }),
    );
    const wallMs = performance.now() - started;
    return { messages: options.rows, wallMs, perSecond: (options.rows / wallMs) * 1000 };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await schema.drop();
  }
}
