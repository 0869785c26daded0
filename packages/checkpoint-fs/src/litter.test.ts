import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendAll, finished, started, useStores } from './__fixtures__/records.js';
import { cleanLitter, LITTER_MAX_AGE_MS } from './litter.js';

const stores = useStores();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** The pid of a process that has exited (and was reaped). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid as number;
}

/** The pid of a live process (killed after the test). */
function livePid(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  children.push(child);
  return child.pid as number;
}

/** Plants the temporary files a process `pid` leaves when killed mid-operation; returns their paths. */
async function plant(dir: string, pid: number | undefined): Promise<string[]> {
  const tag = pid === undefined ? randomUUID() : `${pid}.${randomUUID()}`;
  const files = [
    join(dir, 'runs', `.r.jsonl.${tag}.tmp`),
    join(dir, 'runs', `.r.anchor.${tag}.tmp`),
    join(dir, 'locks', `r.lock.${tag}.tmp`),
    join(dir, 'locks', `r.lock.${tag}.removing`),
  ];
  await mkdir(join(dir, 'runs'), { recursive: true });
  await mkdir(join(dir, 'locks'), { recursive: true });
  for (const file of files) await writeFile(file, '{"partial":');
  return files;
}

async function listAll(dir: string): Promise<string[]> {
  const names = await Promise.all(
    ['runs', 'locks'].map(async (sub) => (await readdir(join(dir, sub))).map((name) => join(dir, sub, name))),
  );
  return names.flat().sort();
}

describe('litter left by killed processes', () => {
  it('verify removes the temporary files of a dead process and keeps those of live ones, this one, and recent unnamed ones', async () => {
    const dir = await stores.dir();
    const pid = deadPid();
    const dead = await plant(dir, pid);
    const live = await plant(dir, livePid());
    const own = await plant(dir, process.pid);
    const unnamed = await plant(dir, undefined);
    const { store, warnings } = stores.open({ dir });
    expect(await store.verify()).toEqual({ ok: true, runs: [] });
    expect(await listAll(dir)).toEqual([...live, ...own, ...unnamed].sort());
    expect(warnings.map((warning) => warning.code)).toEqual(dead.map(() => 'litter_removed'));
    expect(warnings.map((warning) => warning.message).sort()).toEqual(
      dead.map((file) => `Removed ${file}, left by an interrupted operation (its process, pid ${pid}, is gone)`).sort(),
    );
  });

  it('removes any litter nothing touched for LITTER_MAX_AGE_MS, whoever wrote it', async () => {
    const dir = await stores.dir();
    const live = await plant(dir, livePid());
    const unnamed = await plant(dir, undefined);
    const warned: string[] = [];
    const young = await cleanLitter(
      [join(dir, 'runs'), join(dir, 'locks')],
      (warning) => warned.push(warning.message),
      Date.now() + LITTER_MAX_AGE_MS - 60_000,
    );
    expect(young.removed).toEqual([]);
    expect(young.kept.map((entry) => entry.reason)).toContainEqual(
      expect.stringMatching(/^its process, pid \d+, is alive; touched \d+ s ago$/),
    );
    expect(young.kept.map((entry) => entry.reason)).toContainEqual(
      expect.stringMatching(/^no pid in its name; touched \d+ s ago$/),
    );
    const old = await cleanLitter(
      [join(dir, 'runs'), join(dir, 'locks')],
      (warning) => warned.push(warning.message),
      Date.now() + LITTER_MAX_AGE_MS + 1_000,
    );
    expect(old.removed.sort()).toEqual([...live, ...unnamed].sort());
    expect(await listAll(dir)).toEqual([]);
  });

  it('the first use of a store and prune clean up too, leaving logs, anchors and locks alone', async () => {
    const dir = await stores.dir();
    const { store: first } = stores.open({ dir });
    await appendAll(first, [started('kept', 1_000), finished('kept', 1, 'succeeded', 1_001)]);
    await first.close();
    const before = await listAll(dir);
    await plant(dir, deadPid());
    const { store: opened, warnings } = stores.open({ dir });
    await opened.append(started('other', 2_000));
    expect(warnings.filter((warning) => warning.code === 'litter_removed')).toHaveLength(4);
    expect((await listAll(dir)).filter((file) => !file.includes('other'))).toEqual(before);

    await plant(dir, deadPid());
    const result = await opened.prune({ keepLast: 10 });
    expect(result).toEqual({ deleted: [], skipped: [] });
    expect(warnings.filter((warning) => warning.code === 'litter_removed')).toHaveLength(8);
    expect((await listAll(dir)).filter((file) => !file.includes('other'))).toEqual(before);
  });
});
