import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('the README setup snippet', () => {
  it('is the type-checked examples/readme-setup.ts, verbatim', () => {
    const readme = /## Use\n\n```ts\n([\s\S]*?)```/.exec(read('../README.md'))?.[1];
    const example = /\/\/ README snippet start\n([\s\S]*?)\/\/ README snippet end\n/.exec(
      read('../examples/readme-setup.ts'),
    )?.[1];
    expect(readme).toBeDefined();
    expect(example).toBe(readme);
  });
});
