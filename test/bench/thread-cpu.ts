// CPU time of a process's threads by name (Linux /proc): how the hot check's cost splits between
// the event loop (the runtime's main thread) and the event store's writer thread ("Worker" on Bun).
import { readdirSync, readFileSync } from 'node:fs';

/** Milliseconds of CPU (user + system) per thread name of process `pid` ('self' for this one). */
export function threadCpuMs(pid: number | 'self'): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      // Fields after "(comm) ": utime is the 12th, stime the 13th, in clock ticks (100 a second).
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byName.set(name, (byName.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byName;
}

/** CPU ms of one thread name between two readings. */
export const cpuBetween = (before: Map<string, number>, after: Map<string, number>, name: string) =>
  (after.get(name) ?? 0) - (before.get(name) ?? 0);
