import { CheckpointStoreError, type RunSummary } from '@baton/core';
import { z } from 'zod';

const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'timed_out'] as const;
const FINISHED_STATUSES: RunSummary['status'][] = ['succeeded', 'failed', 'cancelled', 'timed_out'];

/** The schema of `prune`'s options; at least one of `olderThan` and `keepLast` is required. */
export const pruneOptionsSchema = z
  .object({
    /**
     * Delete only runs last updated before this: a `Date`, or an age in
     * milliseconds (`7 * 86_400_000` prunes runs untouched for a week).
     */
    olderThan: z.union([z.date(), z.number().finite().nonnegative()]).optional(),
    /** Keep the most recently updated `keepLast` runs (of the selected statuses) whatever their age. */
    keepLast: z.number().int().nonnegative().optional(),
    /**
     * Statuses of the runs that may be deleted. Running runs are excluded
     * unless named here (and even then, a run locked by a live process is skipped).
     * @default ['succeeded', 'failed', 'cancelled', 'timed_out']
     */
    status: z
      .union([z.enum(RUN_STATUSES), z.array(z.enum(RUN_STATUSES))])
      .default(FINISHED_STATUSES)
      .transform((value) => (Array.isArray(value) ? value : [value])),
  })
  .refine((options) => options.olderThan !== undefined || options.keepLast !== undefined, {
    message: 'give olderThan or keepLast (pruning every run needs an explicit choice, e.g. { keepLast: 0 })',
  });

/** Options of `FsCheckpointStore.prune`. */
export type PruneOptions = z.input<typeof pruneOptionsSchema>;

/** `PruneOptions` after defaults. */
export type PruneOptionsWithDefaults = z.output<typeof pruneOptionsSchema>;

/** Validates `prune` options, naming each offending one. */
export function parsePruneOptions(options: PruneOptions): PruneOptionsWithDefaults {
  const result = pruneOptionsSchema.safeParse(options);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
  throw new CheckpointStoreError(`Invalid prune options ${JSON.stringify(options)}: ${problems.join('; ')}`, { cause: result.error });
}
