import { describe, expect, it } from 'vitest';
import type { CheckpointRecord } from '@baton/core';
import { paletteFor } from '../display/format.js';
import { buildTimeline, formatTimeline } from './timeline.js';

const workflow = { name: 'w', version: '1', hash: 'h' };
const records: CheckpointRecord[] = [
  { v: 1, runId: 'r', seq: 0, at: 1_000, workflow, type: 'run.started', input: { topic: 'x' } },
  {
    v: 1,
    runId: 'r',
    seq: 1,
    at: 1_100,
    workflow,
    type: 'step',
    stepId: 'plan',
    status: 'succeeded',
    attempt: 1,
    durationMs: 90,
    output: 'p',
  },
  {
    v: 1,
    runId: 'r',
    seq: 2,
    at: 2_500,
    workflow,
    type: 'step',
    stepId: 'search',
    status: 'failed',
    attempt: 3,
    durationMs: 1_400,
    error: { name: 'RetryableError', message: 'down\nmore', code: 'E503', kind: 'retryable' },
  },
  {
    v: 1,
    runId: 'r',
    seq: 3,
    at: 2_510,
    workflow,
    type: 'run.finished',
    status: 'failed',
    error: { name: 'Error', message: 'step search failed' },
  },
];

describe('timeline', () => {
  it('turns records into rows with attempts, durations, errors and classifications', () => {
    const timeline = buildTimeline(records);
    expect(timeline[2]).toEqual({
      seq: 2,
      offsetMs: 1_500,
      event: 'step',
      stepId: 'search',
      status: 'failed',
      attempts: 3,
      durationMs: 1_400,
      error: 'RetryableError: down (E503)',
      classification: 'retryable',
    });
    const text = formatTimeline(timeline, paletteFor({ isTTY: false }, {}));
    expect(text.split('\n')).toEqual([
      'TIME    RECORD        STEP    STATUS     ATTEMPTS  DURATION  CLASS       ERROR',
      '+0ms    run.started',
      '+100ms  step          plan    succeeded  1         90ms',
      '+1.5s   step          search  failed     3         1.4s      retryable   RetryableError: down (E503)',
      '+1.5s   run.finished          failed                         retryable*  Error: step search failed',
      '* not recorded with the error; classified now from its name and code',
    ]);
  });
});
