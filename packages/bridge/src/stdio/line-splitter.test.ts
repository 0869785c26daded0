import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';

function collect(maxBytes = 64) {
  const lines: string[] = [];
  const oversize: number[] = [];
  const splitter = new LineSplitter(
    maxBytes,
    (line) => lines.push(line),
    (bytes) => oversize.push(bytes),
  );
  return { splitter, lines, oversize };
}

describe('LineSplitter', () => {
  it('splits frames across and within chunks and skips empty lines', () => {
    const { splitter, lines } = collect();
    splitter.push(Buffer.from('{"a":1}\n{"b"'));
    splitter.push(Buffer.from(':2}\n\n{"c":3}\n'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(splitter.buffered).toBe(0);
  });

  it('decodes a multi-byte character split across chunks', () => {
    const { splitter, lines } = collect();
    const bytes = Buffer.from('"héllo"\n');
    splitter.push(bytes.subarray(0, 3));
    splitter.push(bytes.subarray(3));
    expect(lines).toEqual(['"héllo"']);
  });

  it('reports a frame over the cap as soon as it passes the cap, then stops', () => {
    const { splitter, lines, oversize } = collect(10);
    splitter.push(Buffer.from('12345'));
    splitter.push(Buffer.from('678901'));
    expect(oversize).toEqual([11]);
    splitter.push(Buffer.from('\n{"late":1}\n'));
    expect(lines).toEqual([]);
  });

  it('reports a complete frame over the cap', () => {
    const { splitter, oversize } = collect(4);
    splitter.push(Buffer.from('123456\n'));
    expect(oversize).toEqual([6]);
  });
});
