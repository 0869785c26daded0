import type { CheckpointRecord } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { resultFromRecords } from './worker-run-result.js';

const base = { v: 1, at: 0, hash: 'h', prevHash: 'p' };
const start = { ...base, seq: 0, type: 'run.started' } as unknown as CheckpointRecord;
const step = (seq: number, stepId: string, status: 'succeeded' | 'failed', output?: unknown) =>
  ({ ...base, seq, type: 'step', stepId, status, attempt: 1, durationMs: 1, output }) as unknown as CheckpointRecord;
const finished = (seq: number, status: string, error?: unknown) =>
  ({ ...base, seq, type: 'run.finished', status, ...(error ? { error } : {}) }) as unknown as CheckpointRecord;

describe('resultFromRecords', () => {
  it('is undefined while the run has not finished (or was resumed after finishing)', () => {
    expect(resultFromRecords('r', [])).toBeUndefined();
    expect(resultFromRecords('r', [start, step(1, 'a', 'succeeded', 1)])).toBeUndefined();
    const resumed = { ...base, seq: 3, type: 'run.resumed' } as unknown as CheckpointRecord;
    expect(resultFromRecords('r', [start, finished(1, 'failed'), resumed])).toBeUndefined();
  });

  it("takes each step's latest record: a later failure drops an earlier output, a later success replaces it", () => {
    const records = [
      start,
      step(1, 'a', 'succeeded', 'A1'),
      step(2, 'b', 'succeeded', 'B1'),
      step(3, 'a', 'failed'),
      step(4, 'b', 'succeeded', 'B2'),
      finished(5, 'failed', { name: 'Error', message: 'boom' }),
    ];
    expect(resultFromRecords('r', records)).toEqual({
      runId: 'r',
      status: 'failed',
      outputs: { b: 'B2' },
      error: { name: 'Error', message: 'boom' },
    });
  });

  it('returns a succeeded run without an error field', () => {
    expect(resultFromRecords('r', [start, step(1, 'a', 'succeeded', 'A'), finished(2, 'succeeded')])).toEqual({
      runId: 'r',
      status: 'succeeded',
      outputs: { a: 'A' },
    });
  });
});
