import { randomBytes, randomUUID } from 'node:crypto';
import { openFields, sealedIn } from '@yb/sealing';
import { createTestTopics, testKafka, uniqueName, waitFor, type TestTopics } from '@yb/testing';
import { type Consumer } from 'kafkajs';
import { MESSAGE_ID_HEADER, OutboxRelay, type OutboxMessage } from '../src';
import { openTestEventStore, type TestEventStore } from './support/test-event-store';

// The relay sent up to 200 rows in one request: about 72 FeeLinesUploaded of one visit (one partition) passed the
// broker's max.message.bytes (1 MiB by default), the broker refused the whole batch, and the same batch was tried
// again for ever: the service published nothing more. Batches are now capped by bytes per partition and
// gzip-compressed, and a row too large even alone and compressed is quarantined with the reason.

/** About the size of a FeeLinesUploaded of 50 lines: a JSON list of similar objects. */
function feeLinesUploaded(n: number): string {
  const lines = Array.from({ length: 50 }, (_, i) => ({
    feedetl_sn: `ZY-BIG-F${n}-${i}`,
    med_list_codg: 'XJ01CAA040A001010101445',
    det_item_fee_sumamt: '12.50',
    cnt: '1',
    pric: '12.50',
    fulamt_ownpay_amt: '0.00',
    overlmt_amt: '0.00',
    preselfpay_amt: '0.00',
    inscp_scp_amt: '12.50',
    chrgitm_lv: '01',
    med_chrgitm_type: '09',
    bas_medn_flag: '1',
    hi_nego_drug_flag: '0',
    chld_medc_flag: '0',
    list_sp_item_flag: '0',
    lmt_used_flag: '0',
    drt_reim_flag: '0',
    memo: '住院费用明细上传',
    pad: 'x'.repeat(60),
  }));
  return JSON.stringify({ type: 'FeeLinesUploaded', n, lines });
}

interface Received {
  messageId: string;
  bytes: number;
}

async function collect(topic: string): Promise<{ received: Received[]; consumer: Consumer }> {
  const consumer = testKafka().consumer({ groupId: uniqueName('relay-size'), maxWaitTimeInMs: 200 });
  const received: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) =>
      void received.push({
        messageId: message.headers![MESSAGE_ID_HEADER]!.toString(),
        bytes: message.value!.length,
      }),
  });
  return { received, consumer };
}

describe('OutboxRelay and the broker size limit', () => {
  let t: TestEventStore;
  let topics: TestTopics<'uploads' | 'quarantine'>;
  beforeAll(async () => {
    t = await openTestEventStore('es_relay_size');
    topics = await createTestTopics(['uploads', 'quarantine'], { partitions: 3 });
  });
  afterAll(async () => {
    await topics.delete();
    await t.close();
  });

  const outboxLeft = async (topic: string) =>
    (
      await t.dataSource.query(`SELECT count(*)::int AS n FROM ${t.store.tables.outbox} WHERE topic = $1`, [
        topic,
      ])
    )[0].n as number;

  it("publishes 200 FeeLinesUploaded of one visit in batches under the partition's limit, in order", async () => {
    const topic = topics.names.uploads;
    const messages: OutboxMessage[] = Array.from({ length: 200 }, (_, n) => ({
      messageId: randomUUID(),
      topic,
      key: 'ZY-BIG',
      payload: feeLinesUploaded(n),
    }));
    const rowBytes = Buffer.byteLength(messages[0]!.payload);
    // The case the issue measured: the rows of one batch are several times the broker's limit together.
    expect(rowBytes * 200).toBeGreaterThan(3 * 1_048_588);
    for (let i = 0; i < messages.length; i += 50) {
      await t.store.appendToStream('visit-ZY-BIG', 'any', [{ type: 'FeeLinesUploaded', data: { i } }], {
        outbox: messages.slice(i, i + 50),
      });
    }
    const batches: number[] = [];
    const { received, consumer } = await collect(topic);
    const relay = new OutboxRelay(t.store, testKafka(), { onPublished: (count) => batches.push(count) });
    try {
      await waitFor('the outbox emptied', async () => {
        await relay.publishPending();
        return (await outboxLeft(topic)) === 0 ? true : undefined;
      });
      await waitFor('every message received', () => (received.length >= 200 ? true : undefined));
    } finally {
      await relay.stop();
      await consumer.disconnect();
    }
    expect(received.map((r) => r.messageId)).toEqual(messages.map((m) => m.messageId));
    // Each batch fits under the limit before compression: as many rows as 1 MiB holds, not the 200 asked for.
    expect(batches.reduce((sum, n) => sum + n, 0)).toBe(200);
    expect(Math.max(...batches) * rowBytes).toBeLessThan(1_048_588);
    expect(batches.length).toBeGreaterThanOrEqual(Math.ceil((200 * rowBytes) / 1_048_588));
  });

  it('sends alone a row over the limit that compresses under it, and quarantines one that does not', async () => {
    const topic = topics.names.quarantine;
    const message = (key: string, payload: string): OutboxMessage => ({
      messageId: randomUUID(),
      topic,
      key,
      payload,
    });
    const before = message('ZY-Q', 'before');
    // 1.5 MiB of repeated JSON: over the limit as it is, a few KiB gzip-compressed.
    const compressible = message('ZY-Q', JSON.stringify({ lines: 'x'.repeat(1_572_864) }));
    // 2 MiB of random characters: still 1.5 MiB compressed; with a patient's name, to be sealed in quarantine.
    const incompressible = message(
      'ZY-Q',
      JSON.stringify({ psn_name: '张三丰', blob: randomBytes(1_572_864).toString('base64') }),
    );
    const after = message('ZY-Q', 'after');
    await t.store.appendToStream('visit-ZY-Q', 'any', [{ type: 'Large', data: {} }], {
      outbox: [before, compressible, incompressible, after],
    });

    const quarantined: { messageId: string; reason: string }[] = [];
    const { received, consumer } = await collect(topic);
    const relay = new OutboxRelay(t.store, testKafka(), {
      onQuarantined: ({ messageId, reason }) => quarantined.push({ messageId, reason }),
    });
    try {
      await waitFor('the outbox emptied', async () => {
        await relay.publishPending();
        return (await outboxLeft(topic)) === 0 ? true : undefined;
      });
      await waitFor('three messages received', () => (received.length >= 3 ? true : undefined));
    } finally {
      await relay.stop();
      await consumer.disconnect();
    }
    expect(received.map((r) => r.messageId)).toEqual([
      before.messageId,
      compressible.messageId,
      after.messageId,
    ]);
    expect(received[1]!.bytes).toBe(Buffer.byteLength(compressible.payload));

    expect(quarantined.map((q) => q.messageId)).toEqual([incompressible.messageId]);
    expect(quarantined[0]!.reason).toMatch(/too large for .* \(max\.message\.bytes 1048588\)/);
    const rows = await t.dataSource.query(
      `SELECT message_id, topic, message_key, payload, reason FROM ${t.store.tables.outboxQuarantine}`,
    );
    expect(rows).toEqual([
      {
        message_id: incompressible.messageId,
        topic,
        message_key: 'ZY-Q',
        payload: expect.not.stringContaining('张三丰'),
        reason: quarantined[0]!.reason,
      },
    ]);
    // Kept whole, the name sealed (the test keyring of jest-setup) and opened with the message's binding.
    const opened = openFields(
      t.store.keyring,
      JSON.parse(rows[0].payload),
      sealedIn.message(incompressible.messageId),
    );
    expect(opened).toEqual(JSON.parse(incompressible.payload));
  });
});
