import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  formatAllocationSummary,
  summariseAllocations,
  type AllocationProfile,
} from '../src/allocation-profile-summary';

const SAMPLER = path.resolve(__dirname, '../../runtime/allocation-sampler.js');

const node = (functionName: string, url: string, selfSize: number, children: unknown[] = []) => ({
  callFrame: { functionName, url, lineNumber: 9 },
  selfSize,
  children,
});

describe('allocation profile summary', () => {
  it('adds up the bytes by function and by place, highest first, over the whole tree', () => {
    const profile = node('(root)', '', 0, [
      node('prepareValue', 'file:///w/node_modules/pg/lib/utils.js', 3_000, [node('replace', '', 5_000)]),
      node('walk', 'file:///w/dist/libs/sealing/src/identifier-fields.js', 1_000, [
        node('replace', '', 1_000),
      ]),
    ]) as unknown as AllocationProfile['head'];
    const summary = summariseAllocations({ head: profile });
    expect(summary.total).toBe(10_000);
    expect(summary.functions.map((f) => [f.name, f.amount])).toEqual([
      ['replace', 6_000],
      ['prepareValue utils.js:10', 3_000],
      ['walk identifier-fields.js:10', 1_000],
    ]);
    expect(summary.places.map((p) => [p.name, p.share])).toEqual([
      ['(native)', 0.6],
      ['pg', 0.3],
      ['libs/sealing', 0.1],
    ]);
    expect(formatAllocationSummary('fee-detail', summary, 10)).toContain('1.0 KiB per fee line');
  });

  it('samples what a process allocated and let go, not only what it still holds at exit', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'alloc-prof-'));
    try {
      // ≈ 200 MiB of arrays made and dropped at once: a live-heap profile at exit would show almost none of it.
      const script = `function makeGarbage() { let kept = 0; for (let i = 0; i < 25_000; i++) kept += new Array(1000).fill(i).length; return kept; } makeGarbage();`;
      execFileSync(process.execPath, ['-r', SAMPLER, '-e', script], {
        env: { ...process.env, YB_ALLOCATION_PROFILE_DIR: dir },
      });
      const [file] = readdirSync(dir);
      expect(file).toMatch(/^Alloc\.\d+\.heapprofile$/);
      const summary = summariseAllocations(JSON.parse(readFileSync(path.join(dir, file!), 'utf8')));
      expect(summary.total).toBeGreaterThan(100 * 1024 * 1024);
      expect(summary.functions[0]!.name).toMatch(/^makeGarbage/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
