import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientKafka,
  EventPattern,
  Payload,
  Transport,
  type MicroserviceOptions,
} from '@nestjs/microservices';
import { createTestTopics, kafkaBrokers, uniqueName, waitFor } from '@yb/testing';
import { lastValueFrom } from 'rxjs';

// The pinned broker (tools/stack/kafka/pom.xml) must work with @nestjs/microservices' own Kafka transport
// (ServerKafka/ClientKafka over kafkajs 2.2.4), not only with kafkajs used directly.
describe('@nestjs/microservices Kafka transport against the pinned broker', () => {
  it('delivers an event emitted by ClientKafka to an @EventPattern handler', async () => {
    const topics = await createTestTopics(['nest']);
    const topic = topics.names.nest;
    const received: unknown[] = [];

    @Controller()
    class ProbeController {
      @EventPattern(topic)
      handle(@Payload() payload: unknown): void {
        received.push(payload);
      }
    }
    @Module({ controllers: [ProbeController] })
    class ProbeModule {}

    const groupId = uniqueName('nest');
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(ProbeModule, {
      transport: Transport.KAFKA,
      options: {
        client: { clientId: groupId, brokers: kafkaBrokers() },
        consumer: { groupId, maxWaitTimeInMs: 250 },
        subscribe: { fromBeginning: true },
      },
      logger: false,
    });
    const client = new ClientKafka({
      client: { clientId: `${groupId}-client`, brokers: kafkaBrokers() },
      producer: { allowAutoTopicCreation: false },
    });
    try {
      await app.listen();
      await client.connect();
      await lastValueFrom(client.emit(topic, { key: 'ZY0001', value: { ipt_no: 'ZY0001', kind: 'probe' } }));
      await waitFor('the event at the handler', () => (received.length > 0 ? received : undefined));
      expect(received).toEqual([{ ipt_no: 'ZY0001', kind: 'probe' }]);
    } finally {
      await client.close();
      await app.close();
      await topics.delete();
    }
  });
});
