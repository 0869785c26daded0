import { describe, expect, it } from 'vitest';
import type { Summary } from '../fs-sqlite/summary.js';
import { BenchFlagError, chainRow, concurrentRow, numberFlag } from './rows.js';

const summary: Summary = {
  name: 'v',
  medianMs: 200,
  minMs: 100,
  maxMs: 400,
  records: 1000,
  commits: 500,
  vsFloor: 1.5,
  batonOver: 0.25,
};
const labels = { commits: 'round trips', batonOver: 'Baton ÷ this' };

describe('durable rows', () => {
  it('turns a chain summary into per-step times and per-run counts', () => {
    expect(chainRow('t', summary, 200, labels)).toEqual({
      table: 't',
      what: 'v',
      'µs/step': 1000,
      'min µs/step': 500,
      'max µs/step': 2000,
      'durable records/s': 5000,
      'records/run': 1000,
      'round trips/run': 500,
      '× floor': 1.5,
      'Baton ÷ this': 0.25,
    });
  });

  it('turns a concurrent summary into runs/s, wall time per step and records per round trip', () => {
    expect(concurrentRow('t', summary, 100, 5, labels)).toMatchObject({
      'runs/s': 500,
      'µs/step (wall ÷ steps)': 400,
      'records/run': 10,
      'round trips': 500,
      'records/round trip': 2,
    });
  });

  it('leaves the floor column out when there is no floor', () => {
    const row = concurrentRow('t', { ...summary, vsFloor: null }, 100, 5, labels);
    expect(Object.keys(row)).not.toContain('× floor');
    expect(Object.keys(chainRow('t', summary, 200, labels))).toContain('× floor');
  });

  it('reads --name=N flags and rejects anything but a positive integer', () => {
    expect(numberFlag({ args: ['--runs=50'] }, 'runs', 1000)).toBe(50);
    expect(numberFlag({ args: ['--other=3'] }, 'runs', 1000)).toBe(1000);
    expect(() => numberFlag({ args: ['--runs=abc'] }, 'runs', 1)).toThrow(BenchFlagError);
    expect(() => numberFlag({ args: ['--runs=1.5'] }, 'runs', 1)).toThrow(
      expect.objectContaining({ code: 'BENCH_FLAG' }),
    );
    expect(() => numberFlag({ args: ['--runs=0'] }, 'runs', 1)).toThrow('--runs must be a positive integer, got "0"');
  });
});
