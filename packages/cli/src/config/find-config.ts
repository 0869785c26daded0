import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Config file names, in the order they are looked for in each folder. */
export const CONFIG_FILE_NAMES = ['baton.config.ts', 'baton.config.mts', 'baton.config.js', 'baton.config.mjs', 'baton.config.json'] as const;

/**
 * Finds the project config: the first `baton.config.*` in `startDir` or the
 * nearest folder above it (like eslint and prettier do), or `undefined`.
 */
export function findConfigFile(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
