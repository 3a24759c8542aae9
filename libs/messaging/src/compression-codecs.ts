// kafkajs-snappy ships no types: the reference brings its declaration into every program that compiles this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./kafkajs-snappy.d.ts" />
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';

/** What kafkajs hands a codec to compress: the encoded records. */
interface Encoded {
  buffer: Buffer;
}

/**
 * Registers snappy, lz4 and zstd with kafkajs, which decodes gzip only: without them a single record a HIS
 * producer compressed otherwise fails every fetch of its partition's broker (KafkaJSNotImplemented) and stops
 * the consumer. kafkajs-snappy reads the xerial framing Java producers write; lz4 is the LZ4 frame format Kafka
 * uses; zstd decodes streamed frames (no content size), as Java producers write them. All three come prebuilt
 * or in pure JavaScript. Global to the kafkajs module, so once per process is enough; calling again is harmless.
 */
export function registerCompressionCodecs(): void {
  CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;
  // kafkajs asks for a codec only when a batch uses it: the native lz4 and zstd libraries (≈ 6 MiB resident
  // together) are loaded then, not in every process that never meets such a record.
  CompressionCodecs[CompressionTypes.LZ4] = () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lz4 = require('lz4-napi') as typeof import('lz4-napi');
    return {
      compress: ({ buffer }: Encoded) => lz4.compressFrame(buffer),
      decompress: (buffer: Buffer) => lz4.decompressFrame(buffer),
    };
  };
  CompressionCodecs[CompressionTypes.ZSTD] = () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const zstd = require('@mongodb-js/zstd') as typeof import('@mongodb-js/zstd');
    return {
      compress: ({ buffer }: Encoded) => zstd.compress(buffer),
      decompress: (buffer: Buffer) => zstd.decompress(buffer),
    };
  };
}
