import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('../', import.meta.url));
const SHIM = join(PACKAGE_DIR, 'bin', 'baton.js');

// The committed shim is what `pnpm install` links as `baton` on a fresh clone, before anything is built.
describe('bin/baton.js (the committed bin shim)', () => {
  it('is the package bin, is published, and is an executable node script', () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      files: string[];
    };
    expect(manifest.bin).toEqual({ baton: './bin/baton.js' });
    expect(manifest.files).toContain('bin');
    expect(readFileSync(SHIM, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(SHIM).mode & 0o111).not.toBe(0);
  });

  it('says to run pnpm build first, and exits 1, when the CLI is not built', () => {
    // A copy of the shim with no dist/ next to it: what a fresh clone has.
    const fresh = mkdtempSync(join(tmpdir(), 'baton-shim-'));
    cpSync(SHIM, join(fresh, 'bin', 'baton.js'));
    const result = spawnSync(process.execPath, [join(fresh, 'bin', 'baton.js'), '--version'], { encoding: 'utf8' });
    rmSync(fresh, { recursive: true, force: true });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `baton: the CLI is not built yet (${join(fresh, 'dist', 'bin.js')} is missing): run \`pnpm build\` first ` +
        '(or `pnpm --filter @baton/cli... build` for the CLI alone)\n',
    );
  });
});
