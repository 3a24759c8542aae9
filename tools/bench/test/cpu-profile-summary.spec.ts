import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { summariseProfile, summariseProfiles } from '../src/cpu-profile-summary';
import { placeOf } from '../src/profile-tally';

// A V8 profile: a sample's time is the delta that follows it; (idle) is left out of the busy time.
const frame = (id: number, functionName: string, url = '', lineNumber = 0) => ({
  id,
  callFrame: { functionName, url, lineNumber },
});
const profile = {
  nodes: [
    frame(1, '(root)'),
    frame(2, '(idle)'),
    frame(3, '_parse', 'file:///w/node_modules/zod/v3/types.cjs', 1955),
    frame(4, 'decodeRecord', 'file:///w/dist/libs/messaging/src/decode-record.js', 14),
    frame(5, 'writev'),
  ],
  samples: [2, 3, 3, 4, 5, 2],
  timeDeltas: [0, 10_000, 3_000, 3_000, 2_000, 2_000, 0],
};

describe('CPU profile summary', () => {
  it('adds up self time by function and by place, idle left out, highest first', () => {
    const summary = summariseProfile(profile);
    expect(summary.total).toBe(10);
    expect(summary.functions.map((f) => [f.name, f.amount])).toEqual([
      ['_parse types.cjs:1956', 6],
      ['decodeRecord decode-record.js:15', 2],
      ['writev', 2],
    ]);
    expect(summary.places.map((p) => [p.name, p.share])).toEqual([
      ['zod', 0.6],
      ['libs/messaging', 0.2],
      ['(native)', 0.2],
    ]);
  });

  it('names the place: a package, a workspace project, node, V8', () => {
    expect(placeOf('file:///w/node_modules/@nestjs/core/x.js', 'f')).toBe('@nestjs/core');
    expect(placeOf('file:///w/apps/fee-detail/src/x.ts', 'f')).toBe('apps/fee-detail');
    expect(placeOf('node:internal/streams', 'f')).toBe('node');
    expect(placeOf('', '(garbage collector)')).toBe('(garbage collector)');
  });

  it("reads the profiles of the named processes by the pid in node's file name", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cpu-prof-'));
    try {
      writeFileSync(path.join(dir, 'CPU.20261204.204733.4242.0.001.cpuprofile'), JSON.stringify(profile));
      writeFileSync(path.join(dir, 'CPU.20261204.204733.999.0.001.cpuprofile'), JSON.stringify(profile));
      const summaries = summariseProfiles(dir, new Map([[4242, 'fee-detail']]));
      expect(summaries.map(([name, s]) => [name, s.total])).toEqual([['fee-detail', 10]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
