import { spawnSync } from 'node:child_process';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CheckpointConflictError } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { FsCheckpointStore } from './fs-checkpoint-store.js';
import { started, step, useStores } from './__fixtures__/records.js';

const stores = useStores();

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

async function writeLock(dir: string, runId: string, owner: Record<string, unknown>): Promise<void> {
  await writeFile(
    join(dir, 'locks', `${runId}.lock`),
    JSON.stringify({ hostname: hostname(), token: 'other', acquiredAt: 0, ...owner }),
  );
}

describe('FsCheckpointStore single-writer locks', () => {
  it('writes a lock file with this pid, refuses a second owner, and removes it on release', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    const lease = await store.acquire('r');
    const lock = JSON.parse(await readFile(join(dir, 'locks', 'r.lock'), 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, hostname: hostname() });
    const { store: other } = stores.open({ dir });
    await expect(other.acquire('r')).rejects.toThrow(CheckpointConflictError);
    await expect(other.acquire('r')).rejects.toThrow(new RegExp(`locked by another writer \\(pid ${process.pid} on `));
    await lease.release();
    await lease.release();
    expect(await readdir(join(dir, 'locks'))).toEqual([]);
    await (await other.acquire('r')).release();
  });

  it('refuses appends from another store while the run is locked', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    const lease = await store.acquire('r');
    await store.append(started('r'));
    const { store: other } = stores.open({ dir });
    await expect(other.append(step('r', 1))).rejects.toThrow(/another writer holds its lock \(pid/);
    await expect(other.deleteRun('r')).rejects.toThrow(CheckpointConflictError);
    await store.append(step('r', 1));
    await lease.release();
    await other.append(step('r', 2));
    expect(await other.read('r')).toHaveLength(3);
  });

  it('takes over the lock of a process that is gone, with a warning', async () => {
    const dir = await stores.dir();
    const { store, warnings } = stores.open({ dir });
    await store.append(started('r'));
    await writeLock(dir, 'r', { pid: deadPid(), processStart: '0' });
    const lease = await store.acquire('r');
    expect(warnings).toMatchObject([
      { code: 'stale_lock', runId: 'r', message: expect.stringContaining('process gone') },
    ]);
    await store.append(step('r', 1));
    await lease.release();
  });

  it('treats a lock whose pid now belongs to another process as stale', async () => {
    const dir = await stores.dir();
    const { store, warnings } = stores.open({ dir });
    await store.append(started('r'));
    await writeLock(dir, 'r', { pid: process.pid, processStart: 'not-my-start-time' });
    await (await store.acquire('r')).release();
    expect(warnings.map((warning) => warning.code)).toEqual(['stale_lock']);
  });

  it('never takes over a lock from another host (its pid cannot be checked)', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await store.append(started('r'));
    await writeLock(dir, 'r', { pid: deadPid(), hostname: 'elsewhere' });
    await expect(store.acquire('r')).rejects.toThrow(/locked by another writer \(pid \d+ on elsewhere/);
  });

  it('treats an unreadable lock as held while it is fresh', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await store.append(started('r'));
    await writeFile(join(dir, 'locks', 'r.lock'), '{"pid":');
    await expect(store.acquire('r')).rejects.toThrow(/unreadable lock file/);
  });

  it('releases its locks on close', async () => {
    const dir = await stores.dir();
    const store = new FsCheckpointStore({ dir, durability: 'none' });
    await store.acquire('a');
    await store.acquire('b');
    await store.close();
    expect(await readdir(join(dir, 'locks'))).toEqual([]);
  });
});

describe('FsCheckpointStore.ownerOf', () => {
  it('is undefined without a lock, alive for a live owner, and gone for a dead pid or a reused one', async () => {
    const dir = await stores.dir();
    const { store } = stores.open({ dir });
    await store.append(started('r'));
    expect(await store.ownerOf('r')).toBeUndefined();
    const lease = await store.acquire('r');
    expect(await store.ownerOf('r')).toMatchObject({
      alive: true,
      description: expect.stringContaining(`pid ${process.pid}`),
    });
    await lease.release();
    expect(await store.ownerOf('r')).toBeUndefined();

    const dead = deadPid();
    await writeLock(dir, 'r', { pid: dead, processStart: '0', acquiredAt: 42 });
    expect(await store.ownerOf('r')).toEqual({
      alive: false,
      description: `pid ${dead} on ${hostname()} since ${new Date(42).toISOString()}, process gone`,
      since: 42,
    });
    await writeLock(dir, 'r', { pid: process.pid, processStart: 'not-my-start-time' });
    expect(await store.ownerOf('r')).toMatchObject({ alive: false });
    // Another host's pid cannot be checked: assumed alive, as acquire assumes.
    await writeLock(dir, 'r', { pid: dead, hostname: 'elsewhere' });
    expect(await store.ownerOf('r')).toMatchObject({ alive: true });
  });
});
