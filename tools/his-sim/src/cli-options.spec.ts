import { parseCommandLine, parseDuration, parseRate } from './cli-options';
import { assertLoopbackBrokers } from './loopback-brokers';

describe('command line', () => {
  it('reads rates, durations and counts', () => {
    expect(parseRate('50/s')).toBe(50);
    expect(parseRate('3000/min')).toBe(50);
    expect(parseRate('20')).toBe(20);
    expect(parseDuration('60s')).toBe(60_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1500ms')).toBe(1500);
    expect(
      parseCommandLine(['--beds', '100', '--rate', '50/s', '--duration', '60s', '--seed', '42']),
    ).toEqual({
      beds: 100,
      ratePerSecond: 50,
      durationMs: 60_000,
      seed: 42,
    });
    expect(parseCommandLine(['--episodes', '10', '--brokers', '127.0.0.1:9092'])).toEqual({
      episodes: 10,
      brokers: ['127.0.0.1:9092'],
    });
    expect(parseCommandLine(['--batch', '500'])).toEqual({ batchSize: 500 });
    expect(parseCommandLine(['--real-time', '--beds', '40'])).toEqual({ realTime: true, beds: 40 });
    expect(parseCommandLine(['--cashier-confirms'])).toEqual({ cashierConfirms: true });
    expect(parseCommandLine(['--help'])).toBe('help');
  });

  it('refuses bad values, naming the option', () => {
    expect(() => parseRate('fast')).toThrow('--rate');
    expect(() => parseDuration('0s')).toThrow('--duration');
    expect(() => parseCommandLine(['--beds', '-3'])).toThrow('--beds');
    expect(() => parseCommandLine(['--batch', '0'])).toThrow('--batch');
    expect(() => parseCommandLine(['--episodes', '1.5'])).toThrow('--episodes');
    expect(() => parseCommandLine(['--seed', '99999999999'])).toThrow('--seed');
    expect(() => parseCommandLine(['--start', 'yesterday'])).toThrow('--start');
    expect(() => parseCommandLine(['--bogus'])).toThrow();
  });

  it('accepts only loopback brokers', () => {
    expect(() => assertLoopbackBrokers(['127.0.0.1:9092', 'localhost:9093', '[::1]:9094'])).not.toThrow();
    expect(() => assertLoopbackBrokers(['10.0.0.5:9092'])).toThrow(
      '"10.0.0.5:9092" is not a loopback address',
    );
    expect(() => assertLoopbackBrokers(['kafka.hospital.local:9092'])).toThrow('not a loopback address');
    expect(() => assertLoopbackBrokers(['127.0.0.1'])).toThrow('is not host:port');
  });
});
