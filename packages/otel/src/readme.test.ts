import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as names from './attributes.js';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const readme = read('../README.md');

describe('the README setup snippet', () => {
  it('is the type-checked examples/readme-setup.ts, verbatim', () => {
    const snippet = /## Use\n\n(?:<!-- snippet: [^>]* -->\n\n)?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const example = /\/\/ README snippet start\n([\s\S]*?)\/\/ README snippet end\n/.exec(
      read('../examples/readme-setup.ts'),
    )?.[1];
    expect(snippet).toBeDefined();
    expect(example).toBe(snippet);
  });
});

describe('the README', () => {
  it('documents every span attribute, event and metric name the package emits', () => {
    const undocumented = Object.entries(names)
      .filter(([, value]) => !readme.includes(`\`${value}`))
      .map(([constant, value]) => `${constant} = ${value}`);
    expect(undocumented).toEqual([]);
  });
});
