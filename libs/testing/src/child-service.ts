import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT, serviceNodeArgs, serviceProcessEnv, type ServiceProcessOptions } from './service-runtime-mode';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A service's main.ts run as production runs it, in a child process (from source through the workspace's
 * transpile-only register, or compiled from dist/: see ServiceRuntime), started once its ready line appears on
 * stdout or stderr.
 */
export class ChildService {
  private constructor(
    private readonly child: ChildProcess,
    private readonly exit: Promise<ChildExit>,
    private readonly log: { text: string },
    /** The ready line's match (e.g. the URL it printed). */
    readonly ready: RegExpMatchArray,
  ) {}

  static async start(
    entry: string,
    env: NodeJS.ProcessEnv,
    readyLine: RegExp,
    options: ServiceProcessOptions = {},
  ): Promise<ChildService> {
    const child = spawn(process.execPath, serviceNodeArgs(entry, options), {
      cwd: ROOT,
      env: serviceProcessEnv(env, options),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = { text: '' };
    const exit = new Promise<ChildExit>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const ready = await new Promise<RegExpMatchArray>((resolve, reject) => {
      const collect = (chunk: Buffer) => {
        log.text += chunk.toString();
        const match = log.text.match(readyLine);
        if (match) resolve(match);
      };
      child.stdout!.on('data', collect);
      child.stderr!.on('data', collect);
      void exit.then(({ code, signal }) =>
        reject(new Error(`${entry} exited (${code ?? signal}) before it was ready:\n${log.text}`)),
      );
    });
    return new ChildService(child, exit, log, ready);
  }

  /** The process id (e.g. to read its memory from /proc); undefined if the spawn failed. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Everything the process wrote so far (stdout and stderr). */
  get output(): string {
    return this.log.text;
  }

  /** Sends the signal (SIGTERM: a graceful shutdown; SIGKILL: a crash) and waits for the process to end. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<ChildExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exit;
  }
}
