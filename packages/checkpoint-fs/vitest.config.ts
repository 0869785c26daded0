import { defineConfig } from 'vitest/config';

// `vitest --mode int` runs only the slow integration tests (*.int.test.ts); the default mode excludes them.
export default defineConfig(({ mode }) => ({
  test: {
    include: mode === 'int' ? ['src/**/*.int.test.ts'] : ['src/**/*.test.ts'],
    exclude: mode === 'int' ? [] : ['src/**/*.int.test.ts', 'node_modules/**'],
    passWithNoTests: mode === 'int',
    // The crash test spawns and SIGKILLs hundreds of child processes.
    testTimeout: mode === 'int' ? 600_000 : 30_000,
  },
}));
