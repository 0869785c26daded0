import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOrThrow } from './command.js';
import { REPO_ROOT } from './workspace.js';

const PNPM = join(REPO_ROOT, 'scripts', 'pnpm.sh');
const FIXTURE = fileURLToPath(new URL('./__fixtures__/scratch-app', import.meta.url));

/** The @baton packages the scratch app depends on directly; the others come in as their dependencies. */
export const SCRATCH_DEPENDENCIES = ['@baton/core', '@baton/checkpoint-fs', '@baton/cli'] as const;

/** A project in a temp folder outside the workspace, installed from tarballs. */
export interface ScratchApp {
  dir: string;
  /** Runs `command args` in the app with the test's Node first on PATH; `label` names the check on failure. */
  exec(label: string, command: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }>;
}

/** Versions of the tools the scratch app installs from the registry: the workspace's own, so they move together. */
function toolVersions(): { typescript: string; '@types/node': string } {
  const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  return { typescript: root.devDependencies.typescript!, '@types/node': root.devDependencies['@types/node']! };
}

/**
 * Creates the scratch app (the files in `__fixtures__/scratch-app`) and installs it with pnpm: its dependencies are
 * `file:` tarballs, and `pnpm.overrides` points every `@baton/*` at its tarball so the packages' dependencies on each
 * other resolve to tarballs too (they are not on the registry yet). Everything else comes from the npm registry.
 */
export async function createPnpmScratchApp(tarballs: ReadonlyMap<string, string>): Promise<ScratchApp> {
  const dir = copyFixture('baton-scratch-pnpm-');
  const local = (name: string) => `file:${tarballs.get(name)}`;
  const manifest = {
    name: 'baton-scratch-app',
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(SCRATCH_DEPENDENCIES.map((name) => [name, local(name)])),
    devDependencies: toolVersions(),
    pnpm: { overrides: Object.fromEntries([...tarballs.keys()].map((name) => [name, local(name)])) },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const app = scratchApp(dir);
  await app.exec('scratch app (pnpm): pnpm install', 'bash', [PNPM, 'install', '--no-frozen-lockfile']);
  return app;
}

/**
 * The npm recipe: `npm install` of the tarballs together (npm resolves their dependencies on each other to the
 * tarballs being installed), in another temp folder.
 */
export async function createNpmScratchApp(tarballs: ReadonlyMap<string, string>): Promise<ScratchApp> {
  const dir = copyFixture('baton-scratch-npm-');
  writeFileSync(join(dir, 'package.json'), '{ "name": "baton-scratch-npm", "private": true, "type": "module" }\n');
  const app = scratchApp(dir);
  const files = SCRATCH_DEPENDENCIES.map((name) => tarballs.get(name)!);
  await app.exec('scratch app (npm): npm install', 'npm', ['install', '--no-audit', '--no-fund', ...files]);
  return app;
}

function copyFixture(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function scratchApp(dir: string): ScratchApp {
  // The Node running the tests (a supported one) first on PATH, for npx and the bins' `#!/usr/bin/env node`.
  // Without the workspace's `pnpm run` variables (npm_package_*, npm_lifecycle_*, …): the app is a project of its own.
  const inherited = Object.entries(process.env).filter(
    ([key]) => !/^(npm_(package|lifecycle)_|PNPM_|INIT_CWD$)/.test(key),
  );
  const env: NodeJS.ProcessEnv = { ...Object.fromEntries(inherited), NO_COLOR: '1' };
  env.PATH = `${join(process.execPath, '..')}:${process.env.PATH ?? ''}`;
  delete env.FORCE_COLOR;
  delete env.BATON_CONFIG;
  return {
    dir,
    exec: (label, command, args) => runOrThrow(label, command, args, { cwd: dir, env }),
  };
}
