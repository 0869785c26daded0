import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentProblems } from './contents.js';
import { attwProblems, publintProblems } from './lint.js';
import { createNpmScratchApp, createPnpmScratchApp, type ScratchApp } from './scratch.js';
import { readTarball } from './tarball.js';
import { pack, publicPackages } from './workspace.js';

// A publish dry run: what `pnpm publish` would upload, checked as a user would meet it. Every failure names the
// package and the check. The packages must be built first (turbo's test:int depends on their build).
const packages = publicPackages();
const names = packages.map((pkg) => pkg.name);
const tarballs = new Map<string, string>();
const temporary: string[] = [];

beforeAll(async () => {
  const destination = mkdtempSync(join(tmpdir(), 'baton-pack-'));
  temporary.push(destination);
  for (const pkg of packages) tarballs.set(pkg.name, await pack(pkg, destination));
});
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function tarballOf(name: string): string {
  const tarball = tarballs.get(name);
  if (!tarball) throw new Error(`${name}: no tarball (pnpm pack did not run)`);
  return tarball;
}

describe('every public package, packed', () => {
  it('finds the public packages (a new one is checked without editing this test)', () => {
    expect(names).toEqual(expect.arrayContaining(['@baton/core', '@baton/checkpoint-fs', '@baton/cli']));
    expect(names.length).toBeGreaterThanOrEqual(10);
  });

  it.each(names)('%s: the tarball has LICENSE, README, metadata, typed exports and its bin files', (name) => {
    expect(contentProblems(readTarball(tarballOf(name)))).toEqual([]);
  });

  it.each(names)('%s: publint --strict', async (name) => {
    expect(await publintProblems(name, tarballOf(name))).toEqual([]);
  });

  it.each(names)('%s: attw --profile esm-only', async (name) => {
    expect(await attwProblems(name, tarballOf(name))).toEqual([]);
  });

  it('@baton/cli ships the bin shim and the built CLI it loads', () => {
    const files = readTarball(tarballOf('@baton/cli'));
    expect([...files.keys()]).toEqual(expect.arrayContaining(['bin/baton.js', 'dist/bin.js', 'dist/index.js']));
  });
});

describe('a strict-TypeScript app outside the workspace, installed from the tarballs with pnpm overrides', () => {
  let app: ScratchApp;
  beforeAll(async () => {
    app = await createPnpmScratchApp(tarballs);
    temporary.push(app.dir);
  });

  it('type-checks a workflow using @baton/core, @baton/checkpoint-fs and @baton/core/testing (strict, nodenext)', async () => {
    await app.exec('scratch app: tsc --noEmit (strict, nodenext) on workflow.ts', 'npx', [
      'tsc',
      '--noEmit',
      '-p',
      '.',
    ]);
  });

  it('runs the workflow with node: a retry, fs checkpoints, resume, and the test helpers without vitest', async () => {
    // Node strips the types itself from 22.18 on; 22.12–22.17 need the flag.
    const strip = (process.features as { typescript?: string }).typescript ? [] : ['--experimental-strip-types'];
    const { stdout } = await app.exec('scratch app: node workflow.ts', process.execPath, [...strip, 'workflow.ts']);
    expect(JSON.parse(stdout)).toEqual({
      status: 'succeeded',
      outputs: { plan: { topic: 'tarballs' }, write: 'a report on tarballs' },
      resumed: 'succeeded',
      writerCalls: 2,
      once: { status: 'succeeded', outputs: { agent: 'echoed' } },
    });
  });

  it('npx baton validate / run a YAML workflow with the installed CLI', async () => {
    const validate = await app.exec('scratch app: npx baton validate flow.yaml', 'npx', [
      'baton',
      'validate',
      'flow.yaml',
    ]);
    expect(validate.stdout).toBe('flow.yaml: ok\n1 file(s): 0 error(s), 0 warning(s)\n');
    const run = await app.exec('scratch app: npx baton run flow.yaml', 'npx', ['baton', 'run', 'flow.yaml', '--quiet']);
    expect(run.stdout).toMatch(/^Run \S+ succeeded in /);
    expect(run.stdout).toContain('"shout": "HELLO FROM A TARBALL!"');
  });
});

describe('the npm recipe: npm install of the tarballs together', () => {
  it('installs, and npx baton validate works', async () => {
    const app = await createNpmScratchApp(tarballs);
    temporary.push(app.dir);
    const validate = await app.exec('scratch app (npm): npx baton validate', 'npx', ['baton', 'validate', 'flow.yaml']);
    expect(validate.stdout).toBe('flow.yaml: ok\n1 file(s): 0 error(s), 0 warning(s)\n');
  });
});
