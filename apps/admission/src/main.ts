import { startTelemetry } from '@yb/observability';

// Telemetry first: it instruments http, pg and Nest, which are loaded after it.
const telemetry = startTelemetry({ serviceName: 'admission' });

import('./start-admission')
  .then(({ startAdmission }) => startAdmission(telemetry))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
