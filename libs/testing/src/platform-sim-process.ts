import { createServer } from 'node:net';
import { ChildService } from './child-service';

/** The platform simulator as a child process (apps may not import other apps), with its admin API. */
export class PlatformSimProcess {
  private constructor(
    private readonly service: ChildService,
    readonly url: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<PlatformSimProcess> {
    const port = await freePort();
    const service = await ChildService.start(
      'apps/platform-sim/src/main.ts',
      { ...process.env, PLATFORM_SIM_PORT: String(port), ...env },
      /platform-sim listening/,
    );
    return new PlatformSimProcess(service, `http://127.0.0.1:${port}`);
  }

  /** The simulator's process id. */
  get pid(): number | undefined {
    return this.service.pid;
  }

  async stop(): Promise<void> {
    await this.service.stop();
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
