import { describe, expect, it } from 'vitest';
import { measureInterleaved, quantile, summarizeRounds } from './interleave.js';
import { QUICK } from './stats.js';

describe('summarizeRounds', () => {
  it('compares each variant with the first round by round', () => {
    const [base, other] = summarizeRounds({
      names: ['direct', 'adapter'],
      batches: [10, 5],
      wallNs: [
        [100, 200, 100],
        [130, 260, 110],
      ],
      cpuNs: [
        [100, 100, 100],
        [120, 120, 120],
      ],
    });
    expect(base).toMatchObject({ name: 'direct', medianNs: 100, deltaNs: 0, ratio: 1, samples: 3, batch: 10 });
    // Differences 30, 60, 10 → 30; ratios 1.3, 1.3, 1.1 → 1.3. The difference of medians would be 30 too,
    // but a drifting round (200 → 260) does not move the per-round median.
    expect(other).toMatchObject({
      name: 'adapter',
      medianNs: 130,
      minNs: 110,
      maxNs: 260,
      deltaNs: 30,
      cpuMedianNs: 120,
      batch: 5,
    });
    // Quartiles of 10, 30, 60: 20 and 45.
    expect(other!.deltaIqrNs).toBe(25);
    expect(base!.deltaIqrNs).toBe(0);
    expect(other!.ratio).toBeCloseTo(1.3);
  });
});

describe('quantile', () => {
  it('interpolates between neighbours', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([7], 0.75)).toBe(7);
  });
});

describe('measureInterleaved', () => {
  it('samples every variant in rotating order and refreshes before each sample', async () => {
    const order: string[] = [];
    let fresh = 0;
    const variant = (name: string) => ({
      name,
      op: async () => {
        if (order.at(-1) !== name) order.push(name);
      },
      fresh: () => {
        fresh++;
      },
    });
    const stats = await measureInterleaved([variant('a'), variant('b'), variant('c')], {
      ...QUICK,
      minSamples: 3,
      maxSamples: 3,
    });
    expect(stats.map((s) => [s.name, s.samples])).toEqual([
      ['a', 3],
      ['b', 3],
      ['c', 3],
    ]);
    // After the three warmups (a, b, c), round 0 runs a b c, round 1 b c a, round 2 c a b.
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
    expect(fresh).toBe(3 + 9);
  });
});
