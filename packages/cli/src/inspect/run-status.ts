import type { CheckpointRecord, CheckpointStore, RunOwner, RunSummary, Workflow } from '@baton/core';

/** Every status `baton runs` shows: the store's, plus `interrupted` for an unfinished run whose owner is gone. */
export type ShownStatus = RunSummary['status'] | 'interrupted';

/** What the CLI can say about a run's status and who is (or was) executing it. */
export interface RunLiveness {
  status: ShownStatus;
  /** The run's owner as the store judged it, when it has one. */
  owner?: RunOwner;
  /** Why the status is what it is, when that is not obvious: `owner gone: …`, `liveness unknown: …`. */
  note?: string;
}

/** The note of a run whose store cannot tell a live owner from a crashed one. */
export const LIVENESS_UNKNOWN = 'liveness unknown';

/**
 * Judges an unfinished (`running`) run by its owner: `running` while the store says the owner is alive,
 * `interrupted` when the owner is gone (dead pid, expired lease) or nobody holds the run any more. A store
 * without `ownerOf` (or whose lookup fails) leaves the status `running` with a "liveness unknown" note
 * rather than guessing. Finished runs are returned as they are.
 */
export async function judgeLiveness(
  store: Pick<CheckpointStore, 'ownerOf'>,
  runId: string,
  status: RunSummary['status'],
): Promise<RunLiveness> {
  if (status !== 'running') return { status };
  if (typeof store.ownerOf !== 'function')
    return { status, note: `${LIVENESS_UNKNOWN} (the store cannot tell who owns a run: it has no ownerOf)` };
  let owner: RunOwner | undefined;
  try {
    owner = await store.ownerOf(runId);
  } catch (error) {
    return { status, note: `${LIVENESS_UNKNOWN} (${error instanceof Error ? error.message : String(error)})` };
  }
  if (owner === undefined)
    return { status: 'interrupted', note: 'no owner: nobody holds the run, yet it never finished' };
  if (owner.alive) return { status, owner };
  return { status: 'interrupted', owner, note: `owner gone: ${owner.description}` };
}

/**
 * The steps that were in flight in the run's latest execution (start or resume), derived from its log
 * against the workflow: not finished (no `succeeded`/`skipped` record, and no record at all since that
 * execution began) while every step it needs had finished. No record is written when a step starts, so
 * this says which steps were ready, not which had reached their agent (limits may have queued some).
 */
export function inFlightSteps(workflow: Pick<Workflow, 'steps'>, records: readonly CheckpointRecord[]): string[] {
  let executionStart = 0;
  records.forEach((record, index) => {
    if (record.type === 'run.started' || record.type === 'run.resumed') executionStart = index;
  });
  const done = new Set<string>();
  const endedInThisExecution = new Set<string>();
  records.forEach((record, index) => {
    if (record.type !== 'step') return;
    if (record.status === 'succeeded' || record.status === 'skipped') done.add(record.stepId);
    else done.delete(record.stepId);
    if (index > executionStart) endedInThisExecution.add(record.stepId);
  });
  return Object.entries(workflow.steps).flatMap(([id, step]) =>
    !done.has(id) && !endedInThisExecution.has(id) && (step.needs ?? []).every((need) => done.has(need)) ? [id] : [],
  );
}
