import { BatonError, RunNotFoundError, type CheckpointStore } from '@baton/core';
import { selectRunsToPrune } from './select-runs-to-prune.js';

/** How one run's log fared in `verify`. */
export interface RunCheck {
  runId: string;
  ok: boolean;
  records: number;
  /** Where the log lives, when the store says (fs: its file). */
  file?: string;
  /** Bytes of a torn tail the store ignored (a crash mid-append; not corruption). */
  tornBytes?: number;
  /** Why the log failed verification. */
  error?: { code?: string; message: string };
}

/** Maintenance methods some stores add to `CheckpointStore` (`FsCheckpointStore` has both). */
interface MaintainableStore extends CheckpointStore {
  verify?(runId?: string): Promise<{
    ok: boolean;
    runs: {
      runId: string;
      ok: boolean;
      records: number;
      file?: string;
      tornBytes?: number;
      error?: Error & { code?: string };
    }[];
  }>;
  prune?(options: {
    olderThan?: number;
    keepLast?: number;
  }): Promise<{ deleted: string[]; skipped: { runId: string; reason: string }[] }>;
}

/**
 * Verifies one run or all: through the store's own `verify` when it has one,
 * else by reading each run (durable stores check every record's SHA-256 chain on read).
 */
export async function verifyStore(store: CheckpointStore, runId?: string): Promise<RunCheck[]> {
  const maintainable = store as MaintainableStore;
  if (typeof maintainable.verify === 'function') {
    const report = await maintainable.verify(runId);
    return report.runs.map(({ error, ...run }) => ({
      ...run,
      ...(error ? { error: { ...(error.code ? { code: error.code } : {}), message: error.message } } : {}),
    }));
  }
  const runIds = runId ? [runId] : (await store.listRuns()).map((run) => run.runId).sort();
  const checks: RunCheck[] = [];
  for (const id of runIds) checks.push(await readCheck(store, id));
  return checks;
}

async function readCheck(store: CheckpointStore, runId: string): Promise<RunCheck> {
  try {
    const records = await store.read(runId);
    if (records.length === 0) throw new RunNotFoundError(runId);
    return { runId, ok: true, records: records.length };
  } catch (error) {
    // Only integrity problems are a verdict on the run; anything else (permissions, network) fails the command.
    if (!BatonError.isInstance(error) || error.code !== 'BATON_CHECKPOINT_CORRUPTED') throw error;
    return { runId, ok: false, records: 0, error: { code: error.code, message: error.message } };
  }
}

/** What `prune` did (or, with `dryRun`, would do). */
export interface PruneOutcome {
  deleted: string[];
  skipped: { runId: string; reason: string }[];
}

/**
 * Deletes finished runs older than `olderThanMs`, keeping the `keepLast` most
 * recent: through the store's own `prune` when it has one (it also skips runs
 * another process holds), else with `listRuns` + `deleteRun` by the same rule.
 */
export async function pruneStore(
  store: CheckpointStore,
  options: { olderThanMs?: number | undefined; keepLast?: number | undefined; dryRun?: boolean },
): Promise<PruneOutcome> {
  const maintainable = store as MaintainableStore;
  if (!options.dryRun && typeof maintainable.prune === 'function') {
    return maintainable.prune({
      ...(options.olderThanMs !== undefined ? { olderThan: options.olderThanMs } : {}),
      ...(options.keepLast !== undefined ? { keepLast: options.keepLast } : {}),
    });
  }
  const doomed = selectRunsToPrune(await store.listRuns(), {
    olderThanMs: options.olderThanMs,
    keepLast: options.keepLast,
    now: Date.now(),
  });
  if (!options.dryRun) for (const run of doomed) await store.deleteRun(run.runId);
  return { deleted: doomed.map((run) => run.runId), skipped: [] };
}
