import type { CheckpointRecord, RunStartedRecord, RunStatus, StepRecord } from '../checkpoint/types.js';
import { CheckpointCorruptedError } from '../errors/errors.js';
import { deserializeError } from './serialize.js';
import type { RunResult, StepSummary } from './types.js';

/** What a run's records say. */
export interface ReplayedRun {
  start: RunStartedRecord;
  /** Latest record per step. */
  steps: Map<string, StepRecord>;
  /** The last terminal status, if the last execution finished. */
  finished: { status: RunStatus; record: CheckpointRecord & { type: 'run.finished' } } | undefined;
  /** Meta of the start record and of the latest resume. */
  lastMeta: Record<string, unknown> | undefined;
}

/** Folds a run's records; throws `CheckpointCorruptedError` if it does not start with `run.started`. */
export function replayRun(records: readonly CheckpointRecord[]): ReplayedRun {
  const start = records[0];
  if (!start || start.type !== 'run.started') {
    throw new CheckpointCorruptedError(
      `run '${start?.runId ?? '?'}' record 0`,
      `expected a run.started record, found ${start ? start.type : 'nothing'}`,
    );
  }
  const steps = new Map<string, StepRecord>();
  let finished: ReplayedRun['finished'];
  let lastMeta = start.meta;
  for (const record of records) {
    if (record.type === 'step') steps.set(record.stepId, record);
    else if (record.type === 'run.finished') finished = { status: record.status, record };
    else if (record.type === 'run.resumed') {
      finished = undefined;
      lastMeta = record.meta ?? lastMeta;
    }
  }
  return { start, steps, finished, lastMeta };
}

/** Rebuilds the result of a run that already succeeded, without running anything. */
export function storedResult(runId: string, replayed: ReplayedRun, stepIds: readonly string[]): RunResult {
  const outputs: Record<string, unknown> = {};
  const steps: Record<string, StepSummary> = {};
  for (const id of stepIds) {
    const record = replayed.steps.get(id);
    if (!record) {
      steps[id] = { status: 'pending', attempts: 0, durationMs: 0 };
      continue;
    }
    if (record.status === 'succeeded') outputs[id] = record.output;
    steps[id] = { status: record.status, attempts: record.attempt, durationMs: record.durationMs, restored: true };
  }
  const finished = replayed.finished!;
  return {
    runId,
    status: finished.status,
    outputs,
    steps,
    durationMs: finished.record.at - replayed.start.at,
    ...(finished.record.error ? { error: deserializeError(finished.record.error) } : {}),
  };
}
