import type { CheckpointRecord, RunSummary } from './types.js';

/** Summarizes one run's records (for `listRuns`); `undefined` for an empty log. */
export function summarizeRun(records: readonly CheckpointRecord[]): RunSummary | undefined {
  const first = records[0];
  const last = records[records.length - 1];
  if (!first || !last) return undefined;
  let status: RunSummary['status'] = 'running';
  for (const record of records) {
    if (record.type === 'run.finished') status = record.status;
    else if (record.type === 'run.resumed') status = 'running';
  }
  return {
    runId: first.runId,
    workflow: last.workflow,
    status,
    startedAt: first.at,
    updatedAt: last.at,
    records: records.length,
  };
}
