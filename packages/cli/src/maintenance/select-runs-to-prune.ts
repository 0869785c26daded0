import type { RunSummary } from '@baton/core';

/**
 * Which finished runs to delete: those last updated before `now - olderThanMs`
 * (all, without it), except the `keepLast` most recently updated. Runs still
 * `running` (possibly in progress elsewhere, or waiting to be resumed) are never chosen.
 */
export function selectRunsToPrune(
  runs: readonly RunSummary[],
  options: { olderThanMs?: number | undefined; keepLast?: number | undefined; now: number },
): RunSummary[] {
  const finished = runs.filter((run) => run.status !== 'running').sort((a, b) => b.updatedAt - a.updatedAt);
  const candidates = finished.slice(options.keepLast ?? 0);
  const cutoff = options.olderThanMs === undefined ? Number.POSITIVE_INFINITY : options.now - options.olderThanMs;
  return candidates.filter((run) => run.updatedAt < cutoff);
}
