import { createTestSchema, createTestTopics, testKafka, uniqueName, waitFor, withClient } from '../src';

// The foundation's promise: `npm test` on a fresh clone talks to a real broker and a real database.
describe('the local stack', () => {
  it('carries a message through the real Kafka broker, in order per key', async () => {
    const topics = await createTestTopics(['roundtrip']);
    const kafka = testKafka();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const consumer = kafka.consumer({ groupId: uniqueName('g'), maxWaitTimeInMs: 250 });
    const received: string[] = [];
    try {
      await producer.connect();
      await producer.send({
        topic: topics.names.roundtrip,
        acks: -1,
        messages: ['admitted', 'fee-charged', 'discharged'].map((value) => ({ key: 'ZY0001', value })),
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topics.names.roundtrip], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          received.push(message.value!.toString());
        },
      });
      await waitFor('three messages', () => (received.length >= 3 ? received : undefined));
      expect(received).toEqual(['admitted', 'fee-charged', 'discharged']);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await topics.delete();
    }
  });

  it('commits a transaction through the broker: a read-committed consumer sees it, not the aborted one', async () => {
    const topics = await createTestTopics(['tx']);
    const kafka = testKafka();
    const producer = kafka.producer({
      transactionalId: uniqueName('tx'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    const consumer = kafka.consumer({
      groupId: uniqueName('g'),
      readUncommitted: false,
      maxWaitTimeInMs: 250,
    });
    const received: string[] = [];
    try {
      await producer.connect();
      const aborted = await producer.transaction();
      await aborted.send({ topic: topics.names.tx, messages: [{ value: 'aborted' }] });
      await aborted.abort();
      const committed = await producer.transaction();
      await committed.send({ topic: topics.names.tx, messages: [{ value: 'committed' }] });
      await committed.commit();
      await consumer.connect();
      await consumer.subscribe({ topics: [topics.names.tx], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => void received.push(message.value!.toString()),
      });
      await waitFor('the committed message', () => (received.includes('committed') ? true : undefined));
      expect(received).toEqual(['committed']);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await topics.delete();
    }
  });

  it('writes to and reads from the real PostgreSQL in a schema of its own', async () => {
    const schema = await createTestSchema('stack');
    try {
      const rows = await withClient(schema.databaseUrl, async (c) => {
        await c.query(
          `CREATE TABLE "${schema.schema}".fees (feedetl_sn text primary key, amount numeric(16,2))`,
        );
        await c.query(`INSERT INTO "${schema.schema}".fees VALUES ('F1', '0.10'), ('F2', '0.20')`);
        return (await c.query(`SELECT sum(amount)::text AS total FROM "${schema.schema}".fees`)).rows;
      });
      // Decimal arithmetic in the database: 0.1 + 0.2 is exactly 0.30.
      expect(rows).toEqual([{ total: '0.30' }]);
    } finally {
      await schema.drop();
    }
    const left = await withClient(schema.databaseUrl, (c) =>
      c.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema.schema]),
    );
    expect(left.rowCount).toBe(0);
  });
});
