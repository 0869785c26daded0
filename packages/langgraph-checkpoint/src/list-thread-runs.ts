import type { CheckpointStore } from '@baton/core';
import { SAVER_WORKFLOW } from './records.js';

/** True for the run ids `threadRunId` makes. */
const isThreadRunId = (runId: string): boolean => runId.startsWith('lg.') || runId.startsWith('lg-');

/**
 * The ids of the store's LangGraph thread runs, oldest first. Stores leave a
 * run they cannot read out of `listRuns` with a `run_unreadable` warning; for a
 * thread run that would make `list` silently miss a tampered thread, so such a
 * run is read here, which rejects with the store's own error
 * (`CheckpointCorruptedError`).
 */
export async function listThreadRuns(store: CheckpointStore): Promise<string[]> {
  const unreadable: string[] = [];
  const unsubscribe = store.onWarning?.((warning) => {
    if (warning.code === 'run_unreadable' && warning.runId !== undefined && isThreadRunId(warning.runId)) {
      unreadable.push(warning.runId);
    }
  });
  let runs: string[];
  try {
    runs = (await store.listRuns({ workflow: SAVER_WORKFLOW.name })).map((run) => run.runId);
  } finally {
    unsubscribe?.();
  }
  // A warning can come from another caller's listRuns running meanwhile: a run that reads fine is not at fault.
  for (const runId of unreadable) await store.read(runId);
  return runs;
}
