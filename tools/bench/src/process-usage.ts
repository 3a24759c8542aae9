// Memory and CPU of the benchmark's processes, from Linux's /proc/<pid>: VmRSS (resident now, split into RssAnon and
// RssFile) and VmHWM (the resident peak the kernel recorded) from status, utime + stime from stat. Sampled while a
// run goes, so a process that ends still has its figures, and so CPU can be read at the moment a phase ended.
import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  readonly name: string;
  /** VmRSS at the first sample (the process idle, just started), MiB. */
  readonly idleRssMiB: number;
  /** Highest VmRSS seen by the sampler, MiB. */
  readonly peakRssMiB: number;
  /** Last VmRSS read, MiB. */
  readonly lastRssMiB: number;
  /** The kernel's own resident peak (VmHWM) at the last read, MiB. */
  readonly hwmMiB: number;
  /**
   * The peak VmRSS split as the kernel counted it at that sample, MiB: `private` (RssAnon: V8's heap, malloc, buffers)
   * and `mappedFiles` (RssFile: pages of node's own executable and libraries, the same in every Node process).
   */
  readonly atPeak: { readonly privateMiB: number; readonly mappedFilesMiB: number };
}

const KIB_PER_MIB = 1024;
/** USER_HZ: the unit of /proc/<pid>/stat's times, 100 on every Linux this runs on (Node cannot ask sysconf). */
const CLOCK_TICKS_PER_SECOND = 100;

/** The memory fields of /proc/<pid>/status, in KiB. */
export interface ProcessMemoryKiB {
  readonly rssKiB: number;
  readonly hwmKiB: number;
  /** VmRSS's anonymous part (RssAnon) and its file-backed part (RssFile). */
  readonly anonKiB: number;
  readonly fileKiB: number;
}

/** VmRSS (its anonymous and file-backed parts too) and VmHWM in KiB; undefined when the process is gone (or not on Linux). */
export function readProcessMemory(pid: number): ProcessMemoryKiB | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return {
    rssKiB: field('VmRSS'),
    hwmKiB: field('VmHWM'),
    anonKiB: field('RssAnon'),
    fileKiB: field('RssFile'),
  };
}

/** A process's parent and CPU times from /proc/<pid>/stat, in ms. */
export interface ProcessStat {
  readonly ppid: number;
  /** User + system. */
  readonly cpuMs: number;
  /** User + system of the children it reaped (cutime + cstime). */
  readonly reapedCpuMs: number;
}

/** The process's /proc/<pid>/stat; undefined when it is gone (or not on Linux). */
export function readProcessStat(pid: number): ProcessStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces: the fields counted from after its closing parenthesis.
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const ms = (ticks: number) => (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  return { ppid: f[1]!, cpuMs: ms(f[11]! + f[12]!), reapedCpuMs: ms(f[13]! + f[14]!) };
}

/** CPU time the process has used, user + system, in ms; undefined when it is gone (or not on Linux). */
export function readProcessCpuMs(pid: number): number | undefined {
  return readProcessStat(pid)?.cpuMs;
}

/** The kernel's resident peak of the process so far (VmHWM), in MiB; undefined when it is gone (or not on Linux). */
export function readProcessPeakRssMiB(pid: number): number | undefined {
  const memory = readProcessMemory(pid);
  return memory && memory.hwmKiB / KIB_PER_MIB;
}

interface Seen {
  idle: number;
  peak: number;
  /** RssAnon and RssFile at the sample of the peak. */
  peakAnon: number;
  peakFile: number;
  last: number;
  hwm: number;
  /** (Date.now(), CPU ms) per sample, of the pid the name had then. */
  cpu: (CpuSample & { readonly pid: number })[];
}

/** CPU ms used so far at an instant (Date.now()), by a process id (undefined: a counter of several). */
interface CpuSample {
  readonly at: number;
  readonly pid: number | undefined;
  readonly ms: number;
}

/**
 * Per name, the CPU ms between the sample just before `fromMs` and the one just after `toMs` (so the window is at
 * most one sampling interval wider on each side), of the same process id.
 */
function usedBetween(
  series: Iterable<readonly [string, readonly CpuSample[]]>,
  fromMs: number,
  toMs: number,
): Map<string, number> {
  const used = new Map<string, number>();
  for (const [name, samples] of series) {
    const start = samples.filter((s) => s.at <= fromMs).at(-1) ?? samples[0];
    const end =
      samples.find((s) => s.at >= toMs && s.pid === start?.pid) ??
      samples.filter((s) => s.pid === start?.pid).at(-1);
    if (start && end) used.set(name, end.ms - start.ms);
  }
  return used;
}

/**
 * Samples each named process every `intervalMs` until stopped, and with them `counters`: CPU ms that only grow, of
 * what is not one process (a server's processes together, server-cpu.ts).
 */
export class UsageSampler {
  private readonly seen = new Map<string, Seen>();
  private readonly counted = new Map<string, CpuSample[]>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly processes: () => ReadonlyMap<string, number | undefined>,
    intervalMs = 250,
    private readonly counters: () => ReadonlyMap<string, number> = () => new Map(),
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    const at = Date.now();
    for (const [name, ms] of this.counters()) {
      const samples = this.counted.get(name) ?? [];
      samples.push({ at, pid: undefined, ms });
      this.counted.set(name, samples);
    }
    for (const [name, pid] of this.processes()) {
      const memory = pid === undefined ? undefined : readProcessMemory(pid);
      const cpuMs = pid === undefined ? undefined : readProcessCpuMs(pid);
      if (!memory || cpuMs === undefined) continue;
      const before = this.seen.get(name);
      const peak =
        !before || memory.rssKiB > before.peak
          ? { peak: memory.rssKiB, peakAnon: memory.anonKiB, peakFile: memory.fileKiB }
          : { peak: before.peak, peakAnon: before.peakAnon, peakFile: before.peakFile };
      this.seen.set(name, {
        idle: before?.idle ?? memory.rssKiB,
        ...peak,
        last: memory.rssKiB,
        hwm: Math.max(before?.hwm ?? 0, memory.hwmKiB),
        cpu: [...(before?.cpu ?? []), { at, pid: pid!, ms: cpuMs }],
      });
    }
  }

  /**
   * CPU ms each process used between two instants (Date.now() ms): the samples just before `from` and just after
   * `to` (so the window is at most one sampling interval wider on each side), of the same process id.
   */
  cpuMsBetween(fromMs: number, toMs: number): Map<string, number> {
    return usedBetween(
      [...this.seen].map(([name, { cpu }]) => [name, cpu]),
      fromMs,
      toMs,
    );
  }

  /** The counters' CPU ms between two instants, windowed as cpuMsBetween's. */
  counterMsBetween(fromMs: number, toMs: number): Map<string, number> {
    return usedBetween(this.counted, fromMs, toMs);
  }

  /** Every process id sampled so far, with its name (a restarted process has several). */
  namesByPid(): Map<number, string> {
    const names = new Map<number, string>();
    for (const [name, { cpu }] of this.seen) for (const { pid } of cpu) names.set(pid, name);
    return names;
  }

  /** Memory figures per process so far. */
  memory(): ProcessMemory[] {
    return [...this.seen].map(([name, m]) => ({
      name,
      idleRssMiB: m.idle / KIB_PER_MIB,
      peakRssMiB: m.peak / KIB_PER_MIB,
      lastRssMiB: m.last / KIB_PER_MIB,
      hwmMiB: m.hwm / KIB_PER_MIB,
      atPeak: { privateMiB: m.peakAnon / KIB_PER_MIB, mappedFilesMiB: m.peakFile / KIB_PER_MIB },
    }));
  }

  /** Takes a last sample, stops sampling and returns the memory figures per process. */
  stop(): ProcessMemory[] {
    this.sample();
    clearInterval(this.timer);
    return this.memory();
  }
}
