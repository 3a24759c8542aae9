// What a process's CPU went to, as the kernel's sampler sees it (`perf record`): a sample is taken only while the
// process runs on a core. V8's own profiler (--cpu-prof) samples wall-clock time instead, so on a saturated machine
// the time a process waits for a core lands in whatever native call it was in (writev above all: a loopback write
// wakes its reader, which takes the core). Summed here by the kind of work (V8's garbage collector and optimising
// compiler, its builtins, JIT-compiled JavaScript, the kernel, other native code) and by symbol; JavaScript frames are
// named when the process runs with --perf-basic-prof (ServiceProcessOptions.perfMap).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { FrameTally, type FrameSummary } from './profile-tally';

/** Samples per second: prime, so sampling does not beat in step with a timer of the process. */
const FREQUENCY_HZ = 499;

/** Whether `perf` can be run here. */
export function perfAvailable(): boolean {
  return spawnSync('perf', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A `perf record` of one process, from start until stop(). */
export class OnCpuRecording {
  private constructor(
    private readonly perf: ChildProcess,
    private readonly exited: Promise<number | null>,
    readonly file: string,
  ) {}

  static start(pid: number, file: string): OnCpuRecording {
    const perf = spawn('perf', ['record', '-q', '-F', String(FREQUENCY_HZ), '-p', String(pid), '-o', file], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    perf.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve, reject) => {
      perf.once('error', reject);
      // perf writes its file on SIGINT, then ends by that signal.
      perf.once('exit', (code, signal) =>
        code === 0 || signal === 'SIGINT'
          ? resolve(code)
          : reject(new Error(`perf record ended (${code ?? signal}): ${stderr}`)),
      );
    });
    return new OnCpuRecording(perf, exited, file);
  }

  /** Ends the recording (perf writes its file on SIGINT). */
  async stop(): Promise<void> {
    this.perf.kill('SIGINT');
    await this.exited;
  }
}

/** The kinds of work a sample is counted under, by the shared object and symbol perf names. */
export function onCpuKind(sharedObject: string, symbol: string): string {
  if (symbol.startsWith('[k]') || sharedObject.startsWith('[kernel')) return 'kernel';
  const name = symbol.replace(/^\[\.\]\s*/, '');
  if (name.startsWith('JS:')) return 'JIT-compiled JavaScript';
  if (/^Builtins_/.test(name)) return "V8's builtins (interpreter, inline caches)";
  if (
    /v8::internal::compiler::|v8::internal::maglev::|OptimizedCompilationJob|TurbofanCompilationJob/.test(
      name,
    )
  )
    return "V8's optimising compiler";
  if (
    /v8::internal::(ConcurrentMarking|Marking|MarkCompact|Scaveng|Sweeper|Heap::|Evacuat|MemoryChunk|BasicMemoryChunk|GlobalHandles|MinorMarkCompact|IncrementalMarking|PagedSpace|LargeObjectSpace|HeapObject::SizeFromMap|BodyDescriptorBase::IteratePointers)/.test(
      name,
    ) ||
    /MemoryChunkData|MarkingVisitor|ScavengeVisitor/.test(name)
  )
    return "V8's garbage collector";
  if (/v8::internal::(Parser|Scanner|BytecodeGenerator|Compiler::|interpreter::)/.test(name))
    return "V8's parser and bytecode compiler";
  if (sharedObject.startsWith('[JIT]')) return 'JIT-compiled JavaScript';
  return `other native (${sharedObject})`;
}

/** `perf report` rows: samples, shared object, symbol. */
export function parsePerfReport(text: string): { samples: number; sharedObject: string; symbol: string }[] {
  const rows: { samples: number; sharedObject: string; symbol: string }[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [, samples, sharedObject, symbol] = line.split('\t').map((field) => field.trim());
    if (samples === undefined || sharedObject === undefined || symbol === undefined) continue;
    const count = Number(samples);
    if (Number.isInteger(count) && count > 0) rows.push({ samples: count, sharedObject, symbol });
  }
  return rows;
}

/** Samples by kind of work (`places`) and by symbol (`functions`), highest first. */
export function summariseOnCpu(file: string, top = 12): FrameSummary {
  const report = spawnSync('perf', ['report', '-i', file, '-n', '--sort', 'dso,sym', '--stdio', '-t', '\t'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (report.status !== 0) throw new Error(`perf report ${file}: ${report.stderr}`);
  const tally = new FrameTally();
  for (const { samples, sharedObject, symbol } of parsePerfReport(report.stdout))
    tally.addNamed(symbol.replace(/^\[[.k]\]\s*/, ''), onCpuKind(sharedObject, symbol), samples);
  return tally.summary(top);
}

/** `over`: what the recording covered (the capacity run). */
export function formatOnCpuSummary(name: string, s: FrameSummary, over: string): string {
  const line = (t: FrameSummary['places'][number]) =>
    `  ${(t.share * 100).toFixed(1).padStart(5)} %  ${String(t.amount).padStart(7)}  ${t.name.slice(0, 140)}`;
  return [
    `${name}: ${s.total} samples on a core over ${over} (perf, ${FREQUENCY_HZ} Hz); by kind of work:`,
    ...s.places.map(line),
    `${name}: by symbol:`,
    ...s.functions.map(line),
  ].join('\n');
}
