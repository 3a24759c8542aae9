import { PatientAdmittedV1, createEnvelope } from '@yb/contracts';
import { testKafka, uniqueName } from '@yb/testing';
import { KafkaPublisher, kafkajsIdleLoop } from '../src';

// kafkajs 2.2.4 checks each connection's request queue every millisecond while nothing is pending
// (src/kafkajs-idle-loop.ts). With the patch an idle connection checks nothing, and requests still go.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as {
  prototype: { checkPendingRequests(): void };
};

/** How many times request queues were checked over `ms` of a connected client doing nothing. */
async function checksWhileIdle(ms: number): Promise<number> {
  const check = jest.spyOn(RequestQueue.prototype, 'checkPendingRequests');
  try {
    check.mockClear();
    await new Promise((resolve) => setTimeout(resolve, ms));
    return check.mock.calls.length;
  } finally {
    check.mockRestore();
  }
}

it("is applied on the kafkajs installed (remove it once kafkajs' own fix is released and installed)", () => {
  expect(kafkajsIdleLoop.patched).toBe(true);
});

it('leaves an idle connection without checks, and its requests still go', async () => {
  const kafka = testKafka();
  const publisher = new KafkaPublisher(kafka);
  const admin = kafka.admin();
  await publisher.connect();
  await admin.connect();
  const topic = uniqueName('t.idle-loop').replace(/_/g, '-');
  const send = () =>
    publisher.publish(
      topic,
      createEnvelope({
        type: PatientAdmittedV1.type,
        schemaVersion: PatientAdmittedV1.version,
        key: 'ZY-IDLE',
        data: { ...PatientAdmittedV1.example, ipt_no: 'ZY-IDLE' },
        traceparent: null,
      }),
    );
  try {
    await send();
    // Unpatched, each of the connections (the producer's, the admin's) is checked about once a millisecond.
    expect(await checksWhileIdle(500)).toBeLessThan(10);
    expect(await send()).toHaveLength(1);
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(2);
  } finally {
    await publisher.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});
