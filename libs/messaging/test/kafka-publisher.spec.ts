import { PatientAdmittedV1, createEnvelope } from '@yb/contracts';
import { testKafka, uniqueName } from '@yb/testing';
import { KafkaPublisher } from '../src';

// The publisher sets each message's partition to check the broker's answer partition by partition
// (sendAcknowledged); a topic that does not exist yet has no partitions to set, and the send creates it.

it('publishes to a topic the broker creates on first use, then checks sends to it partition by partition', async () => {
  const kafka = testKafka();
  const publisher = new KafkaPublisher(kafka);
  await publisher.connect();
  const topic = uniqueName('t.auto-created').replace(/_/g, '-');
  const envelope = () =>
    createEnvelope({
      type: PatientAdmittedV1.type,
      schemaVersion: PatientAdmittedV1.version,
      key: 'ZY-AUTO',
      data: { ...PatientAdmittedV1.example, ipt_no: 'ZY-AUTO' },
      traceparent: null,
    });
  try {
    const first = await publisher.publish(topic, envelope());
    expect(first).toHaveLength(1);
    const second = await publisher.publishAll(topic, [envelope(), envelope()]);
    expect(second.map((answer) => answer.partition)).toEqual([first[0]!.partition]);
  } finally {
    await publisher.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});
