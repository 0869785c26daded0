import { describe, expect, it } from 'vitest';
import type { RunSummary } from '@baton/core';
import { selectRunsToPrune } from './select-runs-to-prune.js';

const DAY = 86_400_000;
const now = 100 * DAY;
const run = (runId: string, ageDays: number, status: RunSummary['status'] = 'succeeded'): RunSummary => ({
  runId,
  status,
  workflow: { name: 'w', version: '1', hash: 'h' },
  startedAt: now - ageDays * DAY,
  updatedAt: now - ageDays * DAY,
  records: 3,
});

describe('selectRunsToPrune', () => {
  const runs = [
    run('new', 1),
    run('week', 8),
    run('month', 30, 'failed'),
    run('stuck', 40, 'running'),
    run('old', 50, 'cancelled'),
  ];

  it('deletes finished runs older than the cutoff, never running ones', () => {
    expect(selectRunsToPrune(runs, { olderThanMs: 7 * DAY, now }).map((r) => r.runId)).toEqual([
      'week',
      'month',
      'old',
    ]);
  });

  it('always keeps the N most recent finished runs', () => {
    expect(selectRunsToPrune(runs, { olderThanMs: 7 * DAY, keepLast: 2, now }).map((r) => r.runId)).toEqual([
      'month',
      'old',
    ]);
  });

  it('with only --keep-last, deletes everything finished beyond the N most recent', () => {
    expect(selectRunsToPrune(runs, { keepLast: 1, now }).map((r) => r.runId)).toEqual(['week', 'month', 'old']);
  });
});
