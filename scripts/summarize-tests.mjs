// Totals the JSON reports vitest wrote (BATON_TEST_REPORT=1) into one closing line: "Tests: N passed, N failed, N skipped".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = [
  'bench',
  'docs',
  'examples',
  ...readdirSync(join(root, 'packages')).map((name) => join('packages', name)),
];
let passed = 0,
  failed = 0,
  skipped = 0;
const perPackage = [];
for (const dir of dirs) {
  const results = join(root, dir, 'test-results');
  if (!existsSync(results)) continue;
  for (const file of readdirSync(results).filter((name) => name.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(results, file), 'utf8'));
    // Only vitest's JSON reports: tests also leave measurements here (the dashboard's runs-list-10k.json).
    if (typeof report.numPassedTests !== 'number' || !Array.isArray(report.testResults)) continue;
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    // A file that fails outside a test (a hook timing out, an import error) fails no test but fails the run: count it.
    const brokenFiles = (report.testResults ?? []).filter(
      (file) => file.status === 'failed' && !file.assertionResults?.some((test) => test.status === 'failed'),
    ).length;
    failed += brokenFiles;
    const broken = brokenFiles > 0 ? ` (${brokenFiles} test file(s) failed outside any test)` : '';
    perPackage.push(`${dir}/${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed${broken}`);
  }
}
// pytest's JUnit XML (the bridge's Python side)
const junit = join(root, 'packages/bridge/python/test-results/pytest.xml');
if (existsSync(junit)) {
  const suite = /<testsuite\b[^>]*>/.exec(readFileSync(junit, 'utf8'))?.[0] ?? '';
  const count = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? 0);
  const failedHere = count('failures') + count('errors');
  const passedHere = count('tests') - failedHere - count('skipped');
  passed += passedHere;
  failed += failedHere;
  skipped += count('skipped');
  perPackage.push(`packages/bridge/python/pytest.xml: ${passedHere} passed, ${failedHere} failed`);
}
console.log(perPackage.join('\n'));
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
