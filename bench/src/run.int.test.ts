import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const benchDir = fileURLToPath(new URL('..', import.meta.url));
const runner = join(benchDir, 'dist', 'run.js');
const node = (args: string[], options: { env?: NodeJS.ProcessEnv } = {}) =>
  run(process.execPath, [runner, ...args], { cwd: benchDir, ...options });

// End to end through the real runner: discovery, a subset, the child processes, tables and JSON.
describe('pnpm bench (runner)', () => {
  beforeAll(() => {
    // turbo runs `build` before `test:int`; by hand: pnpm --filter @baton/bench build
    if (!existsSync(runner)) throw new Error(`${runner} is missing: build @baton/bench first`);
  });

  it('lists the discovered bench files', async () => {
    const { stdout } = await node(['--list']);
    expect(stdout.split('\n')).toContain('core');
  });

  it('runs a subset quickly and writes JSON', async () => {
    const json = join(await mkdtemp(join(tmpdir(), 'baton-bench-')), 'r.json');
    const { stdout } = await node(['--', 'core', '--quick', '--engines=floor,baton', '--json', json]);
    expect(stdout).toContain('### Per-step time');
    expect(stdout).toContain('### Targets');
    const written = JSON.parse(await readFile(json, 'utf8')) as {
      results: Array<{ name: string; ok: boolean; rows: Array<Record<string, unknown>> }>;
    };
    expect(written.results).toHaveLength(1);
    expect(written.results[0]).toMatchObject({ name: 'core', ok: true });
    const engines = new Set(written.results[0]!.rows.map((row) => row.engine).filter(Boolean));
    expect([...engines].sort()).toEqual(['baton', 'floor']);
    expect(written.results[0]!.rows.some((row) => row.table === 'Errors')).toBe(false);
  });

  it('fails with exit 2 when no bench matches', async () => {
    await expect(node(['no-such-bench'])).rejects.toMatchObject({ code: 2 });
  });
});
