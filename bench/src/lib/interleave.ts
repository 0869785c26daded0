/**
 * Side-by-side timing of variants of one operation (e.g. a direct call and the same call
 * through an adapter) in one process: each round takes one sample of every variant, in a
 * rotating order, so drift in machine load and JIT state hits all variants alike. The
 * difference to the baseline is the median of the per-round differences, which is steadier
 * on a noisy machine than the difference of two medians taken at different times.
 * (A forced full GC before each sample was tried: in one trial every call got slower, by up to 2×, and
 * the spread got wider; so garbage is left to V8, and the rotation evens out who collects it.)
 */
import { median, type MeasureOptions, type Stats } from './stats.js';

/** One variant: the first variant given is the baseline the others are compared with. */
export interface Variant {
  name: string;
  op: () => unknown;
  /** Called before each of this variant's samples, outside the timed region (e.g. a fresh store). */
  fresh?: () => void | Promise<void>;
}

/** Timing of one variant, plus its comparison with the baseline. */
export interface VariantStats extends Stats {
  name: string;
  /** Median over rounds of (this variant's sample − the baseline's sample), ns per op; 0 for the baseline. */
  deltaNs: number;
  /** Interquartile range of those per-round differences, ns per op: how far to trust `deltaNs`. */
  deltaIqrNs: number;
  /** Median over rounds of (this variant's sample ÷ the baseline's sample); 1 for the baseline. */
  ratio: number;
}

/** Raw per-op samples (ns) of each variant, one entry per round, and CPU time alongside. */
export interface Rounds {
  names: string[];
  batches: number[];
  wallNs: number[][];
  cpuNs: number[][];
}

const now = (): number => Number(process.hrtime.bigint());
const cpuNow = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) * 1e3;
};

/**
 * Warms one variant up, then returns its ns per op timed over windows of about one sample's
 * length of warm ops (the warmup's own average overstates it: the first, cold ops
 * are the slowest, and the batch would come out too small).
 */
async function warm(variant: Variant, options: MeasureOptions): Promise<number> {
  await variant.fresh?.();
  let started = now();
  let ops = 0;
  while (ops < options.minWarmupOps || now() - started < options.warmupMs * 1e6) {
    await variant.op();
    ops++;
  }
  // The fastest of three windows: one deschedule during calibration would otherwise shrink the batch for good.
  let best = Infinity;
  for (let window = 0; window < 3; window++) {
    started = now();
    ops = 0;
    do {
      await variant.op();
      ops++;
    } while (now() - started < options.minSampleMs * 1e6);
    best = Math.min(best, (now() - started) / ops);
  }
  return best;
}

/** Takes one sample of `batch` back-to-back ops: [wall ns per op, cpu ns per op]. */
async function sample(variant: Variant, batch: number): Promise<[number, number]> {
  await variant.fresh?.();
  const c0 = cpuNow();
  const t0 = now();
  for (let i = 0; i < batch; i++) await variant.op();
  return [(now() - t0) / batch, (cpuNow() - c0) / batch];
}

/**
 * Measures every variant in interleaved rounds. Each variant gets its own batch size
 * (so a sample lasts about `minSampleMs`); rounds continue until `maxSamples`, or until
 * `minSamples` are in and `maxTotalMs` per variant has gone by.
 */
export async function measureInterleaved(
  variants: readonly Variant[],
  options: MeasureOptions,
): Promise<VariantStats[]> {
  if (variants.length === 0) throw new RangeError('measureInterleaved needs at least one variant');
  const perOp: number[] = [];
  for (const variant of variants) perOp.push(await warm(variant, options));
  const batches = perOp.map((ns) => Math.max(1, Math.ceil((options.minSampleMs * 1e6) / ns)));
  const rounds: Rounds = {
    names: variants.map((v) => v.name),
    batches,
    wallNs: variants.map(() => []),
    cpuNs: variants.map(() => []),
  };
  const started = now();
  const budgetNs = options.maxTotalMs * 1e6 * variants.length;
  for (let round = 0; round < options.maxSamples; round++) {
    if (round >= options.minSamples && now() - started > budgetNs) break;
    for (let k = 0; k < variants.length; k++) {
      const index = (round + k) % variants.length;
      const [wall, cpu] = await sample(variants[index]!, batches[index]!);
      rounds.wallNs[index]!.push(wall);
      rounds.cpuNs[index]!.push(cpu);
    }
  }
  return summarizeRounds(rounds);
}

/** Turns raw rounds into per-variant statistics (pure, so it can be tested without timing). */
export function summarizeRounds(rounds: Rounds): VariantStats[] {
  const base = rounds.wallNs[0]!;
  return rounds.names.map((name, index) => {
    const wall = rounds.wallNs[index]!;
    const deltas = wall.map((value, round) => value - base[round]!);
    return {
      name,
      medianNs: median(wall),
      minNs: Math.min(...wall),
      maxNs: Math.max(...wall),
      samples: wall.length,
      batch: rounds.batches[index]!,
      cpuMedianNs: median(rounds.cpuNs[index]!),
      deltaNs: median(deltas),
      deltaIqrNs: quantile(deltas, 0.75) - quantile(deltas, 0.25),
      ratio: median(wall.map((value, round) => value / base[round]!)),
    };
  });
}

/** The q-quantile of a non-empty list, interpolating between neighbours. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}
