import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FsCheckpointStore } from './fs-checkpoint-store.js';

const here = dirname(fileURLToPath(import.meta.url));
const childScript = join(here, '__fixtures__', 'owner-child.mjs');

describe('FsCheckpointStore.ownerOf with a real owner process', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('reports a live child holding the run as alive, and as gone once it is SIGKILLed', async () => {
    expect(existsSync(join(here, '..', 'dist', 'index.js')), 'build @baton/checkpoint-fs first').toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'baton-owner-'));
    dirs.push(dir);
    const child = spawn(process.execPath, [childScript, dir, 'held'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`owner child exited with ${code} before ready: ${stderr}`)));
    });

    const reader = new FsCheckpointStore({ dir });
    try {
      const live = await reader.ownerOf('held');
      expect(live).toMatchObject({ alive: true });
      expect(live?.description).toContain(`pid ${child.pid} on `);
      expect(typeof live?.since).toBe('number');

      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const gone = await reader.ownerOf('held');
      expect(gone).toMatchObject({ alive: false });
      expect(gone?.description).toMatch(new RegExp(`pid ${child.pid} on .*, process gone$`));
      // Reading ownership takes nothing over: the dead owner's lock is still there for acquire to judge.
      expect(existsSync(join(dir, 'locks', 'held.lock'))).toBe(true);
      expect(await reader.ownerOf('never-taken')).toBeUndefined();
    } finally {
      child.kill('SIGKILL');
      await reader.close();
    }
  });
});
