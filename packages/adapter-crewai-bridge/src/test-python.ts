// Test support (not exported): where the real-framework tests find Python and their fixtures.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The Python fixture modules shared with the runners' pytest suite. */
export const FRAMEWORK_FIXTURES = join(REPO_ROOT, 'packages/bridge/python/tests/framework_fixtures');

/** The interpreter with the pinned frameworks (`bash scripts/setup-python.sh` creates it). */
export const FRAMEWORK_PYTHON = process.env.BATON_PYTHON ?? join(REPO_ROOT, '.venv/bin/python');

/**
 * Why the real-framework tests cannot run here (`undefined` when they can). In CI a missing
 * framework is an error, not a skip: this throws, so the test file fails.
 */
export function missingFramework(module: string): string | undefined {
  const probe = spawnSync(FRAMEWORK_PYTHON, ['-c', `import ${module}`], { encoding: 'utf8', timeout: 120_000 });
  if (probe.status === 0) return undefined;
  const reason = `${FRAMEWORK_PYTHON} cannot import ${module} (${probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)}); run: bash scripts/setup-python.sh`;
  if (process.env.CI === 'true') throw new Error(`Real-framework tests must run in CI: ${reason}`);
  return reason;
}

/** A fresh directory for the worker's HOME and the fixtures' crash markers. */
export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'baton-framework-test-'));
}
