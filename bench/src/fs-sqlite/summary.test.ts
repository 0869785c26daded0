import { describe, expect, it } from 'vitest';
import { summarize } from './summary.js';

const sample = (ms: number, records = 10, commits = 5) => ({ ms, records, commits });

describe('summarize', () => {
  it('takes medians and per-round ratios against the floor (index 0) and Baton (index 1)', () => {
    const [floor, baton, other] = summarize(
      ['floor', 'baton', 'other'],
      [
        [sample(10), sample(20), sample(10)],
        [sample(12), sample(30), sample(11)],
        [sample(24, 20, 8), sample(60, 20, 8), sample(44, 20, 8)],
      ],
    );
    expect(floor).toMatchObject({ name: 'floor', medianMs: 10, minMs: 10, maxMs: 20, vsFloor: 1, batonOver: 1.2 });
    expect(baton).toMatchObject({ medianMs: 12, vsFloor: 1.2, batonOver: 1 });
    // Per round: 12/24, 30/60, 11/44 → median 0.5; 24/10, 60/20, 44/10 → median 3.
    expect(other).toMatchObject({ records: 20, commits: 8, batonOver: 0.5, vsFloor: 3 });
  });

  it('compares with any Baton index and prints no floor ratio without a floor', () => {
    const [sqlite, baton] = summarize(
      ['sqlite', 'baton'],
      [
        [sample(40), sample(40)],
        [sample(10), sample(10)],
      ],
      { floor: null, baton: 1 },
    );
    expect(sqlite).toMatchObject({ vsFloor: null, batonOver: 0.25 });
    expect(baton).toMatchObject({ vsFloor: null, batonOver: 1 });
  });
});
