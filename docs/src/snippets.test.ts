import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentationFiles, ROOT } from './docs-files.js';
import { readSnippets } from './snippets.js';
import { createSnippetProgram, type SnippetProgram } from './typecheck-snippets.js';

const docsDir = fileURLToPath(new URL('../', import.meta.url));
const snippets = documentationFiles().flatMap((doc) => readSnippets(ROOT, doc));

let checked: SnippetProgram;
beforeAll(() => {
  checked = createSnippetProgram({
    snippets,
    workspaceDir: docsDir,
    fixturesDir: join(docsDir, 'src/snippet-fixtures'),
    tsconfigFile: join(ROOT, 'tsconfig.base.json'),
    extraFiles: { 'event-types.ts': "export type EventType = import('@baton/core').SupervisorEventType;\n" },
  });
  // One TypeScript program over every snippet and the packages' .d.ts: seconds on an idle machine, more than a minute
  // on a loaded CI runner. A limit on hangs, not a speed check.
}, 300_000);
afterAll(() => checked?.dispose());

describe('TypeScript snippets in the docs', () => {
  it('finds the snippets of every README and docs page', () => {
    const docs = new Set(snippets.map((snippet) => snippet.doc));
    expect(docs).toContain('README.md');
    expect(docs).toContain('packages/core/README.md');
    expect(docs).toContain('docs/custom-adapter.md');
    expect(snippets.length).toBeGreaterThanOrEqual(15);
  });

  it('keeps no-check snippets few, each with its reason', () => {
    const skipped = snippets.filter((snippet) => snippet.noCheck !== undefined);
    expect(skipped.length).toBeLessThanOrEqual(2);
    for (const snippet of skipped) expect(snippet.noCheck!.length).toBeGreaterThan(10);
  });

  it('type-check under strict settings (errors are reported as file:line:col of the Markdown)', () => {
    const problems = checked.problems().map((problem) => `${problem.location}: ${problem.message}`);
    expect(problems).toEqual([]);
  });
});

describe('the core README', () => {
  it('lists every event type the supervisor emits, and no other', () => {
    const readme = readFileSync(join(ROOT, 'packages/core/README.md'), 'utf8');
    const paragraph = /Events: ([\s\S]*?)\n\n/.exec(readme)?.[1] ?? '';
    const listed = [...paragraph.matchAll(/`([a-z]+\.[a-z_]+)`/g)].map((match) => match[1]!);
    expect(listed.length).toBeGreaterThan(10);
    expect([...new Set(listed)].sort()).toEqual(checked.unionLiterals('event-types.ts', 'EventType').sort());
  });
});
