import { describe, expect, it } from 'vitest';
import { goalMet, goalRows } from './goals.js';
import { rotation, sampleRounds } from './rounds.js';

describe('goals', () => {
  it('compares in the stated direction, edges included, and never meets NaN', () => {
    expect(goalMet({ goal: 'g', measured: 1.3, comparison: '≤', target: 1.3 })).toBe(true);
    expect(goalMet({ goal: 'g', measured: 1.31, comparison: '≤', target: 1.3 })).toBe(false);
    expect(goalMet({ goal: 'g', measured: 3, comparison: '≥', target: 3 })).toBe(true);
    expect(goalMet({ goal: 'g', measured: 2.9, comparison: '≥', target: 3 })).toBe(false);
    expect(goalMet({ goal: 'g', measured: Number.NaN, comparison: '≥', target: 3 })).toBe(false);
    expect(goalMet({ goal: 'g', measured: Number.NaN, comparison: '≤', target: 3 })).toBe(false);
  });

  it('prints one row per goal with its target and met / missed', () => {
    const rows = goalRows('goals', [
      { goal: 'a', measured: 1.1, comparison: '≤', target: 1.3 },
      { goal: 'b', measured: 2, comparison: '≥', target: 3 },
    ]);
    expect(rows).toEqual([
      { table: 'goals', goal: 'a', measured: 1.1, target: '≤ 1.3', result: 'met' },
      { table: 'goals', goal: 'b', measured: 2, target: '≥ 3', result: 'missed' },
    ]);
  });
});

describe('sampleRounds', () => {
  it('rotates the order each round and files samples by variant', async () => {
    expect(rotation(3, 0)).toEqual([0, 1, 2]);
    expect(rotation(3, 1)).toEqual([1, 2, 0]);
    expect(rotation(3, 4)).toEqual([1, 2, 0]);
    const order: string[] = [];
    const variant = (name: string) => ({
      name,
      run: async () => {
        order.push(name);
        return `${name}${order.filter((seen) => seen === name).length}`;
      },
    });
    const samples = await sampleRounds([variant('a'), variant('b'), variant('c')], 3, 'test');
    expect(order).toEqual(['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
    expect(samples).toEqual([
      ['a1', 'a2', 'a3'],
      ['b1', 'b2', 'b3'],
      ['c1', 'c2', 'c3'],
    ]);
  });
});
