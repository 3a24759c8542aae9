import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  OnCpuRecording,
  onCpuKind,
  parsePerfReport,
  perfAvailable,
  summariseOnCpu,
} from '../src/on-cpu-profile';

describe('on-CPU profile (perf)', () => {
  it('sorts samples into the kinds of work V8 and the kernel do', () => {
    expect(onCpuKind('node', '[.] v8::internal::ConcurrentMarking::RunMajor')).toBe("V8's garbage collector");
    expect(
      onCpuKind('node', '[.] v8::internal::Scavenger::ScavengeObject<v8::internal::FullHeapObjectSlot>'),
    ).toBe("V8's garbage collector");
    expect(onCpuKind('node', '[.] v8::internal::compiler::GraphReducer::ReduceTop')).toBe(
      "V8's optimising compiler",
    );
    expect(onCpuKind('node', '[.] Builtins_LoadIC')).toBe("V8's builtins (interpreter, inline caches)");
    expect(onCpuKind('[JIT] tid 7', '[.] JS:*get /w/node_modules/immutable/dist/immutable.js:2702:52')).toBe(
      'JIT-compiled JavaScript',
    );
    expect(onCpuKind('[kernel.kallsyms]', '[k] finish_task_switch.isra.0')).toBe('kernel');
    expect(onCpuKind('libc.so.6', '[.] __memmove_avx_unaligned_erms')).toBe('other native (libc.so.6)');
  });

  it("reads perf report's rows: samples, shared object, symbol", () => {
    const text = [
      '# Samples: 6K of event cpu-clock:ppp',
      ' 6.54%  \t 417        \tnode               \t[.] v8::internal::ConcurrentMarking::RunMajor',
      ' 0.30%  \t 19         \t[JIT] tid 9882     \t[.] JS:*get /w/immutable.js:2702:52',
      '',
    ].join('\n');
    expect(parsePerfReport(text)).toEqual([
      { samples: 417, sharedObject: 'node', symbol: '[.] v8::internal::ConcurrentMarking::RunMajor' },
      { samples: 19, sharedObject: '[JIT] tid 9882', symbol: '[.] JS:*get /w/immutable.js:2702:52' },
    ]);
  });

  // perf is the machine's (Debian's linux-perf); without it the bench refuses --perf, and this cannot run.
  (perfAvailable() ? it : it.skip)(
    'counts the time a process runs, not the time it waits, and names its JavaScript',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'on-cpu-'));
      // Idle 0.3 s, busy 1 s in burn(), idle 2.5 s: sampled by wall-clock time it would be ≈ 3.8 s of samples.
      const script = `function burn(x) { let y = x; for (let i = 0; i < 1e4; i++) y = (y * 31 + i) % 1000003; return y; }
        setTimeout(() => { const end = Date.now() + 1000; let x = 1; while (Date.now() < end) x = burn(x);
          setTimeout(() => process.exit(0), 2500); }, 300);`;
      const child = spawn(process.execPath, ['--perf-basic-prof', '-e', script], { stdio: 'ignore' });
      try {
        const recording = OnCpuRecording.start(child.pid!, path.join(dir, 'perf.data'));
        await sleep(3000);
        await recording.stop();
        const summary = summariseOnCpu(recording.file);
        // 499 samples a second on a core: ≈ 500 for the busy second, not ≈ 1,500 for the three recorded.
        expect(summary.total).toBeGreaterThan(250);
        expect(summary.total).toBeLessThan(900);
        // The loop, burn() inlined into it, named by where it is (the -e script is [eval]).
        expect(summary.functions[0]!.name).toMatch(/^JS:.*\[eval\]/);
        expect(summary.places[0]!.name).toBe('JIT-compiled JavaScript');
      } finally {
        child.kill();
        rmSync(dir, { recursive: true, force: true });
        rmSync(`/tmp/perf-${child.pid}.map`, { force: true });
      }
    },
    15_000,
  );
});
