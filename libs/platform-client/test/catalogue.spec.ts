import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOGUE, CATALOGUE_COUNTS } from '../src/catalogue';

// The committed catalogue against the seeds it is generated from. The seeds are re-counted here with
// a deliberately naive parse (every cell that is an interface code), independent of the generator.

const repoRoot = join(__dirname, '../../..');
const seedsDir = join(repoRoot, 'tools/catalogue/seeds');
const generator = join(repoRoot, 'tools/catalogue/generate-catalogue.mjs');
const CODE = /^(\d{4}[A-Za-z]?|\d{6}|[A-Z]{2}\d{2})$/;

function seed(prefix: string): string {
  const name = readdirSync(seedsDir).find((file) => file.startsWith(prefix) && file.endsWith('.txt'));
  if (!name) throw new Error(`seed ${prefix} missing`);
  return readFileSync(join(seedsDir, name), 'utf8');
}

const nationalCodes = new Set(
  seed('000_')
    .split('\n')
    .map((line) => /^- (\S+) /.exec(line)?.[1])
    .filter((code): code is string => code !== undefined)
    .map((code) => code.toUpperCase()),
);
const hubeiCodes = new Set(
  seed('002_')
    .split('\n')
    .flatMap((line) => line.split('\t').map((cell) => cell.trim()))
    .filter((cell) => CODE.test(cell))
    .map((code) => code.toUpperCase()),
);

describe('interface catalogue against its seeds', () => {
  it('has every interface of the national catalogue', () => {
    const listed = CATALOGUE.filter((entry) => entry.sources.includes('national')).map(
      (entry) => entry.infno,
    );
    expect(new Set(listed)).toEqual(nationalCodes);
    expect(listed).toHaveLength(nationalCodes.size);
    expect(CATALOGUE_COUNTS.national).toBe(nationalCodes.size);
  });

  it("has every interface of Hubei's list", () => {
    const listed = CATALOGUE.filter((entry) => entry.sources.includes('hubei')).map((entry) => entry.infno);
    expect(new Set(listed)).toEqual(hubeiCodes);
    expect(listed).toHaveLength(hubeiCodes.size);
    expect(CATALOGUE_COUNTS.hubei).toBe(hubeiCodes.size);
  });

  it('has one entry per interface of either seed', () => {
    const union = new Set([...nationalCodes, ...hubeiCodes]);
    const hubeiOnly = [...hubeiCodes].filter((code) => !nationalCodes.has(code));
    expect(CATALOGUE.map((entry) => entry.infno).sort()).toEqual([...union].sort());
    expect(CATALOGUE_COUNTS.union).toBe(union.size);
    expect(CATALOGUE_COUNTS.hubeiOnly).toBe(hubeiOnly.length);
    expect(hubeiOnly).toEqual(
      expect.arrayContaining([
        '1312A',
        '3202A',
        '3203A',
        '3204A',
        '3204B',
        '1608',
        '1618',
        '3205A',
        '5262',
        '5267',
        'YH03',
        '4101A',
      ]),
    );
  });

  it('is what the generator makes of the seeds today (--check)', () => {
    expect(execFileSync(process.execPath, [generator, '--check'], { encoding: 'utf8' })).toContain(
      'matches the seeds',
    );
  });

  it('--check exits 1 when the JSON differs from what the seeds give', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    try {
      const stale = join(dir, 'catalogue.data.json');
      const committed = readFileSync(
        join(repoRoot, 'libs/platform-client/src/catalogue/catalogue.data.json'),
        'utf8',
      );
      writeFileSync(stale, committed.replace('"name": "入院办理"', '"name": "入院"'));
      const result = spawnSync(process.execPath, [generator, '--check', '--output', stale], {
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('out of date with the seeds');
      writeFileSync(stale, committed);
      expect(spawnSync(process.execPath, [generator, '--check', '--output', stale]).status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
