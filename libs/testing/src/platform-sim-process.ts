import { createServer } from 'node:net';
import { ChildService } from './child-service';
import { createTestSchema, type TestSchema } from './postgres';
import { type ServiceProcessOptions } from './service-runtime-mode';

/**
 * The platform simulator as a child process (apps may not import other apps), with its admin API. Its books
 * live in a throw-away schema of its own (dropped by stop()) unless the env names PLATFORM_SIM_SCHEMA; a
 * restart keeps them, as a second start of the same installation would.
 */
export class PlatformSimProcess {
  private constructor(
    private service: ChildService,
    private readonly env: NodeJS.ProcessEnv,
    /** The books' schema when this object created it (and so drops it). */
    private readonly ownSchema: TestSchema | undefined,
    readonly url: string,
    private readonly processOptions: ServiceProcessOptions,
  ) {}

  static async start(
    env: Record<string, string> = {},
    processOptions: ServiceProcessOptions = {},
  ): Promise<PlatformSimProcess> {
    const ownSchema = env.PLATFORM_SIM_SCHEMA ? undefined : await createTestSchema('platform_sim');
    try {
      for (let attempt = 1; ; attempt++) {
        const port = await freePort();
        const fullEnv: NodeJS.ProcessEnv = {
          ...process.env,
          // Its start is known by its "listening" line, an info line: a test quieting its own logs must not hide it.
          LOG_LEVEL: 'info',
          PLATFORM_SIM_PORT: String(port),
          ...(ownSchema && {
            PLATFORM_SIM_DATABASE_URL: ownSchema.databaseUrl,
            PLATFORM_SIM_SCHEMA: ownSchema.schema,
          }),
          ...env,
        };
        try {
          return new PlatformSimProcess(
            await startSim(fullEnv, processOptions),
            fullEnv,
            ownSchema,
            `http://127.0.0.1:${fullEnv.PLATFORM_SIM_PORT}`,
            processOptions,
          );
        } catch (err) {
          // The port was free when asked for, then taken before the child bound it (by another test's socket, an
          // outgoing connection's ephemeral port among them: CI, 6 Dec): another port, unless the caller chose it.
          const taken = err instanceof Error && err.message.includes('EADDRINUSE');
          if (!taken || env.PLATFORM_SIM_PORT !== undefined || attempt === PORT_ATTEMPTS) throw err;
        }
      }
    } catch (err) {
      await ownSchema?.drop();
      throw err;
    }
  }

  /** The simulator's process id. */
  get pid(): number | undefined {
    return this.service.pid;
  }

  /** The schema of the simulator's books. */
  get schema(): string {
    return this.env.PLATFORM_SIM_SCHEMA!;
  }

  /**
   * Stops the simulator (SIGTERM, or SIGKILL as a crash) and starts it again on the same port and books: it
   * replays its log and carries on.
   */
  async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.service.stop(signal);
    this.service = await startSim(this.env, this.processOptions);
  }

  /** Stops the simulator and drops its books if they were throw-away. */
  async stop(): Promise<void> {
    await this.service.stop();
    await this.ownSchema?.drop();
  }

  async admin<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

function startSim(env: NodeJS.ProcessEnv, options: ServiceProcessOptions): Promise<ChildService> {
  return ChildService.start('apps/platform-sim/src/main.ts', env, /platform-sim listening/, options);
}

/** How many ports a start tries when the one it was given is taken before the child binds it. */
const PORT_ATTEMPTS = 5;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
