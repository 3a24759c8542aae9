import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');

/**
 * How a child service runs: `compiled` is `npm run build`'s dist/ JavaScript, as production runs it, built first
 * when a source is newer (ensureCompiled), so a test still runs the code in the worktree; `source` is its main.ts
 * through the transpile-only TypeScript register, which transpiles every module at each start (≈ 6 s of CPU for
 * fee-detail's, against 1 s compiled) and keeps ≈ 50 MiB of compiler in the process.
 */
export type ServiceRuntime = 'source' | 'compiled';

export interface ServiceProcessOptions {
  /** Default `compiled` for what the build compiles (apps/<app>/src, libs/<lib>/src), `source` for the rest. */
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
  const runtime = options.runtime ?? (BUILT.test(entry) ? 'compiled' : 'source');
  if (runtime === 'source') return [...heap, '-r', './tools/runtime/ts-register.js', entry];
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

/** What tsconfig.build.json compiles to dist/: the apps' and libraries' sources (not their tests' support files). */
const BUILT = /^(apps|libs)\/[^/]+\/src\/.+\.ts$/;

function compiledEntry(entry: string): string {
  if (!BUILT.test(entry)) throw new Error(`${entry}: only apps/*/src and libs/*/src are compiled to dist/`);
  return path.join('dist', entry.replace(/\.ts$/, '.js'));
}

let compiledChecked = false;

/**
 * dist/ must hold what the sources say: when a source under apps/ or libs/ is newer than the last build (or
 * there is none), the TypeScript build (`tsc -p tsconfig.build.json`, the server half of `npm run build`) runs
 * first, once per process; if it fails, the run stops with its errors. Jest's workers may ask at the same time:
 * one builds, behind a lock directory, and the others wait for it and look again.
 */
export function ensureCompiled(): void {
  if (compiledChecked) return;
  if (distIsStale()) withLock(path.join(ROOT, 'dist', '.build-lock'), () => distIsStale() && build());
  compiledChecked = true;
}

/** Whether a source the build compiles (tests and libs/testing are not) is newer than dist/'s newest file. */
function distIsStale(): boolean {
  const builtAt = newestMtime(path.join(ROOT, 'dist'), '.js');
  let changedAt = 0;
  for (const top of ['apps', 'libs'])
    for (const project of readdirSync(path.join(ROOT, top), { withFileTypes: true }))
      if (project.isDirectory() && !(top === 'libs' && project.name === 'testing'))
        changedAt = Math.max(changedAt, newestMtime(path.join(ROOT, top, project.name, 'src'), '.ts'));
  return builtAt < changedAt;
}

function build(): void {
  console.error('[testing] dist/ missing or older than the sources: building (tsc -p tsconfig.build.json) …');
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

/** A build takes well under this; a lock older is a crashed builder's, and is taken over. */
const LOCK_STALE_MS = 5 * 60_000;

/**
 * Runs `work` holding the lock `lock` (a directory: its creation is atomic), waiting while another process holds
 * it; a lock held longer than a build could take is a crashed holder's, and is taken over.
 */
export function withLock(lock: string, work: () => unknown): void {
  mkdirSync(path.dirname(lock), { recursive: true });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const heldFor = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (heldFor > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(pause, 0, 0, 200);
    }
  }
  try {
    work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The newest modification time (ms) of a file ending in `suffix` under `dir`, skipping node_modules; 0 if none. */
function newestMtime(dir: string, suffix: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, suffix));
    else if (entry.name.endsWith(suffix) && !/\.(spec|test)\.ts$/.test(entry.name))
      newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}
