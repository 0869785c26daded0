import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as names from './attributes.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the README', () => {
  it('documents every span attribute, event and metric name the package emits', () => {
    const undocumented = Object.entries(names)
      .filter(([, value]) => !readme.includes(`\`${value}`))
      .map(([constant, value]) => `${constant} = ${value}`);
    expect(undocumented).toEqual([]);
  });
});
