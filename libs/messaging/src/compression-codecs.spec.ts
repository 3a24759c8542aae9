import { inFreshProcess } from '@yb/testing';

/**
 * In a fresh Node process (Jest's module registry is not Node's): which native codec libraries are loaded after
 * registering the codecs, and after kafkajs asked for lz4 and zstd and round-tripped a buffer through each.
 */
function nativeCodecsLoaded(): { registered: string[]; used: string[]; roundTrips: boolean } {
  const script = `
    const { CompressionCodecs, CompressionTypes } = require('kafkajs');
    const { registerCompressionCodecs } = require('./libs/messaging/src/compression-codecs.ts');
    const loaded = () => Object.keys(require.cache)
      .filter((file) => /node_modules\\/(lz4-napi|@mongodb-js\\/zstd)\\//.test(file))
      .map((file) => file.match(/node_modules\\/(lz4-napi|@mongodb-js\\/zstd)\\//)[1]);
    registerCompressionCodecs();
    const registered = loaded();
    (async () => {
      const buffer = Buffer.from('{"type":"FeeLinesCharged"}'.repeat(20));
      let roundTrips = true;
      for (const type of [CompressionTypes.LZ4, CompressionTypes.ZSTD]) {
        const codec = CompressionCodecs[type]();
        const back = await codec.decompress(await codec.compress({ buffer }));
        roundTrips = roundTrips && Buffer.compare(back, buffer) === 0;
      }
      console.log(JSON.stringify({ registered, used: [...new Set(loaded())].sort(), roundTrips }));
    })();`;
  return inFreshProcess(script);
}

it('loads the native lz4 and zstd libraries only when kafkajs first asks for their codec', () => {
  expect(nativeCodecsLoaded()).toEqual({
    registered: [],
    used: ['@mongodb-js/zstd', 'lz4-napi'],
    roundTrips: true,
  });
});
