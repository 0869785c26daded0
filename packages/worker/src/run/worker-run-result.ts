import type { CheckpointRecord, RunStatus, SerializedError } from '@baton/core';

/** A run's outcome as the client reads it from the store (the store, not the queue, is the truth). */
export interface WorkerRunResult {
  runId: string;
  status: RunStatus;
  /** Outputs of the steps whose latest record succeeded, by step id. */
  outputs: Record<string, unknown>;
  /** Why the run did not succeed, as stored in its `run.finished` record. */
  error?: SerializedError;
}

/** The run's result when its last record is `run.finished`; `undefined` while it is queued or running. */
export function resultFromRecords(runId: string, records: readonly CheckpointRecord[]): WorkerRunResult | undefined {
  const last = records.at(-1);
  if (last?.type !== 'run.finished') return undefined;
  const outputs: Record<string, unknown> = {};
  for (const record of records) {
    if (record.type !== 'step') continue;
    if (record.status === 'succeeded') outputs[record.stepId] = record.output;
    else delete outputs[record.stepId];
  }
  return { runId, status: last.status, outputs, ...(last.error ? { error: last.error } : {}) };
}
