/** Timing helpers: warmup, calibrated batches, several samples, the median. */

/** Summary of one measurement, all times in nanoseconds per operation. */
export interface Stats {
  medianNs: number;
  minNs: number;
  maxNs: number;
  /** Samples taken (each the mean over `batch` operations). */
  samples: number;
  /** Operations per sample. */
  batch: number;
  /**
   * Median process CPU time (user + system, all threads) per operation. Well
   * below `medianNs` means the process waited or was descheduled by other load;
   * above it means helper threads (GC) worked in parallel.
   */
  cpuMedianNs: number;
}

/** How long and how often to measure. */
export interface MeasureOptions {
  /** Warm the JIT for at least this long (and at least `minWarmupOps` operations). */
  warmupMs: number;
  minWarmupOps: number;
  /** Grow a sample's batch of operations until a sample lasts about this long. */
  minSampleMs: number;
  minSamples: number;
  maxSamples: number;
  /** Stop sampling once this much time went by and `minSamples` are in. */
  maxTotalMs: number;
  /** Called before every sample, outside the timed region (e.g. a fresh store). */
  beforeSample?: () => void | Promise<void>;
}

/** Defaults for a real run. */
export const FULL: Omit<MeasureOptions, 'beforeSample'> = {
  warmupMs: 300,
  minWarmupOps: 5,
  minSampleMs: 25,
  minSamples: 7,
  maxSamples: 25,
  maxTotalMs: 2_000,
};

/** Defaults for `--quick`: enough to see the code works, not to quote. */
export const QUICK: Omit<MeasureOptions, 'beforeSample'> = {
  warmupMs: 20,
  minWarmupOps: 1,
  minSampleMs: 2,
  minSamples: 3,
  maxSamples: 3,
  maxTotalMs: 200,
};

/** Median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const now = (): number => Number(process.hrtime.bigint());
const cpuNow = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) * 1e3;
};

/**
 * Times `op`: warmup (also used to size batches), then samples of `batch`
 * back-to-back operations. Batching keeps GC cost inside the numbers instead
 * of letting a per-op median hide it.
 */
export async function measure(op: () => Promise<unknown>, options: MeasureOptions): Promise<Stats> {
  const warmupStart = now();
  let warmupOps = 0;
  while (warmupOps < options.minWarmupOps || now() - warmupStart < options.warmupMs * 1e6) {
    await op();
    warmupOps++;
  }
  const perOpNs = (now() - warmupStart) / warmupOps;
  const batch = Math.max(1, Math.ceil((options.minSampleMs * 1e6) / perOpNs));
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  const start = now();
  while (samples.length < options.maxSamples) {
    if (samples.length >= options.minSamples && now() - start > options.maxTotalMs * 1e6) break;
    await options.beforeSample?.();
    const c0 = cpuNow();
    const t0 = now();
    for (let i = 0; i < batch; i++) await op();
    samples.push((now() - t0) / batch);
    cpuSamples.push((cpuNow() - c0) / batch);
  }
  return {
    medianNs: median(samples),
    minNs: Math.min(...samples),
    maxNs: Math.max(...samples),
    samples: samples.length,
    batch,
    cpuMedianNs: median(cpuSamples),
  };
}
