import { type Producer, type ProducerBatch, type RecordMetadata } from 'kafkajs';
import { UnacknowledgedPartitionsError, sendAcknowledged } from './acknowledged-send';

/** A producer whose answers leave out the partitions given, send after send (what kafkajs 2.2.4 can do). */
function producerLeavingOut(leftOut: number[][]) {
  const sends: ProducerBatch[] = [];
  const producer = {
    sendBatch: async (batch: ProducerBatch): Promise<RecordMetadata[]> => {
      const skip = leftOut[sends.length] ?? [];
      sends.push(batch);
      return batch.topicMessages!.flatMap(({ topic, messages }) =>
        [...new Set(messages.map((m) => m.partition!))]
          .filter((p) => !skip.includes(p))
          .map((partition) => ({ topicName: topic, partition, errorCode: 0 })),
      );
    },
  } as unknown as Producer;
  return { producer, sends };
}

const batch = {
  acks: -1,
  topicMessages: [
    {
      topic: 't',
      messages: [
        { key: 'a', value: '1', partition: 0 },
        { key: 'b', value: '2', partition: 5 },
        { key: 'a', value: '3', partition: 0 },
      ],
    },
  ],
};

describe('sendAcknowledged', () => {
  it('sends once when every partition is acknowledged', async () => {
    const { producer, sends } = producerLeavingOut([]);
    await sendAcknowledged(producer, batch);
    expect(sends).toHaveLength(1);
  });

  it('sends again only the messages of a partition the answer left out', async () => {
    const { producer, sends } = producerLeavingOut([[5]]);
    const answers = await sendAcknowledged(producer, batch);
    expect(sends).toHaveLength(2);
    expect(sends[1]!.topicMessages).toEqual([
      { topic: 't', messages: [{ key: 'b', value: '2', partition: 5 }] },
    ]);
    expect(answers.map((a) => a.partition).sort()).toEqual([0, 5]);
  });

  it('gives up with a retriable error naming the partition when it is never acknowledged', async () => {
    const { producer, sends } = producerLeavingOut([[5], [5], [5], [5], [5]]);
    const failure = sendAcknowledged(producer, batch);
    await expect(failure).rejects.toBeInstanceOf(UnacknowledgedPartitionsError);
    await expect(failure).rejects.toMatchObject({ retriable: true, partitions: ['t/5'] });
    expect(sends).toHaveLength(5);
  });
});
