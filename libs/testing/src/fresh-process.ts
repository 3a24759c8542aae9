import { execFileSync } from 'node:child_process';
import { ROOT } from './service-runtime-mode';

/**
 * Runs `script` in a fresh Node process on the workspace's TypeScript (tools/runtime/ts-register.js, from the
 * repository's root), for what Jest's module registry cannot show — which modules Node itself loaded — and returns
 * the JSON the script printed last. The process's environment is PATH and `env`.
 */
export function inFreshProcess<T>(script: string, env: Record<string, string> = {}): T {
  const out = execFileSync(process.execPath, ['-r', './tools/runtime/ts-register.js', '-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}
