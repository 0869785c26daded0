import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Config file names, in the order they are looked for in each folder. */
export const CONFIG_FILE_NAMES = [
  'baton.config.ts',
  'baton.config.mts',
  'baton.config.js',
  'baton.config.mjs',
  'baton.config.json',
] as const;

/**
 * Finds the project config: the first `baton.config.*` in `startDir` or the
 * nearest folder above it (like eslint and prettier do), or `undefined`.
 */
export function findConfigFile(startDir: string): string | undefined {
  for (const dir of configSearchDirs(startDir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The folders {@link findConfigFile} looks in, nearest first: `startDir` and each folder above it. */
export function configSearchDirs(startDir: string): string[] {
  const dirs: string[] = [];
  for (let dir = resolve(startDir); ; dir = dirname(dir)) {
    dirs.push(dir);
    if (dirname(dir) === dir) return dirs;
  }
}

/**
 * Says that no config was found and where the search looked, for messages about an empty registry:
 * `No baton.config was found. Looked for baton.config.{ts,mts,js,mjs,json} in: /a/b, /a, /`.
 */
export function missingConfigNote(searchedDirs: readonly string[]): string {
  const names = `baton.config.{${CONFIG_FILE_NAMES.map((name) => name.slice('baton.config.'.length)).join(',')}}`;
  return `No baton.config was found, so the agent registry is empty. Looked for ${names} in: ${searchedDirs.join(', ')}. Create one (see the @baton/cli README), or pass --config <file>.`;
}
