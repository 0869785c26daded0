import { existsSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * The `export KEY=value` lines of the repo's `.pg/env` and `.s3/env` (written by scripts/pg-up.sh and
 * scripts/s3-up.sh), for keys the environment does not set: the integration tests of every package find the
 * local servers the same way, without `set -a; . .pg/env` first (scripts/test.sh exports both anyway).
 */
function localServerEnv(): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const name of ['.pg/env', '.s3/env']) {
    const file = new URL(name, import.meta.url);
    if (!existsSync(file)) continue;
    for (const [, key, value] of readFileSync(file, 'utf8').matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm))
      if (process.env[key!] === undefined) variables[key!] = value!;
  }
  return variables;
}

/**
 * Shared vitest settings. `vitest --mode int` runs only the slow integration
 * tests (*.int.test.ts); the default mode runs everything else. With
 * BATON_TEST_REPORT=1 each run also writes JSON results that
 * scripts/summarize-tests.mjs totals into one closing line; BATON_TEST_REPORT_SUFFIX
 * (e.g. `-node22`) keeps a second pass on another Node from overwriting the first.
 */
export function batonVitestConfig(overrides: { testTimeout?: number; hookTimeout?: number } = {}) {
  return defineConfig(({ mode }) => {
    const int = mode === 'int';
    const report = process.env.BATON_TEST_REPORT === '1';
    const suffix = process.env.BATON_TEST_REPORT_SUFFIX ?? '';
    return {
      test: {
        include: int ? ['src/**/*.int.test.ts'] : ['src/**/*.test.ts'],
        exclude: int ? ['node_modules/**'] : ['src/**/*.int.test.ts', 'node_modules/**'],
        passWithNoTests: int,
        env: localServerEnv(),
        testTimeout: overrides.testTimeout ?? (int ? 120_000 : 10_000),
        hookTimeout: overrides.hookTimeout ?? (int ? 300_000 : 10_000),
        reporters: report
          ? ['default', ['json', { outputFile: `test-results/${int ? 'int' : 'unit'}${suffix}.json` }]]
          : ['default'],
      },
    };
  });
}
