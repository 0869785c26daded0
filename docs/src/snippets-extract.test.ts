import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from './docs-files.js';
import { extractSnippets, SnippetMarkerError } from './snippets.js';
import { createSnippetProgram } from './typecheck-snippets.js';

const docsDir = fileURLToPath(new URL('../', import.meta.url));

const markdown = [
  '# Title', // 1
  '', // 2
  '```ts', // 3
  'const a = 1;', // 4
  '```', // 5
  '', // 6
  '<!-- snippet: no-check (shows a fragment on purpose) -->', // 7
  '', // 8
  '```typescript', // 9
  'fragment(', // 10
  '```', // 11
  '<!-- snippet: file=helper.ts -->', // 12
  '<!-- snippet: given workflow, input -->', // 13
  '<!-- snippet: given runId -->', // 14
  '```ts', // 15
  'export const helper = 1;', // 16
  '```', // 17
  '````md', // 18
  '```ts', // 19
  'not a snippet: inside another fence', // 20
  '```', // 21
  '````', // 22
  '```sh', // 23
  'echo not ts', // 24
  '```', // 25
].join('\n');

describe('extractSnippets', () => {
  it('finds top-level ts blocks with the line of their first code line and the markers above them', () => {
    expect(extractSnippets('x.md', markdown)).toEqual([
      { doc: 'x.md', line: 4, code: 'const a = 1;', given: [] },
      { doc: 'x.md', line: 10, code: 'fragment(', given: [], noCheck: 'shows a fragment on purpose' },
      {
        doc: 'x.md',
        line: 16,
        code: 'export const helper = 1;',
        given: ['runId', 'workflow', 'input'],
        file: 'helper.ts',
      },
    ]);
  });

  it('refuses an unknown marker and a no-check without its reason', () => {
    expect(() => extractSnippets('x.md', '<!-- snippet: skip -->\n```ts\nx\n```')).toThrow(SnippetMarkerError);
    expect(() => extractSnippets('x.md', '<!-- snippet: no-check -->\n```ts\nx\n```')).toThrow(
      /x\.md:1: bad snippet marker/,
    );
  });
});

describe('createSnippetProgram', () => {
  it('reports a type error as file:line:col of the Markdown, counting the given import it adds', () => {
    const snippets = extractSnippets(
      'guide.md',
      [
        'Intro', // 1
        '<!-- snippet: given runId -->', // 2
        '```ts', // 3
        "import { createSupervisor } from '@baton/core';", // 4
        'const id: number = runId;', // 5
        'createSupervisor().on("step.bogus", () => {});', // 6
        '```', // 7
      ].join('\n'),
    );
    const checked = createSnippetProgram({
      snippets,
      workspaceDir: docsDir,
      fixturesDir: join(docsDir, 'src/snippet-fixtures'),
      tsconfigFile: join(ROOT, 'tsconfig.base.json'),
    });
    try {
      const problems = checked.problems();
      expect(problems.map((problem) => problem.location)).toEqual(['guide.md:5:7', 'guide.md:6:23']);
      expect(problems[0]!.message).toMatch(/Type 'string' is not assignable to type 'number'/);
    } finally {
      checked.dispose();
    }
  });
});
