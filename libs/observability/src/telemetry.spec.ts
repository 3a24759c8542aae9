import { inFreshProcess } from '@yb/testing';
import { startTelemetry } from './telemetry';

/** In a fresh Node process (Jest's module registry is not Node's): whether startTelemetry loaded the SDK. */
function sdkLoadedAfterStart(env: Record<string, string>): boolean {
  const script = `
    const { startTelemetry } = require('./libs/observability/src/telemetry.ts');
    const telemetry = startTelemetry({ serviceName: 'probe' });
    const loaded = Object.keys(require.cache).some((file) => file.includes('@opentelemetry/sdk-node'));
    console.log(JSON.stringify({ enabled: telemetry.enabled, loaded }));
    telemetry.shutdown().then(() => process.exit(0));`;
  const { enabled, loaded } = inFreshProcess<{ enabled: boolean; loaded: boolean }>(script, env);
  expect(loaded).toBe(enabled);
  return loaded;
}

describe('startTelemetry', () => {
  it('is off, and shuts down cleanly, when OTEL_SDK_DISABLED=true', async () => {
    const previous = process.env.OTEL_SDK_DISABLED;
    process.env.OTEL_SDK_DISABLED = 'true';
    try {
      const telemetry = startTelemetry({ serviceName: 'test' });
      expect(telemetry.enabled).toBe(false);
      await expect(telemetry.shutdown()).resolves.toBeUndefined();
    } finally {
      if (previous === undefined) delete process.env.OTEL_SDK_DISABLED;
      else process.env.OTEL_SDK_DISABLED = previous;
    }
  });

  it('loads the SDK only when tracing is on (off: OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none)', () => {
    expect(sdkLoadedAfterStart({ OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(sdkLoadedAfterStart({ OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(sdkLoadedAfterStart({ OTEL_TRACES_EXPORTER: 'zipkin' })).toBe(true);
  });
});
