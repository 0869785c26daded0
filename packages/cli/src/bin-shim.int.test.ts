import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, childEnv, makeProject } from './test-support/baton-process.js';

const PACKAGE_DIR = fileURLToPath(new URL('../', import.meta.url));
const SHIM = join(PACKAGE_DIR, 'bin', 'baton.js');

function viaShim(args: readonly string[], cwd: string) {
  return spawnSync(process.execPath, [SHIM, ...args], { cwd, env: childEnv(), encoding: 'utf8' });
}

describe('bin/baton.js with the CLI built', () => {
  beforeAll(() => assertBuilt());

  it('runs the built CLI: its version, its output and its exit codes', () => {
    const project = makeProject();
    const { version } = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string };
    expect(viaShim(['--version'], project)).toMatchObject({ status: 0, stdout: `${version}\n` });
    const ok = viaShim(['validate', 'ok.yaml'], project);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('ok.yaml');
    // `validate` exits 1 on an invalid file: the shim passes the CLI's exit code through.
    expect(viaShim(['validate', 'invalid.yaml'], project).status).toBe(1);
  });
});
