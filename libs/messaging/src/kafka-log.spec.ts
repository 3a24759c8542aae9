import { logLevel, type LogEntry } from 'kafkajs';
import { kafkaLogCreator, type KafkaLogSink, TransientStreaks } from './kafka-log';

function recorder() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (fields: object, message: string) =>
    void lines.push({ level, message, fields: fields as Record<string, unknown> });
  const sink: KafkaLogSink = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { lines, sink };
}

const entry = (level: logLevel, message: string, extra: object = {}): LogEntry => ({
  namespace: 'Connection',
  level,
  label: logLevel[level],
  log: {
    timestamp: '2026-12-03T13:00:00.000Z',
    logger: 'kafkajs',
    message,
    broker: '127.0.0.1:9092',
    ...extra,
  },
});

const loading = entry(logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2)', {
  error: "The coordinator is loading and hence can't process requests for this group",
});

describe('kafkajs through the service logger', () => {
  it('keeps what kafkajs retries by itself at debug while it is brief, then warns every 30 s while it lasts', () => {
    const { lines, sink } = recorder();
    let now = 0;
    const log = kafkaLogCreator(sink, () => now)(logLevel.WARN);
    for (now = 0; now <= 10_000; now += 1_000) log(loading);
    expect(lines.every((l) => l.level === 'debug')).toBe(true);
    expect(lines[0]).toMatchObject({
      message: 'kafkajs: Response GroupCoordinator(key: 10, version: 2)',
      fields: { kafkajs: 'Connection', broker: '127.0.0.1:9092' },
    });

    lines.length = 0;
    for (now = 11_000; now <= 70_000; now += 1_000) log(loading);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.fields.transient_for_ms)).toEqual([
      30_000, 60_000,
    ]);

    // Once it cleared, a new blip starts quiet again.
    lines.length = 0;
    now = 200_000;
    log(loading);
    log(entry(logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092'));
    log(
      entry(logLevel.ERROR, 'Response Heartbeat(key: 12, version: 3)', {
        error: 'The coordinator is not aware of this member',
      }),
    );
    expect(lines.map((l) => l.level)).toEqual(['debug', 'debug', 'debug']);
  });

  it('leaves errors kafkajs does not retry as errors, and warnings and info as they are', () => {
    const { lines, sink } = recorder();
    const log = kafkaLogCreator(sink)(logLevel.INFO);
    log(
      entry(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded', { error: 'Topic authorization failed' }),
    );
    log(entry(logLevel.WARN, 'Consumer group rebalancing'));
    log(entry(logLevel.INFO, 'Consumer has joined the group'));
    expect(lines.map((l) => l.level)).toEqual(['error', 'warn', 'info']);
  });

  it('takes lines that differ only in their numbers as one streak (a consumer restarting after a random wait)', () => {
    const { lines, sink } = recorder();
    let now = 0;
    const log = kafkaLogCreator(sink, () => now)(logLevel.WARN);
    for (now = 0; now <= 40_000; now += 1_000)
      log({
        ...entry(logLevel.ERROR, `Restarting the consumer in ${1_000 + ((now * 7) % 2_000)}ms`),
        namespace: 'Consumer',
      });
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(lines.find((l) => l.level === 'warn')?.fields).toMatchObject({ transient_for_ms: 30_000 });
  });
});

describe('TransientStreaks', () => {
  it('forgets the kinds quiet for 30 s when a new kind comes, and keeps a streak going while it repeats', () => {
    const streaks = new TransientStreaks();
    const first = streaks.seen('Connection:connect ECONNREFUSED broker-alpha:9092', 0);
    streaks.seen('Connection:connect ECONNREFUSED broker-beta:9092', 10_000);
    streaks.seen('Consumer:The coordinator is loading', 20_000);
    expect(streaks.size).toBe(3);
    expect(streaks.seen('Consumer:The coordinator is loading', 45_000).since).toBe(20_000);
    streaks.seen('Connection:connect ECONNREFUSED broker-gamma:9092', 60_000);
    expect(streaks.size).toBe(2);
    expect(first.last).toBe(0);
  });
});
