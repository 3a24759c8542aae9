// Memory of the services' processes, from Linux's /proc/<pid>/status: VmRSS (resident now) and VmHWM (the
// resident peak the kernel recorded). Sampled while a run goes, so a process that ends still has its figures.
import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  readonly name: string;
  /** Highest VmRSS seen by the sampler, MiB. */
  readonly peakRssMiB: number;
  /** Last VmRSS read, MiB. */
  readonly lastRssMiB: number;
  /** The kernel's own resident peak (VmHWM) at the last read, MiB. */
  readonly hwmMiB: number;
}

const KIB_PER_MIB = 1024;

/** VmRSS and VmHWM in KiB, or undefined when the process is gone (or not on Linux). */
export function readProcessMemory(pid: number): { rssKiB: number; hwmKiB: number } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
}

/** Samples each named process every `intervalMs` until stopped. */
export class MemorySampler {
  private readonly seen = new Map<string, { peak: number; last: number; hwm: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly processes: () => ReadonlyMap<string, number | undefined>,
    intervalMs = 1000,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    for (const [name, pid] of this.processes()) {
      const memory = pid === undefined ? undefined : readProcessMemory(pid);
      if (!memory) continue;
      const before = this.seen.get(name) ?? { peak: 0, last: 0, hwm: 0 };
      this.seen.set(name, {
        peak: Math.max(before.peak, memory.rssKiB),
        last: memory.rssKiB,
        hwm: Math.max(before.hwm, memory.hwmKiB),
      });
    }
  }

  /** Takes a last sample, stops sampling and returns the figures per process. */
  stop(): ProcessMemory[] {
    this.sample();
    clearInterval(this.timer);
    return [...this.seen].map(([name, m]) => ({
      name,
      peakRssMiB: m.peak / KIB_PER_MIB,
      lastRssMiB: m.last / KIB_PER_MIB,
      hwmMiB: m.hwm / KIB_PER_MIB,
    }));
  }
}
