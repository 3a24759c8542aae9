// CPU the servers on this machine spend for a benchmark: PostgreSQL (its postmaster and every process it started,
// the backends that ended included) and the Kafka broker(s) run by tools/stack. Read from /proc like the services'
// own (process-usage.ts); a server that is not on this machine is left out.
import { readdirSync, readFileSync } from 'node:fs';
import { withClient, databaseUrl } from '@yb/testing';

/** USER_HZ, as in process-usage.ts. */
const CLOCK_TICKS_PER_SECOND = 100;

interface ProcStat {
  readonly ppid: number;
  /** utime + stime, ticks. */
  readonly own: number;
  /** cutime + cstime: of the children it reaped, ticks. */
  readonly reaped: number;
}

function procStat(pid: number): ProcStat | undefined {
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
  return { ppid: f[1]!, own: f[11]! + f[12]!, reaped: f[13]! + f[14]! };
}

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
    return procStat(rows[0]!.pid)?.ppid;
  });
  const brokers = pids().filter((pid) => /\bkafka\.Kafka\b/.test(cmdline(pid)));
  return () => {
    const counters = new Map<string, number>();
    const all = pids();
    if (postmaster !== undefined) {
      const main = procStat(postmaster);
      if (main) {
        let ticks = main.own + main.reaped;
        for (const pid of all) {
          const child = procStat(pid);
          if (child?.ppid === postmaster) ticks += child.own;
        }
        counters.set('postgresql', (ticks * 1000) / CLOCK_TICKS_PER_SECOND);
      }
    }
    const kafka = brokers.map(procStat).filter((s): s is ProcStat => s !== undefined);
    if (kafka.length > 0)
      counters.set('kafka', (kafka.reduce((t, s) => t + s.own, 0) * 1000) / CLOCK_TICKS_PER_SECOND);
    return counters;
  };
}
