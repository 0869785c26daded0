/** Table rows of the durable benches (`pg-store`, `langgraph-saver`), from `summarize` output. */
import { BatonError } from '@baton/core';
import type { Summary } from '../fs-sqlite/summary.js';
import type { BenchContext, BenchRow } from '../lib/types.js';

/** Thrown when a `--name=value` flag is not a positive integer. Code `BENCH_FLAG`. */
export class BenchFlagError extends BatonError {
  constructor(message: string, cause?: unknown) {
    super('BENCH_FLAG', { message, cause });
  }
}

/** The value of `--name=N` in `ctx.args`, or `fallback`; throws `BenchFlagError` unless N is a positive integer. */
export function numberFlag(ctx: Pick<BenchContext, 'args'>, name: string, fallback: number): number {
  const arg = ctx.args.find((candidate) => candidate.startsWith(`--${name}=`));
  if (arg === undefined) return fallback;
  const text = arg.slice(`--${name}=`.length);
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new BenchFlagError(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

/** Column names that differ between benches. */
export interface RowLabels {
  /** What `Summary.commits` counts, e.g. "commits" or "round trips". */
  commits: string;
  /** The ratio column of Baton's time over this variant's, e.g. "Baton ÷ this". */
  batonOver: string;
}

/** The `× floor` column, left out entirely for a bench without a floor. */
function floorColumn(summary: Summary): Record<string, number> {
  return summary.vsFloor === null ? {} : { '× floor': summary.vsFloor };
}

/** A chain table row: one run of `steps` steps, per-step times and per-run counts. */
export function chainRow(table: string, summary: Summary, steps: number, labels: RowLabels): BenchRow {
  return {
    table,
    what: summary.name,
    'µs/step': (summary.medianMs * 1000) / steps,
    'min µs/step': (summary.minMs * 1000) / steps,
    'max µs/step': (summary.maxMs * 1000) / steps,
    'durable records/s': summary.records / (summary.medianMs / 1000),
    'records/run': summary.records,
    [`${labels.commits}/run`]: summary.commits,
    ...floorColumn(summary),
    [labels.batonOver]: summary.batonOver,
  };
}

/** A concurrent table row: `runs` runs of `steps` steps each, started at once. */
export function concurrentRow(
  table: string,
  summary: Summary,
  runs: number,
  steps: number,
  labels: RowLabels,
): BenchRow {
  return {
    table,
    what: summary.name,
    'runs/s': runs / (summary.medianMs / 1000),
    'µs/step (wall ÷ steps)': (summary.medianMs * 1000) / (runs * steps),
    'durable records/s': summary.records / (summary.medianMs / 1000),
    'records/run': summary.records / runs,
    [labels.commits]: summary.commits,
    [`records/${labels.commits.replace(/s$/, '')}`]: summary.records / summary.commits,
    ...floorColumn(summary),
    [labels.batonOver]: summary.batonOver,
  };
}
