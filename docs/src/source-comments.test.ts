import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './docs-files.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|py)$/.test(entry.name) ? [path] : [];
  });
}

describe('source comments (the TSDoc that ends up in .d.ts files)', () => {
  it('point at no DESIGN document: the repository does not ship one', () => {
    const packages = readdirSync(join(ROOT, 'packages')).map((name) => join(ROOT, 'packages', name, 'src'));
    const offenders = packages
      .flatMap((dir) => {
        try {
          return sourceFiles(dir);
        } catch {
          return []; // a package without src
        }
      })
      .filter((file) => /\bDESIGN\b/.test(readFileSync(file, 'utf8')))
      .map((file) => file.slice(ROOT.length));
    expect(offenders).toEqual([]);
  });
});
