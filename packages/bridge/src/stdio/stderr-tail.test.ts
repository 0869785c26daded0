import { describe, expect, it } from 'vitest';
import { StderrTail } from './stderr-tail.js';

describe('StderrTail', () => {
  it('keeps everything under the cap', () => {
    const tail = new StderrTail(100);
    tail.push('line 1\n');
    tail.push('line 2\n');
    expect(tail.toString()).toBe('line 1\nline 2\n');
  });

  it('keeps only the last bytes, starting at a line boundary', () => {
    const tail = new StderrTail(20);
    for (let index = 0; index < 100; index += 1) tail.push(`line ${index}\n`);
    expect(tail.toString()).toBe('line 98\nline 99\n');
  });
});
