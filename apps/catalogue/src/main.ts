import { startTelemetry } from '@yb/observability';

// Telemetry first: it instruments http, pg and Nest, which must be loaded after it.
const telemetry = startTelemetry({ serviceName: 'catalogue' });

import('./start-catalogue')
  .then(({ startCatalogue }) => startCatalogue(telemetry))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
