import { spawn } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FsCheckpointStore } from './fs-checkpoint-store.js';

const here = dirname(fileURLToPath(import.meta.url));
const childScript = join(here, '__fixtures__', 'litter-child.mjs');
const TRIES = 10;

/** Runs the child and SIGKILLs it as soon as compact's temporary copy of the log appears; true if it was killed so. */
function killDuringCompact(dir: string, runId: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, dir, runId], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let watcher: ReturnType<typeof watch> | undefined;
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (watcher || !chunk.toString().includes('ready')) return;
      watcher = watch(join(dir, 'runs'), (_event, name) => {
        if (!killed && name?.startsWith(`.${runId}.jsonl.`) && name.endsWith('.tmp')) {
          killed = true;
          child.kill('SIGKILL');
        }
      });
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      watcher?.close();
      if (signal === 'SIGKILL') resolve(true);
      else if (code === 0) resolve(false);
      else reject(new Error(`litter child exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

describe('litter of a compact killed mid-way (real SIGKILL)', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('the next store removes the full-copy *.tmp, and the run still verifies', async () => {
    expect(
      existsSync(join(here, '..', 'dist', 'index.js')),
      'build @baton/checkpoint-fs first (the child imports dist)',
    ).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'baton-litter-'));
    dirs.push(dir);
    let runId = '';
    for (let attempt = 0; attempt < TRIES && runId === ''; attempt++) {
      if (await killDuringCompact(dir, `run-${attempt}`)) runId = `run-${attempt}`;
    }
    expect(runId, `compact was never caught with its temporary file in ${TRIES} tries`).not.toBe('');
    const litter = (await readdir(join(dir, 'runs'))).filter((name) => name.endsWith('.tmp'));
    expect(litter.length).toBeGreaterThan(0);

    const store = new FsCheckpointStore({ dir, durability: 'none' });
    const warnings: string[] = [];
    store.onWarning((warning) => warnings.push(warning.code));
    const report = await store.verify(runId);
    expect(report).toMatchObject({ ok: true, runs: [{ runId, status: 'ok' }] });
    expect((await readdir(join(dir, 'runs'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(warnings.filter((code) => code === 'litter_removed')).toHaveLength(litter.length);
    // The interrupted compaction can simply be done again.
    expect(await store.compact(runId)).toMatchObject({ runId, after: 3 });
    expect(await store.verify(runId)).toMatchObject({ ok: true, runs: [{ status: 'ok', records: 3 }] });
    await store.close();
  });
});
