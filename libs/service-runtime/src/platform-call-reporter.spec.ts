import { parseMessage, type Envelope } from '@yb/contracts';
import { type KafkaPublisher } from '@yb/messaging';
import { type SettledCall } from '@yb/platform-client';
import { waitFor } from '@yb/testing';
import { type Logger } from 'pino';
import { PlatformCallReporter, platformCallCompletedEnvelope } from './platform-call-reporter';

const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const settled: SettledCall = {
  infno: '2304',
  status: 'REJECTED',
  seconds: 0.1824,
  msgid: 'H42010200123202405081030000007',
  visitKey: 'ZY20240501001',
  err_msg: '结算总金额与明细总金额不符',
};

describe('platformCallCompletedEnvelope', () => {
  it('is a valid PlatformCallCompleted keyed by the visit, in the call trace', () => {
    const envelope = platformCallCompletedEnvelope('settlement', settled, traceparent);
    expect(parseMessage(envelope)).toMatchObject({
      type: 'PlatformCallCompleted',
      key: 'ZY20240501001',
      traceparent,
      data: {
        service: 'settlement',
        infno: '2304',
        msgid: settled.msgid,
        outcome: 'REJECTED',
        duration_ms: 182.4,
        ipt_no: 'ZY20240501001',
        err_msg: '结算总金额与明细总金额不符',
      },
    });
  });

  it('leaves err_msg out of a success and cuts a transport error to the contract length', () => {
    const { err_msg: _none, ...succeeded } = settled;
    const ok = platformCallCompletedEnvelope('admission', { ...succeeded, status: 'SUCCEEDED' }, null);
    expect(parseMessage(ok).data).not.toHaveProperty('err_msg');
    const unknown = platformCallCompletedEnvelope(
      'admission',
      { ...settled, status: 'UNKNOWN', err_msg: `reset: ${'x'.repeat(5000)}` },
      null,
    );
    expect((parseMessage(unknown).data as { err_msg: string }).err_msg).toHaveLength(4000);
  });
});

describe('PlatformCallReporter', () => {
  /** A publisher whose sends wait for the test to settle them. */
  function heldPublisher() {
    const sends: { topic: string; envelopes: Envelope[]; settle: (error?: Error) => void }[] = [];
    const publisher = {
      connect: jest.fn(async () => undefined),
      disconnect: jest.fn(async () => undefined),
      publishAll: (topic: string, envelopes: Envelope[]) =>
        new Promise<never[]>((resolve, reject) =>
          sends.push({ topic, envelopes, settle: (error) => (error ? reject(error) : resolve([])) }),
        ),
    };
    return { publisher, sends };
  }
  const logger = () => ({ warn: jest.fn() });

  it('never makes the caller wait for Kafka, logs a report it could not publish, and drains on stop', async () => {
    const { publisher, sends } = heldPublisher();
    const log = logger();
    const reporter = new PlatformCallReporter(
      publisher as unknown as KafkaPublisher,
      'settlement',
      't.insurance.platform-calls',
      log as unknown as Logger,
    );
    expect(reporter.report(settled)).toBeUndefined(); // synchronous: the call's result is not held up
    await waitFor('the send', () => sends[0]);
    expect(sends[0]).toMatchObject({
      topic: 't.insurance.platform-calls',
      envelopes: [{ key: settled.visitKey }],
    });

    sends[0]!.settle(new Error('broker unreachable'));
    await reporter.stop();
    expect(log.warn).toHaveBeenCalledWith(
      expect.objectContaining({ infno: '2304', msgid: settled.msgid }),
      'platform call report not published',
    );
    expect(publisher.disconnect).toHaveBeenCalled();

    reporter.report(settled);
    expect(log.warn).toHaveBeenLastCalledWith(
      expect.objectContaining({ msgid: settled.msgid }),
      'platform call not reported: the service is stopping',
    );
  });

  it('waits on stop for a report still in flight', async () => {
    const { publisher, sends } = heldPublisher();
    const reporter = new PlatformCallReporter(
      publisher as unknown as KafkaPublisher,
      'admission',
      'insurance.platform-calls',
      logger() as unknown as Logger,
    );
    reporter.report(settled);
    await waitFor('the send', () => sends[0]);
    let stopped = false;
    const stopping = reporter.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    sends[0]!.settle();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('sends the reports settled while a produce request is in flight together in the next one, in order', async () => {
    const { publisher, sends } = heldPublisher();
    const log = logger();
    const reporter = new PlatformCallReporter(
      publisher as unknown as KafkaPublisher,
      'fee-detail',
      'insurance.platform-calls',
      log as unknown as Logger,
    );
    reporter.report({ ...settled, msgid: 'M1' });
    await waitFor('the first send', () => sends[0]);
    reporter.report({ ...settled, msgid: 'M2' });
    reporter.report({ ...settled, msgid: 'M3', visitKey: 'ZY20240501002' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sends).toHaveLength(1);

    sends[0]!.settle(new Error('broker unreachable'));
    await waitFor('the second send', () => sends[1]);
    expect(sends[1]!.envelopes.map((e) => [e.data, e.key])).toEqual([
      [expect.objectContaining({ msgid: 'M2' }), settled.visitKey],
      [expect.objectContaining({ msgid: 'M3' }), 'ZY20240501002'],
    ]);
    sends[1]!.settle(new Error('broker unreachable'));
    await reporter.stop();
    // Each report of a failed request is logged, none of them twice.
    expect(log.warn.mock.calls.map(([about]) => (about as { msgid: string }).msgid)).toEqual([
      'M1',
      'M2',
      'M3',
    ]);
  });
});
