import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A repository-level check that lives here because the CLI is the package that depends on the most others.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const REPO_URL = 'https://github.com/baton-dev/baton';
const RUNTIME_LINE = 'ESM only. Node ≥ 22.12.';

interface Manifest {
  name: string;
  private?: boolean;
  license?: string;
  files?: string[];
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
}

function publicPackages(): { dir: string; manifest: Manifest }[] {
  return readdirSync(join(root, 'packages'))
    .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
    .map((dir) => ({
      dir,
      manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest,
    }))
    .filter(({ manifest }) => manifest.private !== true);
}

describe('publishable package metadata', () => {
  const packages = publicPackages();
  const license = readFileSync(join(root, 'LICENSE'), 'utf8');

  it('finds the public packages', () => {
    expect(packages.map(({ manifest }) => manifest.name)).toContain('@baton/cli');
    expect(packages.length).toBeGreaterThanOrEqual(10);
  });

  it('has an MIT LICENSE in the repository root', () => {
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 The Baton authors\n/);
  });

  it.each(packages.map((entry) => [entry.manifest.name, entry] as const))(
    '%s: license, repository, homepage, bugs, LICENSE in files, runtime line in README',
    (_name, { dir, manifest }) => {
      expect(manifest.name).toMatch(/^@baton\//);
      expect(manifest.license).toBe('MIT');
      expect(manifest.repository).toEqual({
        type: 'git',
        url: `git+${REPO_URL}.git`,
        directory: `packages/${dir}`,
      });
      expect(manifest.homepage).toBe(`${REPO_URL}/tree/main/packages/${dir}#readme`);
      expect(manifest.bugs).toEqual({ url: `${REPO_URL}/issues` });
      expect(manifest.files).toContain('LICENSE');
      expect(readFileSync(join(root, 'packages', dir, 'LICENSE'), 'utf8')).toBe(license);
      expect(readFileSync(join(root, 'packages', dir, 'README.md'), 'utf8')).toContain(RUNTIME_LINE);
    },
  );
});
