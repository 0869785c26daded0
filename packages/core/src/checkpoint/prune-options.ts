import { z } from 'zod';
import { CheckpointStoreError } from '../errors/errors.js';
import type { RunSummary } from './types.js';

const RUN_STATUSES = [
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
  'suspended',
] as const satisfies readonly RunSummary['status'][];
const FINISHED_STATUSES: RunSummary['status'][] = ['succeeded', 'failed', 'cancelled', 'timed_out'];

const pruneOptionsShape = {
  /**
   * Delete only runs last updated before this: a `Date`, or an age in
   * milliseconds (`7 * 86_400_000` prunes runs untouched for a week).
   */
  olderThan: z.union([z.date(), z.number().finite().nonnegative()]).optional(),
  /** Keep the most recently updated `keepLast` runs (of the selected statuses) whatever their age. */
  keepLast: z.number().int().nonnegative().optional(),
  /**
   * Statuses of the runs that may be deleted. Running runs are excluded unless named here, and
   * even then a store skips a run another process holds (a lock, a live lease).
   * @default ['succeeded', 'failed', 'cancelled', 'timed_out']
   */
  status: z
    .union([z.enum(RUN_STATUSES), z.array(z.enum(RUN_STATUSES))])
    .default(FINISHED_STATUSES)
    .transform((value) => (Array.isArray(value) ? value : [value])),
};

// Deleting every run must be asked for explicitly, so an empty options object is an error.
const hasSelection = (options: { olderThan?: unknown; keepLast?: unknown }): boolean =>
  options.olderThan !== undefined || options.keepLast !== undefined;
const SELECTION_REQUIRED = {
  message: 'give olderThan or keepLast (pruning every run needs an explicit choice, e.g. { keepLast: 0 })',
};

/**
 * The schema of a checkpoint store's `prune` options (`FsCheckpointStore`, `S3CheckpointStore`):
 * at least one of `olderThan` and `keepLast` is required; unknown keys are dropped.
 */
export const pruneOptionsSchema = z.object(pruneOptionsShape).refine(hasSelection, SELECTION_REQUIRED);

/** {@link pruneOptionsSchema}, but rejecting unknown keys, so a misspelt option fails instead of being ignored. */
export const strictPruneOptionsSchema = z.object(pruneOptionsShape).strict().refine(hasSelection, SELECTION_REQUIRED);

/** Options of a checkpoint store's `prune`: which runs to delete, by age, count and status. */
export type PruneOptions = z.input<typeof pruneOptionsSchema>;

/** `PruneOptions` after defaults (`status` always an array). */
export type PruneOptionsWithDefaults = z.output<typeof pruneOptionsSchema>;

/**
 * Validates `prune` options, naming each offending one in a `CheckpointStoreError`.
 * With `strict`, unknown keys are errors too (see {@link strictPruneOptionsSchema}).
 */
export function parsePruneOptions(
  options: PruneOptions,
  { strict = false }: { strict?: boolean } = {},
): PruneOptionsWithDefaults {
  const result = (strict ? strictPruneOptionsSchema : pruneOptionsSchema).safeParse(options);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
  throw new CheckpointStoreError(`Invalid prune options ${JSON.stringify(options)}: ${problems.join('; ')}`, {
    cause: result.error,
  });
}
