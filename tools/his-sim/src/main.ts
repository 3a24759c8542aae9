// The HIS simulator's command line: see USAGE in cli-options.ts, or run with --help.
import { startTelemetry } from '@yb/observability';
import { parseCommandLine, USAGE } from './cli-options';
import { startHisSimulator } from './his-simulator';

const PROGRESS_EVERY_MS = 5000;

async function main(): Promise<number> {
  let options;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let simulator;
  try {
    simulator = await startHisSimulator(options);
  } catch (err) {
    process.stderr.write(`[his-sim] cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const first = simulator.stats();
  process.stderr.write(`[his-sim] seed ${first.seed}; manifest ${first.manifestPath}\n`);
  // Counts only: the simulator's messages carry (fictitious) patient identifiers, which never go to logs.
  const progress = setInterval(() => {
    const s = simulator.stats();
    process.stderr.write(
      `[his-sim] ${s.published} messages, ${s.visitsStarted} visits (${s.visitsCompleted} complete), ${s.achievedRatePerSecond}/s\n`,
    );
  }, PROGRESS_EVERY_MS);
  const stop = () => void simulator.stop().catch(() => undefined);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const stats = await simulator.finished;
    process.stdout.write(`${JSON.stringify(stats)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`[his-sim] ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    clearInterval(progress);
  }
}

// With OTEL_* set (npm start sets the local Zipkin), each HIS publish is the root span of its message's trace.
const telemetry = startTelemetry({ serviceName: 'his-sim' });

main().then(
  async (code) => {
    await telemetry.shutdown();
    process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`[his-sim] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
