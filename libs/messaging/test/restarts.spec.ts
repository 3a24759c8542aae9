import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { PatientAdmittedV1, createEnvelope } from '@yb/contracts';
import { createTestTopics, kafkaBrokers, testKafka, uniqueName, waitFor, type TestTopics } from '@yb/testing';
import { KafkaConsumerHost, KafkaPublisher } from '../src';

// A restarted service must not leave its visits unread for the broker's 30 s default session timeout. A stopped
// one leaves its group as it stops, so the others take its partitions at once; a killed one is noticed after the
// session timeout (6 s, with heartbeats every second even while a handler runs long), so its restart (or another
// member) consumes again within 10 s of the kill.

const root = join(__dirname, '../../..');
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
let topics: TestTopics<'inpatient'>;
let publisher: KafkaPublisher;
const children: ChildProcess[] = [];
const hosts: KafkaConsumerHost[] = [];

beforeAll(async () => {
  topics = await createTestTopics(['inpatient']);
  publisher = new KafkaPublisher(testKafka());
  await publisher.connect();
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const host of hosts) await host.stop();
  await publisher?.disconnect();
  await topics?.delete();
});

function admission(key: string) {
  return createEnvelope({
    type: 'PatientAdmitted',
    schemaVersion: 1,
    key,
    data: { ...PatientAdmittedV1.example, ipt_no: key },
  });
}

/** The echo fixture in a process of its own; `output` collects what it prints. */
function startEchoConsumer(groupId: string): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(
    process.execPath,
    [
      '-r',
      './tools/runtime/ts-register.js',
      join(__dirname, 'fixtures/echo-consumer.ts'),
      kafkaBrokers().join(','),
      groupId,
      topics.names.inpatient,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  children.push(child);
  return { child, output: () => output };
}

it('hands a stopped consumer’s partitions to the rest of its group at once', async () => {
  const groupId = uniqueName('restart-stop');
  const handledBy: { host: string; id: string }[] = [];
  for (const name of ['first', 'second']) {
    const host = new KafkaConsumerHost({
      kafka: testKafka(),
      groupId,
      topics: [topics.names.inpatient],
      logger: quiet,
    });
    host.handle(
      'PatientAdmitted',
      async ({ envelope }) => void handledBy.push({ host: name, id: envelope.id }),
    );
    await host.start();
    hosts.push(host);
  }
  const before = admission('ZY-STOP-1');
  await publisher.publish(topics.names.inpatient, before);
  const owner = await waitFor('the first message handled', () => handledBy.find((h) => h.id === before.id));
  const [stopping, other] = owner.host === 'first' ? [hosts[0]!, 'second'] : [hosts[1]!, 'first'];

  await stopping.stop();
  const stoppedAt = Date.now();
  const after = admission('ZY-STOP-2');
  await publisher.publish(topics.names.inpatient, after);
  const taken = await waitFor('the other member handling the next message', () =>
    handledBy.find((h) => h.id === after.id),
  );
  const elapsedMs = Date.now() - stoppedAt;
  process.stdout.write(`[restarts] stop → the other member consuming: ${elapsedMs} ms\n`);
  expect(taken.host).toBe(other);
  // Well under the 6 s session timeout: the group did not wait for the stopped member to expire.
  expect(elapsedMs).toBeLessThan(5_000);
}, 60_000);

it('consumes again within 10 s of a killed consumer process being restarted', async () => {
  const groupId = uniqueName('restart-kill');
  const first = startEchoConsumer(groupId);
  await waitFor('the first process started', () => (first.output().includes('started') ? true : undefined));
  const before = admission('ZY-KILL-1');
  await publisher.publish(topics.names.inpatient, before);
  await waitFor('the first process handling', () => (first.output().includes(before.id) ? true : undefined));

  first.child.kill('SIGKILL');
  const killedAt = Date.now();
  const second = startEchoConsumer(groupId);
  const after = admission('ZY-KILL-2');
  await publisher.publish(topics.names.inpatient, after);
  await waitFor('the restarted process loaded', () =>
    second.output().includes('loaded') ? true : undefined,
  );
  const loadedAt = Date.now();
  await waitFor('the restarted process handling the next message', () =>
    second.output().includes(after.id) ? true : undefined,
  );
  const consumingAt = Date.now();
  process.stdout.write(
    `[restarts] SIGKILL → the restarted process loaded: ${loadedAt - killedAt} ms, consuming: ${consumingAt - killedAt} ms\n`,
  );
  // Timed from the restarted process having loaded (its TypeScript transpiled first, which takes what the machine's
  // load gives it): it joins the group and consumes once the killed member's 6 s session has expired, not later.
  expect(consumingAt - loadedAt).toBeLessThan(10_000);
}, 60_000);

it('keeps its membership through a handler longer than the session timeout (heartbeats go on meanwhile)', async () => {
  const groupId = uniqueName('restart-long');
  const deliveries: string[] = [];
  const host = new KafkaConsumerHost({
    kafka: testKafka(),
    groupId,
    topics: [topics.names.inpatient],
    logger: quiet,
  });
  host.handle('PatientAdmitted', async ({ envelope }) => {
    deliveries.push(envelope.id);
    // Longer than the 6 s session timeout: without heartbeats meanwhile the broker would drop the member, the
    // commit would fail and the record would be delivered again.
    if (envelope.key === 'ZY-LONG') await new Promise((resolve) => setTimeout(resolve, 8_000));
  });
  await host.start();
  hosts.push(host);
  const long = admission('ZY-LONG');
  await publisher.publish(topics.names.inpatient, long);
  const next = admission('ZY-LONG-NEXT');
  await publisher.publish(topics.names.inpatient, next);
  await waitFor('the message after the long one', () => (deliveries.includes(next.id) ? true : undefined));
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const [{ high }] = await admin.fetchTopicOffsets(topics.names.inpatient);
    const committed = await waitFor('the commit', async () => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topics.names.inpatient] });
      const offset = offsets!.partitions[0]!.offset;
      return offset === high ? offset : undefined;
    });
    expect(committed).toBe(high);
  } finally {
    await admin.disconnect();
  }
  expect(deliveries.filter((id) => id === long.id)).toHaveLength(1);
}, 60_000);
