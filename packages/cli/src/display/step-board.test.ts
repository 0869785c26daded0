import { describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '@baton/core';
import { paletteFor } from './format.js';
import { describeEvent } from './plain-log.js';
import { renderBoard } from './render-board.js';
import { StepBoard } from './step-board.js';

const workflow = { name: 'demo', version: '1.0.0', hash: 'h' };
const base = { runId: 'r1', workflow, at: 1_000 };
const plain = paletteFor({ isTTY: false }, {});

function board(): StepBoard {
  return new StepBoard([
    { id: 'plan', maxAttempts: 3 },
    { id: 'search', maxAttempts: 5 },
    { id: 'write', maxAttempts: 3 },
  ]);
}

describe('StepBoard', () => {
  it('starts with every step waiting', () => {
    expect(renderBoard(board(), plain, 1_000, 'demo')).toBe(
      ['demo', '  · plan    waiting', '  · search  waiting', '  · write   waiting'].join('\n'),
    );
  });

  it('shows running with elapsed time, retrying n of m with the error, done, skipped and failed', () => {
    const state = board();
    const events: SupervisorEvent[] = [
      { ...base, type: 'run.started', resumed: false, stepCount: 3 },
      { ...base, type: 'step.started', stepId: 'plan', attempt: 1 },
      { ...base, at: 1_250, type: 'step.succeeded', stepId: 'plan', attempt: 1, durationMs: 250 },
      { ...base, at: 1_300, type: 'step.started', stepId: 'search', attempt: 1 },
      {
        ...base,
        at: 1_400,
        type: 'step.retrying',
        stepId: 'search',
        attempt: 1,
        delayMs: 400,
        classification: { kind: 'retryable' },
        error: { name: 'Error', message: 'ECONNRESET\nstack' },
      },
      { ...base, at: 1_400, type: 'step.skipped', stepId: 'write', reason: 'condition' },
    ];
    for (const event of events) state.apply(event);
    expect(state.runId).toBe('r1');
    expect(renderBoard(state, plain, 1_500, 'demo').split('\n').slice(1)).toEqual([
      '  ✔ plan    done 250ms',
      '  ↻ search  retrying 2 of 5 in 300ms: ECONNRESET',
      '  - write   skipped (`when` was false)',
    ]);
    state.apply({ ...base, at: 1_800, type: 'step.started', stepId: 'search', attempt: 2 });
    expect(renderBoard(state, plain, 2_300, 'demo').split('\n')[2]).toBe('  ⠸ search  running 1.0s attempt 2 of 5');
    state.apply({
      ...base,
      at: 2_400,
      type: 'step.failed',
      stepId: 'search',
      attempt: 2,
      durationMs: 1_100,
      status: 'failed',
      classification: { kind: 'fatal' },
      error: { name: 'Error', message: 'bad request' },
    });
    expect(renderBoard(state, plain, 2_500, 'demo').split('\n')[2]).toBe(
      '  ✖ search  failed after 2 attempts: bad request [fatal]',
    );
  });

  it('names the fallback agent a step switched to', () => {
    const state = board();
    state.apply({ ...base, type: 'step.fallback', stepId: 'search', attempt: 2, from: 'primary', to: 'backup' });
    state.apply({ ...base, type: 'step.started', stepId: 'search', attempt: 3 });
    expect(renderBoard(state, plain, 1_000, 'demo').split('\n')[2]).toBe(
      '  ⠋ search  running 0ms attempt 3 of 5 (via backup)',
    );
    state.apply({ ...base, at: 1_200, type: 'step.succeeded', stepId: 'search', attempt: 3, durationMs: 200 });
    expect(renderBoard(state, plain, 1_300, 'demo').split('\n')[2]).toBe('  ✔ search  done 200ms (via backup)');
  });

  it('marks steps restored from a checkpoint', () => {
    const state = board();
    state.apply({ ...base, type: 'step.restored', stepId: 'plan', status: 'succeeded' });
    state.apply({ ...base, type: 'step.restored', stepId: 'search', status: 'failed' });
    const lines = renderBoard(state, plain, 1_000, 'demo').split('\n');
    expect(lines[1]).toBe('  ✔ plan    done 0ms (restored from checkpoint)');
    expect(lines[2]).toBe('  · search  waiting');
  });

  it('shows a step stopped by the run deadline as timed out, one stopped by a cancel as cancelled', () => {
    const state = board();
    state.apply({ ...base, type: 'step.started', stepId: 'plan', attempt: 1 });
    state.apply({ ...base, type: 'step.started', stepId: 'search', attempt: 1 });
    state.apply({
      ...base,
      type: 'step.cancelled',
      stepId: 'plan',
      attempt: 1,
      durationMs: 300,
      status: 'timed_out',
      reason: { name: 'RunTimeoutError', message: 'deadline' },
    });
    state.apply({
      ...base,
      type: 'step.cancelled',
      stepId: 'search',
      attempt: 1,
      durationMs: 300,
      status: 'cancelled',
      reason: { name: 'CancelledError', message: 'cancelled' },
    });
    const lines = renderBoard(state, plain, 1_500, 'demo').split('\n');
    expect(lines[1]).toBe('  ✖ plan    timed out after 1 attempt: stopped by the run deadline');
    expect(lines[2]).toBe('  ■ search  cancelled after 300ms');
    expect(
      describeEvent(
        {
          ...base,
          type: 'step.cancelled',
          stepId: 'plan',
          attempt: 1,
          durationMs: 300,
          status: 'timed_out',
          reason: { name: 'RunTimeoutError', message: 'deadline' },
        },
        3,
      ),
    ).toBe('plan: timed out (run deadline) after 300ms');
    expect(
      describeEvent(
        {
          ...base,
          type: 'step.cancelled',
          stepId: 'plan',
          attempt: 1,
          durationMs: 300,
          status: 'cancelled',
          reason: { name: 'CancelledError', message: 'cancelled' },
        },
        3,
      ),
    ).toBe('plan: cancelled after 300ms');
  });

  it('ignores events of steps it does not know', () => {
    expect(board().apply({ ...base, type: 'step.started', stepId: 'other', attempt: 1 })).toBeUndefined();
  });
});

describe('describeEvent (plain log)', () => {
  it('writes one readable line per event', () => {
    expect(describeEvent({ ...base, type: 'step.started', stepId: 'plan', attempt: 1 }, 3)).toBe(
      'plan: running (attempt 1 of 3)',
    );
    expect(
      describeEvent(
        {
          ...base,
          type: 'step.retrying',
          stepId: 'plan',
          attempt: 1,
          delayMs: 200,
          classification: { kind: 'rate_limited' },
          error: { name: 'Error', message: '429' },
        },
        3,
      ),
    ).toBe('plan: retrying 2 of 3 in 200ms: 429 [rate_limited]');
    expect(describeEvent({ ...base, type: 'run.completed', status: 'timed_out', durationMs: 5_000 }, 0)).toBe(
      'run r1 timed out in 5.0s',
    );
    expect(
      describeEvent({ ...base, type: 'step.waiting', stepId: 'plan', attempt: 1, reason: 'rate', key: 'k' }, 3),
    ).toBeUndefined();
  });
});
