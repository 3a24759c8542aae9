import { startTelemetry } from './telemetry';

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
});
