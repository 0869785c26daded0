import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CheckpointConflictError, type StoreWarning } from '@baton/core';
import { ignoreMissing, isErrno, storeIoError } from './fs-util.js';

/** Contents of a lock file: who owns the run. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** Unique per acquisition, so an owner only ever removes its own lock. */
  token: string;
  /** The owner process's start time (Linux `/proc/<pid>/stat`), to detect a reused pid. */
  processStart?: string;
  acquiredAt: number;
}

/** The lock of a run as found on disk. */
export type LockState =
  | { kind: 'free' }
  | { kind: 'held'; owner: LockOwner | undefined; raw: string; reason: string }
  | { kind: 'stale'; owner: LockOwner | undefined; raw: string; reason: string };

// An unreadable lock file younger than this may be a lock being replaced right now.
const UNREADABLE_LOCK_GRACE_MS = 10_000;
const ACQUIRE_ATTEMPTS = 4;
// This process's start time, read once ('' where /proc is not available).
let ownStart: string | undefined;

/**
 * Single-writer locks, one file per run (`<runId>.lock`) holding the owner's
 * pid. A lock whose process is gone (or whose pid now belongs to another
 * process) is stale and is taken over, with a warning.
 */
export class RunLocks {
  constructor(
    private readonly dir: string,
    private readonly warn: (warning: StoreWarning) => void,
  ) {}

  /** The lock file of `runId`. */
  path(runId: string): string {
    return join(this.dir, `${runId}.lock`);
  }

  /** Takes the lock or throws `CheckpointConflictError` naming the live owner. */
  async acquire(runId: string): Promise<LockOwner> {
    const path = this.path(runId);
    const owner: LockOwner = { pid: process.pid, hostname: hostname(), token: randomUUID(), acquiredAt: Date.now() };
    ownStart ??= processStartTime(process.pid) ?? '';
    if (ownStart !== '') owner.processStart = ownStart;
    for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
      if (await createExclusive(path, `${JSON.stringify(owner)}\n`, owner.token)) return owner;
      const state = await this.inspect(runId);
      if (state.kind === 'held')
        throw new CheckpointConflictError(runId, `locked by another writer (${state.reason}); lock file ${path}`);
      if (state.kind === 'stale') {
        await removeIfUnchanged(path, state.raw, owner.token);
        this.warn({ code: 'stale_lock', runId, message: `Took over stale lock ${path} (${state.reason})` });
      }
    }
    throw new CheckpointConflictError(runId, `lock ${path} is contended (${ACQUIRE_ATTEMPTS} attempts)`);
  }

  /** Removes the lock if it is still `token`'s. */
  async release(runId: string, token: string): Promise<void> {
    const path = this.path(runId);
    const raw = await readIfExists(path);
    // Nobody replaces a live owner's lock (only stale ones are taken over), so a plain unlink is safe here.
    if (raw !== undefined && parseOwner(raw)?.token === token) await unlink(path).catch(ignoreMissing);
  }

  /** Reads and judges the lock of `runId`. */
  async inspect(runId: string): Promise<LockState> {
    const path = this.path(runId);
    const raw = await readIfExists(path);
    if (raw === undefined) return { kind: 'free' };
    const owner = parseOwner(raw);
    if (!owner) {
      const age = await ageMs(path);
      if (age === undefined) return { kind: 'free' };
      const reason = `unreadable lock file, ${Math.round(age)} ms old`;
      return age < UNREADABLE_LOCK_GRACE_MS
        ? { kind: 'held', owner, raw, reason }
        : { kind: 'stale', owner, raw, reason };
    }
    const who = `pid ${owner.pid} on ${owner.hostname} since ${new Date(owner.acquiredAt).toISOString()}`;
    return isOwnerAlive(owner)
      ? { kind: 'held', owner, raw, reason: who }
      : { kind: 'stale', owner, raw, reason: `${who}, process gone` };
  }
}

/**
 * Creates `path` with `content` iff it does not exist, never exposing a
 * half-written lock: a process killed between creating and filling a lock
 * file would otherwise leave an unreadable lock behind.
 */
async function createExclusive(path: string, content: string, token: string): Promise<boolean> {
  const temporary = `${path}.${process.pid}.${token}.tmp`;
  try {
    await writeFile(temporary, content);
    // link() is atomic and fails if the target exists: the lock appears complete or not at all.
    await link(temporary, path);
    return true;
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    if (isErrno(error, 'EPERM') || isErrno(error, 'ENOTSUP')) return writeExclusive(path, content);
    throw storeIoError('create lock file', path, error);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** Fallback for filesystems without hard links (O_EXCL; briefly empty, which `inspect` treats as held). */
async function writeExclusive(path: string, content: string): Promise<boolean> {
  try {
    await writeFile(path, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw storeIoError('create lock file', path, error);
  }
}

/**
 * Removes a lock only if it still holds `raw`. It is first renamed to a
 * private name (atomic), so a lock that another process created in the
 * meantime is seen as changed and put back rather than deleted.
 */
async function removeIfUnchanged(path: string, raw: string, token: string): Promise<void> {
  const aside = `${path}.${process.pid}.${token}.removing`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return;
    throw storeIoError('remove lock file', path, error);
  }
  const moved = await readIfExists(aside);
  if (moved !== raw) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(ignoreMissing);
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.hostname === 'string' && typeof value.token === 'string')
      return value as LockOwner;
  } catch {
    // Unreadable: judged by age in inspect().
  }
  return undefined;
}

function isOwnerAlive(owner: LockOwner): boolean {
  // Another machine's pid cannot be checked from here: assume it is alive.
  if (owner.hostname !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if (isErrno(error, 'ESRCH')) return false;
  }
  if (owner.processStart === undefined) return true;
  const start = processStartTime(owner.pid);
  return start === undefined || start === owner.processStart;
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), where Linux provides it. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw storeIoError('read lock file', path, error);
  }
}

async function ageMs(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw storeIoError('stat lock file', path, error);
  }
}
