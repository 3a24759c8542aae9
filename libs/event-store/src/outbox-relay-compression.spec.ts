import { CompressionTypes } from 'kafkajs';
import { relayCompression } from './outbox-relay';

describe('how the relay compresses a produce request', () => {
  it('sends a saga step’s few records as they are: compressing them costs every consumer more than it saves', () => {
    expect(relayCompression(1_200)).toBe(CompressionTypes.None);
    expect(relayCompression(16_383)).toBe(CompressionTypes.None);
  });

  it('gzips a large request, and a row over the topic’s limit by itself, which may fit compressed', () => {
    expect(relayCompression(16_384)).toBe(CompressionTypes.GZIP);
    expect(relayCompression(1_572_900)).toBe(CompressionTypes.GZIP);
  });
});
