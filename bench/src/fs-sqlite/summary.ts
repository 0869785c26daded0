import { median } from '../lib/stats.js';
import type { DurableSample } from './types.js';

/** One variant's samples boiled down; index 0 is the floor, index 1 Baton. */
export interface Summary {
  name: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Median records (per sample, all runs together). */
  records: number;
  /** Median durable commits per sample. */
  commits: number;
  /** Median over rounds of this variant's time ÷ the floor's. */
  vsFloor: number;
  /** Median over rounds of Baton's time ÷ this variant's (0.5 = Baton takes half the time). */
  batonOver: number;
}

/**
 * Per-variant medians from `samples[variant][round]`. Ratios are taken within each round
 * and then the median of those, which is steadier on a noisy disk than a ratio of medians.
 */
export function summarize(names: readonly string[], samples: readonly (readonly DurableSample[])[]): Summary[] {
  const floor = samples[0]!;
  const baton = samples[1]!;
  return samples.map((list, index) => {
    const ms = list.map((sample) => sample.ms);
    return {
      name: names[index]!,
      medianMs: median(ms),
      minMs: Math.min(...ms),
      maxMs: Math.max(...ms),
      records: median(list.map((sample) => sample.records)),
      commits: median(list.map((sample) => sample.commits)),
      vsFloor: median(ms.map((value, round) => value / floor[round]!.ms)),
      batonOver: median(ms.map((value, round) => baton[round]!.ms / value)),
    };
  });
}
