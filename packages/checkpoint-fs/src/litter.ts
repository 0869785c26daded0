import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreWarning } from '@baton/core';
import { isErrno } from './fs-util.js';

/**
 * Litter: temporary files of an operation whose process was killed before it
 * renamed or removed them. `.<file>.<pid>.<uuid>.tmp` in `runs/` (a rewrite
 * by `compact`, or an anchor; see `replaceFile`), `<runId>.lock.<pid>.<token>.tmp`
 * and `.removing` in `locks/` (see `RunLocks`). Names written before the pid
 * was added have no pid and are judged by age alone.
 */
const LITTER =
  /^(?:\..+?|.+\.lock)\.(?:(\d+)\.)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(?:tmp|removing)$/;

/**
 * A litter file whose process is alive (or unknown) is still removed once
 * nothing has touched it (its ctime: a write, or the rename that made a
 * `.removing` file) for this long: no operation leaves its temporary file idle
 * that long, and it covers a pid reused by an unrelated process.
 */
export const LITTER_MAX_AGE_MS = 60 * 60 * 1000;

/** What `cleanLitter` did. */
export interface LitterReport {
  /** Files removed. */
  removed: string[];
  /** Litter left in place, with why (its writer may still be at work). */
  kept: { file: string; reason: string }[];
}

/**
 * Removes litter from `dirs`: a file whose pid is not this process and no
 * longer exists, or that nothing touched for `LITTER_MAX_AGE_MS`. Never a file
 * another live process (or this one) may be writing. Warns `litter_removed`
 * for each file removed.
 */
export async function cleanLitter(
  dirs: readonly string[],
  warn: (warning: StoreWarning) => void,
  now = Date.now(),
): Promise<LitterReport> {
  const report: LitterReport = { removed: [], kept: [] };
  for (const dir of dirs) {
    for (const name of await listNames(dir)) {
      const match = LITTER.exec(name);
      if (!match) continue;
      const file = join(dir, name);
      const reason = await judge(file, match[1] === undefined ? undefined : Number(match[1]), now);
      if (reason.remove) {
        if (await removeIfPresent(file)) {
          report.removed.push(file);
          warn({
            code: 'litter_removed',
            message: `Removed ${file}, left by an interrupted operation (${reason.why})`,
          });
        }
      } else {
        report.kept.push({ file, reason: reason.why });
      }
    }
  }
  return report;
}

async function judge(file: string, pid: number | undefined, now: number): Promise<{ remove: boolean; why: string }> {
  if (pid !== undefined && pid !== process.pid && !isAlive(pid))
    return { remove: true, why: `its process, pid ${pid}, is gone` };
  const changed = await changedAt(file);
  if (changed === undefined) return { remove: false, why: 'already gone' };
  const idle = Math.max(0, Math.round((now - changed) / 1000));
  if (now - changed >= LITTER_MAX_AGE_MS) return { remove: true, why: `untouched for ${idle} s` };
  const writer =
    pid === undefined
      ? 'no pid in its name'
      : pid === process.pid
        ? 'written by this process'
        : `its process, pid ${pid}, is alive`;
  return { remove: false, why: `${writer}; touched ${idle} s ago` };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return !isErrno(error, 'ESRCH');
  }
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return [];
    throw error;
  }
}

async function changedAt(file: string): Promise<number | undefined> {
  try {
    const stats = await stat(file);
    return Math.max(stats.ctimeMs, stats.mtimeMs);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

async function removeIfPresent(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw error;
  }
}
