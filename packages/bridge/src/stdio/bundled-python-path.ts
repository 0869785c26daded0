import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the `baton_bridge` Python sources shipped inside this npm package
 * (`python/src`). Put on the worker's `PYTHONPATH` by default so the stdlib-only worker runs
 * with any Python 3.10+ without a pip install. Undefined if the folder is missing.
 */
export function bundledPythonPath(): string | undefined {
  // Same relative location from src/stdio/*.ts (tests) and from dist/index.js (built).
  for (const relative of ['../../python/src', '../python/src']) {
    const candidate = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(`${candidate}/baton_bridge/__init__.py`)) return candidate;
  }
  return undefined;
}
