// CPU the servers on this machine spend for a benchmark: PostgreSQL (its postmaster and every process it started,
// the backends that ended included) and the Kafka broker(s) run by tools/stack. Read from /proc like the services'
// own (process-usage.ts); a server that is not on this machine is left out.
import { readdirSync, readFileSync } from 'node:fs';
import { withClient, databaseUrl } from '@yb/testing';
import { readProcessStat, type ProcessStat } from './process-usage';

function pids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The servers' CPU so far, ms, by name ('postgresql', 'kafka'): counters that only grow, for UsageSampler. The
 * postmaster is the parent of this benchmark's own backend; a backend that ended is in its reaped children's time.
 */
export async function serverCpuCounters(): Promise<() => ReadonlyMap<string, number>> {
  // Read while the backend lives: it ends with the connection.
  const postmaster = await withClient(databaseUrl(), async (client) => {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return readProcessStat(rows[0]!.pid)?.ppid;
  });
  const brokers = pids().filter((pid) => /\bkafka\.Kafka\b/.test(cmdline(pid)));
  return () => {
    const counters = new Map<string, number>();
    const main = postmaster === undefined ? undefined : readProcessStat(postmaster);
    if (main) {
      let ms = main.cpuMs + main.reapedCpuMs;
      for (const pid of pids()) {
        const child = readProcessStat(pid);
        if (child && child.ppid === postmaster) ms += child.cpuMs;
      }
      counters.set('postgresql', ms);
    }
    const kafka = brokers.map(readProcessStat).filter((s): s is ProcessStat => s !== undefined);
    if (kafka.length > 0)
      counters.set(
        'kafka',
        kafka.reduce((ms, s) => ms + s.cpuMs, 0),
      );
    return counters;
  };
}
