import { CHECKPOINT_FORMAT_VERSION, type CheckpointRecord } from '@baton/core';

/** The workflow identity used by test records. */
export const TEST_WORKFLOW = { name: 'wf', version: '1', hash: 'a'.repeat(64) };

/** A `run.started` record. */
export function startedRecord(runId: string, at = 1_000): CheckpointRecord {
  return {
    v: CHECKPOINT_FORMAT_VERSION,
    type: 'run.started',
    runId,
    seq: 0,
    at,
    workflow: TEST_WORKFLOW,
    input: { runId },
  };
}

/** A succeeded `step` record. */
export function stepRecord(runId: string, seq: number, output: unknown = { seq }, at = 1_000 + seq): CheckpointRecord {
  return {
    v: CHECKPOINT_FORMAT_VERSION,
    type: 'step',
    runId,
    seq,
    at,
    workflow: TEST_WORKFLOW,
    stepId: `s${seq}`,
    status: 'succeeded',
    attempt: 1,
    durationMs: 1,
    output,
  };
}

/** A `run.finished` record. */
export function finishedRecord(
  runId: string,
  seq: number,
  status: 'succeeded' | 'failed' = 'succeeded',
  at = 1_000 + seq,
): CheckpointRecord {
  return { v: CHECKPOINT_FORMAT_VERSION, type: 'run.finished', runId, seq, at, workflow: TEST_WORKFLOW, status };
}
