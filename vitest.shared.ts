import { defineConfig } from 'vitest/config';

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
        testTimeout: overrides.testTimeout ?? (int ? 120_000 : 10_000),
        hookTimeout: overrides.hookTimeout ?? (int ? 300_000 : 10_000),
        reporters: report
          ? ['default', ['json', { outputFile: `test-results/${int ? 'int' : 'unit'}${suffix}.json` }]]
          : ['default'],
      },
    };
  });
}
