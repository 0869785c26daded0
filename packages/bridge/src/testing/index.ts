// Test support for Baton's Python framework adapters (`@baton/bridge/testing`): where their
// real-framework tests find Python and the fixtures. The paths point into a checkout of the
// Baton repository (the fixtures are not published; the venv is the repository's own).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// This module runs as packages/bridge/src/testing/index.ts (tests) or packages/bridge/dist/testing/index.js
// (adapters, through the exports map): both sit two folders below the package and four below the repository.
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The Python fixture modules shared with the runners' pytest suite (`python/tests/framework_fixtures`). */
export const FRAMEWORK_FIXTURES = join(PACKAGE_ROOT, 'python/tests/framework_fixtures');

/** The interpreter with the pinned frameworks: `BATON_PYTHON`, else the venv `bash scripts/setup-python.sh` creates. */
export const FRAMEWORK_PYTHON = process.env.BATON_PYTHON ?? join(REPO_ROOT, '.venv/bin/python');

/**
 * Why the real-framework tests cannot run here (`undefined` when they can), for `describe.skipIf`.
 * `module` is what `FRAMEWORK_PYTHON` must import (`'crewai'`, or several, comma-separated). In CI
 * (`CI=true`) a missing framework is an error, not a skip: this throws, so the test file fails.
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
