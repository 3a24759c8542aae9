import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../../..');

/** A row's figures: the heap after it, and what it added (absent on the baseline and the services' rows). */
function row(output: string, label: string): { heap: number; added?: number } {
  const line = output.split('\n').find((l) => l.startsWith(label));
  if (!line) throw new Error(`no row "${label}" in:\n${output}`);
  const [heap, added] = line.slice(label.length).trim().split(/\s+/);
  return { heap: Number(heap), ...(added && { added: Number(added.replace('−', '-')) }) };
}

describe('bench:module-heap (one process per row)', () => {
  it('prints the heap each part of a service adds over Node alone, and a service’s modules', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', './tools/runtime/ts-register.js', 'tools/bench/src/module-heap.ts', '--runs', '1'],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    const baseline = row(stdout, 'node alone (raw baseline)');
    expect(baseline.heap).toBeGreaterThan(1);
    expect(baseline.heap).toBeLessThan(10);
    expect(row(stdout, "fee-detail's modules, loaded").heap).toBeGreaterThan(baseline.heap + 10);
    // The interfaces' schemas are built on first use: loading the client no longer builds all ≈ 60 (+8 MiB).
    expect(row(stdout, '+ @yb/platform-client').added).toBeLessThan(6);
    expect(row(stdout, '+ a first 2401 input checked').added).toBeGreaterThan(0);
  }, 180_000);
});
