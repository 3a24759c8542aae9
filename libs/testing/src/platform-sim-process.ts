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
      const fullEnv: NodeJS.ProcessEnv = {
        ...process.env,
        // Its start is known by its "listening" line, an info line: a test quieting its own logs must not hide it.
        LOG_LEVEL: 'info',
        // Port 0: the child binds a port the OS picks and says which on its "listening" line. A port found free
        // here and handed over could be taken before the child binds it (CI, 6 Dec: EADDRINUSE).
        PLATFORM_SIM_PORT: '0',
        ...(ownSchema && {
          PLATFORM_SIM_DATABASE_URL: ownSchema.databaseUrl,
          PLATFORM_SIM_SCHEMA: ownSchema.schema,
        }),
        ...env,
      };
      const service = await startSim(fullEnv, processOptions);
      const url = service.ready[1]!;
      // A restart comes back on the same port, as the services were told where the platform is.
      fullEnv.PLATFORM_SIM_PORT = new URL(url).port;
      return new PlatformSimProcess(service, fullEnv, ownSchema, url, processOptions);
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
  return ChildService.start(
    'apps/platform-sim/src/main.ts',
    env,
    /platform-sim listening on (http:\/\/\S+)/,
    options,
  );
}
