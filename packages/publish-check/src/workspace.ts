import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOrThrow } from './command.js';

/** The repository root (this package is `packages/publish-check`). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The package.json fields the publish check reads. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  type?: string;
  engines?: { node?: string };
  repository?: unknown;
  bin?: string | Record<string, string>;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** A package of the workspace that is published. */
export interface PublicPackage {
  name: string;
  dir: string;
  manifest: Manifest;
}

/** Every package under `packages/` that is not private, sorted by name. */
export function publicPackages(): PublicPackage[] {
  const root = join(REPO_ROOT, 'packages');
  return readdirSync(root)
    .map((entry) => join(root, entry))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ name: manifest.name, dir, manifest }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Runs the pinned pnpm (`scripts/pnpm.sh`) with `args` in `cwd`; `label` names the package and step on failure. */
export function pnpm(label: string, args: readonly string[], cwd: string) {
  return runOrThrow(label, 'bash', [join(REPO_ROOT, 'scripts', 'pnpm.sh'), ...args], { cwd });
}

/**
 * `pnpm pack`s a package into `destination` (which rewrites `workspace:` ranges to real versions, as `pnpm publish`
 * does) and returns the tarball's path. Fails, naming the package, when it was not built.
 */
export async function pack(pkg: PublicPackage, destination: string): Promise<string> {
  if (!existsSync(join(pkg.dir, 'dist'))) {
    throw new Error(`${pkg.name}: ${join(pkg.dir, 'dist')} is missing: build first (pnpm build)`);
  }
  const { stdout } = await pnpm(
    `${pkg.name}: pnpm pack`,
    ['pack', '--pack-destination', destination, '--json'],
    pkg.dir,
  );
  return (JSON.parse(stdout) as { filename: string }).filename;
}
