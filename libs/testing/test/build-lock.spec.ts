import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../src/service-runtime-mode';

// ensureCompiled's lock: Jest's workers, each a process, may find dist/ stale at the same time; one builds, the
// others wait for it. Here two processes hold one lock 600 ms each, as two workers' builds would.
const run = promisify(execFile);

/** A process that takes the lock, holds it `holdMs`, and prints when it had it: "start end" (ms). */
async function holder(lock: string, holdMs: number): Promise<[number, number]> {
  const script = `const { withLock } = require('./libs/testing/src/service-runtime-mode.ts');
    withLock(${JSON.stringify(lock)}, () => {
      const start = Date.now();
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
      console.log(start, Date.now());
    });`;
  const { stdout } = await run(process.execPath, ['-r', './tools/runtime/ts-register.js', '-e', script], {
    cwd: ROOT,
  });
  const [start, end] = stdout.trim().split(' ').map(Number);
  return [start!, end!];
}

describe('the build lock', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'build-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets one process at a time hold it, the other waiting', async () => {
    const lock = path.join(dir, '.build-lock');
    const [a, b] = await Promise.all([holder(lock, 600), holder(lock, 600)]);
    const [first, second] = a[0] < b[0] ? [a, b] : [b, a];
    expect(second[0]).toBeGreaterThanOrEqual(first[1]);
  }, 60_000);

  it('takes over a lock its holder left behind long ago (a crashed build)', async () => {
    const lock = path.join(dir, '.build-lock');
    mkdirSync(lock);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(lock, longAgo, longAgo);
    const [start, end] = await holder(lock, 10);
    expect(end).toBeGreaterThanOrEqual(start);
  }, 60_000);
});
