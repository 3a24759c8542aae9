import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PatientAdmittedV1, createEnvelope } from '@yb/contracts';
import { createTestTopics, kafkaBrokers, testKafka, uniqueName, waitFor, type TestTopics } from '@yb/testing';
import { type ConsumedMessage, KafkaConsumerHost, KafkaPublisher, MessagingModule } from '../src';

// The offset is committed only after the handler resolved: a service killed mid-handler leaves the
// message uncommitted, and the next member of the group (here a NestJS application) receives it again.

const root = join(__dirname, '../../..');
let topics: TestTopics<'inpatient'>;
let child: ChildProcess | undefined;
let app: INestApplicationContext | undefined;
const received: ConsumedMessage<'PatientAdmitted'>[] = [];

@Injectable()
class AdmissionHandlers implements OnModuleInit {
  constructor(@Inject(KafkaConsumerHost) private readonly host: KafkaConsumerHost) {}
  onModuleInit(): void {
    this.host.handle('PatientAdmitted', async (message) => void received.push(message));
  }
}

beforeAll(async () => {
  topics = await createTestTopics(['inpatient']);
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await app?.close();
  await topics?.delete();
});

it('redelivers a message whose handler was interrupted by a crash', async () => {
  const groupId = uniqueName('admission');
  const topic = topics.names.inpatient;
  const publisher = new KafkaPublisher(testKafka());
  await publisher.connect();
  const admitted = createEnvelope({
    type: 'PatientAdmitted',
    schemaVersion: 1,
    key: 'ZY-CRASH',
    data: { ...PatientAdmittedV1.example, ipt_no: 'ZY-CRASH' },
  });
  await publisher.publish(topic, admitted);
  await publisher.disconnect();

  let output = '';
  child = spawn(
    process.execPath,
    [
      '-r',
      './tools/runtime/ts-register.js',
      join(__dirname, 'fixtures/stalled-consumer.ts'),
      kafkaBrokers().join(','),
      groupId,
      topic,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor('the first service to start handling', () =>
    output.includes(`handling ${admitted.id}`) ? true : undefined,
  );
  child.kill('SIGKILL');

  @Module({
    imports: [
      MessagingModule.forRoot({
        clientId: 'admission-test',
        brokers: kafkaBrokers(),
        groupId,
        topics: [topic],
        sessionTimeoutMs: 6_000,
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      }),
    ],
    providers: [AdmissionHandlers],
  })
  class AdmissionTestModule {}

  app = await NestFactory.createApplicationContext(AdmissionTestModule, { logger: false });
  await app.init();
  const redelivered = await waitFor('the redelivery', () =>
    received.find((m) => m.envelope.id === admitted.id),
  );
  expect(redelivered.envelope.data.ipt_no).toBe('ZY-CRASH');
  expect(redelivered.attempt).toBe(1);
});
