import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '../../..');

/**
 * Runs an app from its TypeScript sources in a child process (apps never import each other; tools and
 * benchmarks talk to them the way the services do) and resolves once it prints `readyPattern`.
 */
export function startApp(
  app: string,
  env: Record<string, string>,
  readyPattern: RegExp,
  timeoutMs = 60_000,
): Promise<{ child: ChildProcess; output: string[]; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['-r', path.join(root, 'tools/runtime/ts-register.js'), path.join(root, `apps/${app}/src/main.ts`)],
    { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} did not print ${readyPattern} within ${timeoutMs} ms:\n${output.join('')}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (readyPattern.test(output.join(''))) {
        clearTimeout(timer);
        resolve({ child, output, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${app} exited with ${code} before it was ready:\n${output.join('')}`));
    });
  });
}
