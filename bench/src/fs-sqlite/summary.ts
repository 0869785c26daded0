import { median } from '../lib/stats.js';
import type { DurableSample } from './types.js';

/** Which variants the ratios compare with: indices into the samples; `floor: null` for a bench without one. */
export interface SummaryRefs {
  floor: number | null;
  baton: number;
}

/** One variant's samples boiled down (by default index 0 is the floor, index 1 Baton). */
export interface Summary {
  name: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Median records (per sample, all runs together). */
  records: number;
  /** Median durable commits per sample. */
  commits: number;
  /** Median over rounds of this variant's time ÷ the floor's; `null` without a floor. */
  vsFloor: number | null;
  /** Median over rounds of Baton's time ÷ this variant's (0.5 = Baton takes half the time). */
  batonOver: number;
}

/**
 * Per-variant medians from `samples[variant][round]`. Ratios are taken within each round
 * and then the median of those, which is steadier on a noisy disk than a ratio of medians.
 */
export function summarize(
  names: readonly string[],
  samples: readonly (readonly DurableSample[])[],
  refs: SummaryRefs = { floor: 0, baton: 1 },
): Summary[] {
  const floor = refs.floor === null ? undefined : samples[refs.floor]!;
  const baton = samples[refs.baton]!;
  return samples.map((list, index) => {
    const ms = list.map((sample) => sample.ms);
    return {
      name: names[index]!,
      medianMs: median(ms),
      minMs: Math.min(...ms),
      maxMs: Math.max(...ms),
      records: median(list.map((sample) => sample.records)),
      commits: median(list.map((sample) => sample.commits)),
      vsFloor: floor ? median(ms.map((value, round) => value / floor[round]!.ms)) : null,
      batonOver: median(ms.map((value, round) => baton[round]!.ms / value)),
    };
  });
}
