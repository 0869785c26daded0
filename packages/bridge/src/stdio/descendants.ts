import { readdirSync, readFileSync } from 'node:fs';

/** A process as seen in `/proc`: its pid and kernel start time, so a reused pid is never signalled. */
export interface ProcessIdentity {
  pid: number;
  /** Field 22 of `/proc/<pid>/stat` (clock ticks since boot). */
  startTime: string;
}

interface StatLine {
  ppid: number;
  state: string;
  startTime: string;
}

function readStat(pid: number | string): StatLine | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined; // exited while we looked, or no /proc
  }
  // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), fields[1] field 4 (ppid), fields[19] field 22 (starttime).
  const [state, ppid, startTime] = [fields[0], Number(fields[1]), fields[19]];
  return state === undefined || startTime === undefined || Number.isNaN(ppid) ? undefined : { ppid, state, startTime };
}

/**
 * Every live descendant of `root`, found by walking `/proc` (Linux). Empty where there is no
 * `/proc`. Descendants whose parent already exited were re-parented away and are not found,
 * unless a subreaper below `root` (the Python worker is one) kept them.
 */
export function findDescendants(root: number): ProcessIdentity[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children = new Map<number, Array<ProcessIdentity & { state: string }>>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (!stat) continue;
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push({ pid: Number(entry), startTime: stat.startTime, state: stat.state });
    children.set(stat.ppid, siblings);
  }
  const found: ProcessIdentity[] = [];
  const queue = [...(children.get(root) ?? [])];
  for (let next = queue.pop(); next; next = queue.pop()) {
    if (next.state !== 'Z' && next.state !== 'X') found.push({ pid: next.pid, startTime: next.startTime });
    queue.push(...(children.get(next.pid) ?? []));
  }
  return found;
}

/** True while the process still runs (not a zombie) and is the same one (same start time). */
export function isSameLiveProcess(identity: ProcessIdentity): boolean {
  const stat = readStat(identity.pid);
  return stat !== undefined && stat.startTime === identity.startTime && stat.state !== 'Z' && stat.state !== 'X';
}

/** Sends `signal` to each process still alive under the same identity. Never throws. */
export function signalProcesses(identities: Iterable<ProcessIdentity>, signal: NodeJS.Signals): void {
  for (const identity of identities) {
    if (!isSameLiveProcess(identity)) continue;
    try {
      process.kill(identity.pid, signal);
    } catch {
      // Exited in between, or not ours to signal.
    }
  }
}
