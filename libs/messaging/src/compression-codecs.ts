// kafkajs-snappy ships no types: the reference brings its declaration into every program that compiles this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./kafkajs-snappy.d.ts" />
import { compress as zstdCompress, decompress as zstdDecompress } from '@mongodb-js/zstd';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import { compressFrame, decompressFrame } from 'lz4-napi';

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
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: ({ buffer }: Encoded) => compressFrame(buffer),
    decompress: (buffer: Buffer) => decompressFrame(buffer),
  });
  CompressionCodecs[CompressionTypes.ZSTD] = () => ({
    compress: ({ buffer }: Encoded) => zstdCompress(buffer),
    decompress: (buffer: Buffer) => zstdDecompress(buffer),
  });
}
