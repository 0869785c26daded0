import {
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointRecord,
  type RunFinishedRecord,
  type RunStatus,
  type SerializedError,
  type StepRecord,
} from '../checkpoint/types.js';
import type { WorkflowIdentity } from '../workflow/types.js';

// Records are built as literals with their fields in the order they always had
// (stores serialize them; durable ones hash that text), without spreads or deletes.

/** Identifies the run a record belongs to. */
export interface RecordTarget {
  readonly runId: string;
  readonly workflow: WorkflowIdentity;
}

/** The `run.started` record (with the input), or `run.resumed` when `firstSeq` > 0. */
export function startRecord(
  run: RecordTarget,
  seq: number,
  at: number,
  input: unknown,
  meta: Record<string, unknown> | undefined,
): CheckpointRecord {
  const { runId, workflow } = run;
  const v = CHECKPOINT_FORMAT_VERSION;
  if (seq === 0) {
    return meta
      ? { v, runId, seq, at, workflow, type: 'run.started', input, meta }
      : { v, runId, seq, at, workflow, type: 'run.started', input };
  }
  return meta
    ? { v, runId, seq, at, workflow, type: 'run.resumed', meta }
    : { v, runId, seq, at, workflow, type: 'run.resumed' };
}

/** A step that succeeded; `output` is left out when undefined. */
export function succeededRecord(
  run: RecordTarget,
  seq: number,
  at: number,
  stepId: string,
  attempt: number,
  durationMs: number,
  output: unknown,
): StepRecord {
  const { runId, workflow } = run;
  const v = CHECKPOINT_FORMAT_VERSION;
  return output === undefined
    ? { v, runId, seq, at, workflow, type: 'step', stepId, status: 'succeeded', attempt, durationMs }
    : { v, runId, seq, at, workflow, type: 'step', stepId, status: 'succeeded', attempt, durationMs, output };
}

/** A step that did not succeed (`error` present) or was skipped (no error); `meta` (plugins') goes last. */
export function endedRecord(
  run: RecordTarget,
  seq: number,
  at: number,
  stepId: string,
  status: StepRecord['status'],
  attempt: number,
  durationMs: number,
  error: SerializedError | undefined,
  meta?: Record<string, unknown>,
): StepRecord {
  const { runId, workflow } = run;
  const v = CHECKPOINT_FORMAT_VERSION;
  const record: StepRecord =
    error === undefined
      ? { v, runId, seq, at, workflow, type: 'step', stepId, status, attempt, durationMs }
      : { v, runId, seq, at, workflow, type: 'step', stepId, status, attempt, durationMs, error };
  // Only failed, timed-out or cancelled steps carry meta (rare): the common records keep their literal shape.
  if (meta) record.meta = meta;
  return record;
}

/** The `run.finished` record. */
export function finishedRecord(
  run: RecordTarget,
  seq: number,
  at: number,
  status: RunStatus,
  error: SerializedError | undefined,
): RunFinishedRecord {
  const { runId, workflow } = run;
  const v = CHECKPOINT_FORMAT_VERSION;
  return error === undefined
    ? { v, runId, seq, at, workflow, type: 'run.finished', status }
    : { v, runId, seq, at, workflow, type: 'run.finished', status, error };
}
