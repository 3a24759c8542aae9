import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');

/**
 * How a child service runs: `source` is its main.ts through the transpile-only TypeScript register (tests:
 * always the code in the worktree); `compiled` is `npm run build`'s dist/ JavaScript, as production runs it,
 * without the ≈ 50 MiB of compiler the register keeps in every process (benchmarks, the chaos harness).
 */
export type ServiceRuntime = 'source' | 'compiled';

export interface ServiceProcessOptions {
  /** Default `source`. */
  readonly runtime?: ServiceRuntime;
  /** V8's old-space limit (`--max-old-space-size`, MiB); default: Node's own. */
  readonly maxOldSpaceMiB?: number;
  /** V8's young-generation semi-space limit (`--max-semi-space-size`, MiB): what a process's RSS peaks by under load. */
  readonly maxSemiSpaceMiB?: number;
  /**
   * glibc's malloc arenas (MALLOC_ARENA_MAX in the child's environment): by default up to 8 per core, each keeping
   * freed memory resident; the Helm chart and docker-compose run the services with 2.
   */
  readonly mallocArenaMax?: number;
  /** Write a V8 CPU profile (.cpuprofile) into this directory when the service exits (`--cpu-prof`). */
  readonly cpuProfileDir?: string;
  /**
   * Sample what the service allocates (collected objects included) and write it into this directory as
   * Alloc.<pid>.heapprofile when the service exits (tools/runtime/allocation-sampler.js).
   */
  readonly allocationProfileDir?: string;
  /**
   * Name JIT-compiled functions for `perf` (`--perf-basic-prof`: node writes /tmp/perf-<pid>.map, which the caller
   * removes when done).
   */
  readonly perfMap?: boolean;
}

/** Node's arguments to run a service's `apps/<app>/src/main.ts` in the chosen runtime. */
export function serviceNodeArgs(entry: string, options: ServiceProcessOptions = {}): string[] {
  const heap = [
    ...(options.maxOldSpaceMiB === undefined ? [] : [`--max-old-space-size=${options.maxOldSpaceMiB}`]),
    ...(options.maxSemiSpaceMiB === undefined ? [] : [`--max-semi-space-size=${options.maxSemiSpaceMiB}`]),
    ...(options.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]),
    ...(options.allocationProfileDir === undefined
      ? []
      : ['-r', path.join(ROOT, 'tools/runtime/allocation-sampler.js')]),
    ...(options.perfMap ? ['--perf-basic-prof'] : []),
  ];
  if (options.runtime !== 'compiled') return [...heap, '-r', './tools/runtime/ts-register.js', entry];
  ensureCompiled();
  return [...heap, '-r', './tools/runtime/register.js', compiledEntry(entry)];
}

/** The child's environment: `env`, with the options' MALLOC_ARENA_MAX and allocation profile's directory. */
export function serviceProcessEnv(
  env: NodeJS.ProcessEnv,
  options: ServiceProcessOptions = {},
): NodeJS.ProcessEnv {
  return {
    ...env,
    ...(options.mallocArenaMax !== undefined && { MALLOC_ARENA_MAX: String(options.mallocArenaMax) }),
    ...(options.allocationProfileDir !== undefined && {
      YB_ALLOCATION_PROFILE_DIR: options.allocationProfileDir,
    }),
  };
}

function compiledEntry(entry: string): string {
  if (!/^(apps|libs)\/.+\.ts$/.test(entry))
    throw new Error(`${entry}: only apps/ and libs/ are compiled to dist/`);
  return path.join('dist', entry.replace(/\.ts$/, '.js'));
}

let compiledChecked = false;

/**
 * dist/ must hold what the sources say: when a source under apps/ or libs/ is newer than the last build (or
 * there is none), the TypeScript build (`tsc -p tsconfig.build.json`, the server half of `npm run build`) runs
 * first, once per process; if it fails, the run stops with its errors.
 */
export function ensureCompiled(): void {
  if (compiledChecked) return;
  const builtAt = newestMtime(path.join(ROOT, 'dist'), '.js');
  const changedAt = Math.max(
    newestMtime(path.join(ROOT, 'apps'), '.ts'),
    newestMtime(path.join(ROOT, 'libs'), '.ts'),
  );
  if (builtAt < changedAt) {
    console.error(
      `[testing] dist/ ${builtAt === 0 ? 'missing' : 'older than the sources'}: building (tsc -p tsconfig.build.json) …`,
    );
    try {
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      const output = (err as { stdout?: Buffer }).stdout?.toString() ?? String(err);
      throw new Error(`compiled services: \`npm run build\` failed, fix it or run from source:\n${output}`);
    }
  }
  compiledChecked = true;
}

/** The newest modification time (ms) of a file ending in `suffix` under `dir`, skipping node_modules; 0 if none. */
function newestMtime(dir: string, suffix: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, suffix));
    else if (entry.name.endsWith(suffix)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}
