import type { CheckpointRecord } from '@baton/core';

/**
 * The records a finished run needs to be restored and summarized: its first
 * `run.started` (it holds the input), the last record of each step and the
 * last `run.finished`, in their original order, and every `wait.started` and
 * `input.received` (the audit trail of who answered what). Earlier attempts of
 * a step and `run.resumed` markers are dropped.
 */
export function finalRecords(records: readonly CheckpointRecord[]): CheckpointRecord[] {
  const keep = new Map<string, CheckpointRecord>();
  for (const record of records) {
    if (record.type === 'run.started') {
      if (!keep.has('run.started')) keep.set('run.started', record);
    } else if (record.type === 'run.finished') {
      keep.set('run.finished', record);
    } else if (record.type === 'step') {
      keep.set(`step:${record.stepId}`, record);
    } else if (record.type === 'wait.started' || record.type === 'input.received') {
      keep.set(`${record.type}:${record.seq}`, record);
    }
  }
  return [...keep.values()].sort((a, b) => a.seq - b.seq);
}
