import { createLogger, PinoNestLogger } from '@yb/observability';
import { simOptionsFromEnv } from './sim-config';
import { startPlatformSim } from './sim.bootstrap';

// Starts the simulated national platform from the environment (see sim-config.ts for every variable).
async function main(): Promise<void> {
  const options = simOptionsFromEnv();
  // The services' log format: pino JSON lines, Nest's own messages included.
  const logger = createLogger({ serviceName: 'platform-sim' });
  const sim = await startPlatformSim({ ...options, logger: new PinoNestLogger(logger) });
  logger.info(
    { url: sim.url, schema: options.books.schema },
    `platform-sim listening on ${sim.url} (unified endpoint ${sim.url}/fsi/api/rsfComIfsService/callService; ` +
      `books in schema "${options.books.schema}")`,
  );
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
