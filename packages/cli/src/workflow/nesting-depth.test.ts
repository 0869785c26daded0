import { describe, expect, it } from 'vitest';
import { findExcessNesting, MAX_NESTING_DEPTH } from './nesting-depth.js';
import { parseWorkflowText } from './read-document.js';

const head = 'metadata: { name: w, version: "1" }\nsteps:\n  - id: a\n    uses: x\n';
const flowDoc = (depth: number) => `${head}    input: { value: ${'['.repeat(depth)}${']'.repeat(depth)} }\n`;
const blockDoc = (depth: number) =>
  `${head}    input:\n      value:\n${Array.from({ length: depth }, (_, level) => `${'  '.repeat(level + 4)}k${level}:`).join('\n')} 1\n`;

describe('nesting depth', () => {
  it.each([
    ['flow', flowDoc(5_000)],
    [
      'JSON',
      `{"metadata":{"name":"w","version":"1"},"steps":[{"id":"a","uses":"x","input":{"value":${'['.repeat(5_000)}${']'.repeat(5_000)}}}]}`,
    ],
    ['block', blockDoc(5_000)],
  ])('a legal but very deeply nested %s document is "nested too deeply", not a stack overflow', (_kind, text) => {
    const document = parseWorkflowText('deep.yaml', text);
    expect(document.value).toBeUndefined();
    expect(document.syntaxErrors).toHaveLength(1);
    expect(document.syntaxErrors[0]).toMatchObject({
      code: 'syntax',
      message: `nested too deeply (limit ${MAX_NESTING_DEPTH} levels)`,
    });
    expect(document.syntaxErrors[0]!.position).toBeDefined();
  });

  it('parses documents nested up to the limit', () => {
    const depth = MAX_NESTING_DEPTH - 6; // the step list, the step, `input`, `value` and the document itself
    const document = parseWorkflowText('ok.yaml', flowDoc(depth));
    expect(document.syntaxErrors).toEqual([]);
    expect(findExcessNesting(blockDoc(depth))).toBeUndefined();
    expect(parseWorkflowText('ok.yaml', blockDoc(depth)).syntaxErrors).toEqual([]);
  });

  it('does not count brackets inside quotes, comments or block scalars', () => {
    const brackets = '['.repeat(1_000);
    const text = `${head}    description: "${brackets}"\n    other: '${brackets}' # ${brackets}\n    note: |\n      ${brackets}\n      - - - -\n`;
    expect(findExcessNesting(text)).toBeUndefined();
  });
});
