// @baton/otel's unit tests (../src/**/*.test.ts), run against this directory's OpenTelemetry install instead of the
// package's own: @opentelemetry/api 1.9.0 (the lower bound of the peer range) with SDK 2.12, whose
// @opentelemetry/sdk-trace has the same TracerProvider and `{ exporter }` processors as SDK 3. The aliases point the
// source's and the tests' imports here; the SDK 2 packages resolve their own api peer here too (pnpm links it).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const otel = ['api', 'context-async-hooks', 'sdk-metrics', 'sdk-trace'].map((name) => ({
  find: new RegExp(`^@opentelemetry/${name}$`),
  replacement: here(`node_modules/@opentelemetry/${name}`),
}));
const report = process.env.BATON_TEST_REPORT === '1';
const suffix = process.env.BATON_TEST_REPORT_SUFFIX ?? '';

export default defineConfig({
  root: here('..'),
  resolve: { alias: otel },
  test: {
    include: ['src/**/*.test.ts', 'compat-sdk2/*.test.ts'],
    exclude: ['src/**/*.int.test.ts', '**/node_modules/**'],
    testTimeout: 10_000,
    hookTimeout: 10_000,
    // Next to the package's own results (packages/otel/test-results), where scripts/summarize-tests.mjs looks.
    reporters: report ? ['default', ['json', { outputFile: `test-results/unit-sdk2${suffix}.json` }]] : ['default'],
  },
});
