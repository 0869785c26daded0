import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { createSupervisor } from '@baton/core';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs fixture (the child process runs the same file), no declarations
import { killWaitWorkflow } from './__fixtures__/kill-wait.mjs';

const fixture = fileURLToPath(new URL('./__fixtures__/kill-wait.mjs', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('a process killed while a wait is pending', () => {
  it('is resumed from a new process with the answer: finished steps are not re-run, the unfinished one is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-kill-wait-'));
    dirs.push(dir);
    const ledger = join(dir, 'ledger.txt');
    const storeDir = join(dir, 'store');
    const child = spawn(process.execPath, [fixture, storeDir, ledger], {
      env: { ...process.env, BATON_SLOW: 'hang' },
      stdio: 'inherit',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const reader = new FsCheckpointStore({ dir: storeDir });
    // The wait is recorded and `slow` is running (it never finishes in this process).
    await until(async () => {
      if (!lines(ledger).includes('slow')) return false;
      const records = await reader.read('k1').catch(() => []);
      return records.some((record) => record.type === 'wait.started');
    }, 'the wait to be recorded while slow runs');
    child.kill('SIGKILL');
    await exited;
    await reader.close();

    const store = new FsCheckpointStore({ dir: storeDir });
    const supervisor = createSupervisor({ store });
    try {
      const result = await supervisor.resume(killWaitWorkflow(ledger), 'k1', {
        inputs: { review: { approved: true } },
        by: 'ana',
      });
      expect(result.status).toBe('succeeded');
      expect(result.outputs.publish).toBe('published (checked)');
      // draft finished before the kill: restored, not run again; slow was cut off: run again.
      expect(lines(ledger)).toEqual(['draft', 'slow', 'slow', 'publish']);
      const records = await store.read('k1');
      expect(records.filter((record) => record.type === 'input.received')).toHaveLength(1);
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await supervisor.close();
      await store.close();
    }
  }, 60_000);
});
