import fs from 'node:fs';
import path from 'node:path';

// The books are rebuilt by replaying the log: a rule that read the clock or a random source would decide
// differently on replay and the sandbox would refuse to start. Time and ids come from LedgerContext only.

const NONDETERMINISTIC = [
  /Math\.random\(/,
  /randomUUID\(/,
  /randomBytes\(/,
  /Date\.now\(/,
  /new Date\(\)/,
  /performance\.now\(/,
];
/** The one place the wall clock enters: the ledger's injectable `now` (set on by POST /sim/clock), recorded with each entry. */
const CLOCK_SOURCE = {
  file: 'ledger/sim-ledger.ts',
  line: 'const realNow = options.now ?? (() => new Date());',
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

describe('the ledger’s rules are deterministic given request, instant and serial', () => {
  it('given every rule source, then none reads the clock or a random source but the injected clock', () => {
    const root = path.join(__dirname, '..');
    const offending = [path.join(root, 'ledger'), path.join(root, 'rules')]
      .flatMap(sources)
      .flatMap((file) =>
        fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ file: path.relative(root, file), line: line.trim(), at: i + 1 }))
          .filter(({ line }) => NONDETERMINISTIC.some((pattern) => pattern.test(line)))
          .filter(({ file, line }) => !(file === CLOCK_SOURCE.file && line === CLOCK_SOURCE.line)),
      )
      .map(({ file, at, line }) => `${file}:${at}: ${line}`);

    expect(offending).toEqual([]);
  });
});
