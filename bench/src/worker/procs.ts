/** CPU time of processes read from /proc (Linux only): the worker children and the PostgreSQL server. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { type ProcStat, parseProcStat, serverTicks } from './measure.js';

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`, 100 on Linux when unreadable). */
export function clockTicksPerSecond(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/** `/proc/<pid>/stat` of one process, or `undefined` if it is gone or unreadable. */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** `/proc/<pid>/stat` of every readable process. */
export function readAllProcStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** User + sys CPU ticks of the given processes (their own, not their children's); gone ones count 0. */
export function processTicks(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readProcStat(pid);
    if (stat) ticks += stat.utime + stat.stime;
  }
  return ticks;
}

/**
 * The postmaster's pid, from a backend's pid (`SELECT pg_backend_pid()`): the backend's parent.
 * `undefined` when /proc does not show it (server on another host or in another pid namespace).
 */
export function postmasterOf(backendPid: number): number | undefined {
  const backend = readProcStat(backendPid);
  if (!backend || !/postgres|postmaster/.test(backend.comm)) return undefined;
  const parent = readProcStat(backend.ppid);
  return parent && /postgres|postmaster/.test(parent.comm) ? parent.pid : undefined;
}

/** CPU ticks of the PostgreSQL server whose postmaster is `postmasterPid` (see `serverTicks`). */
export function postgresTicks(postmasterPid: number): number {
  return serverTicks(readAllProcStats(), postmasterPid);
}
