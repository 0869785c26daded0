import { describe, expect, it } from 'vitest';
import { validateWorkflow } from '../workflow/define-workflow.js';
import { backoffDelay, DEFAULT_RETRY, resolveRetryPolicy } from './retry-policy.js';

describe('backoffDelay', () => {
  it('grows exponentially from the documented defaults and is capped at maxDelayMs', () => {
    const policy = resolveRetryPolicy({ jitter: 'none' });
    expect(DEFAULT_RETRY).toEqual({
      maxAttempts: 3,
      initialDelayMs: 200,
      backoffFactor: 2,
      maxDelayMs: 30_000,
      jitter: 'full',
    });
    expect([1, 2, 3, 4, 5, 8, 9, 20, 2000].map((retry) => backoffDelay(policy, retry))).toEqual([
      200, 400, 800, 1600, 3200, 25_600, 30_000, 30_000, 30_000,
    ]);
  });

  it('applies full and equal jitter within bounds, and the cap after jitter', () => {
    const full = resolveRetryPolicy({ jitter: 'full' });
    expect(backoffDelay(full, 3, () => 0)).toBe(0);
    expect(backoffDelay(full, 3, () => 0.5)).toBe(400);
    expect(backoffDelay(full, 3, () => 0.999999)).toBe(800);
    const equal = resolveRetryPolicy({ jitter: 'equal' });
    expect(backoffDelay(equal, 3, () => 0)).toBe(400);
    expect(backoffDelay(equal, 3, () => 0.5)).toBe(600);
    const capped = resolveRetryPolicy({ jitter: 'equal', initialDelayMs: 5000, maxDelayMs: 1000 });
    for (const r of [0, 0.3, 0.999999]) expect(backoffDelay(capped, 4, () => r)).toBeLessThanOrEqual(1000);
  });

  it('never returns more than the cap, even for huge factors or attempt numbers', () => {
    const policy = resolveRetryPolicy({ backoffFactor: 1e300, jitter: 'none', maxDelayMs: 5000 });
    expect(backoffDelay(policy, 10)).toBe(5000);
  });

  it('merges layers: later wins, undefined does not override', () => {
    expect(resolveRetryPolicy({ maxAttempts: 5 }, { initialDelayMs: 10, maxAttempts: undefined })).toMatchObject({
      maxAttempts: 5,
      initialDelayMs: 10,
      maxRetryAfterMs: 300_000,
      maxElapsedMs: Infinity,
    });
  });
});

describe('retry option validation', () => {
  it('names the option and the bad value for negative, NaN, infinite and factor < 1', () => {
    const messages = validateWorkflow({
      name: 'w',
      version: '1',
      retry: { initialDelayMs: -5, maxDelayMs: Number.POSITIVE_INFINITY },
      steps: { a: { run: () => 1, retry: { backoffFactor: 0.5, maxAttempts: Number.NaN, jitter: 'loud' } } },
    }).errors.map((problem) => `${problem.path.join('.')}: ${problem.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^retry\.initialDelayMs: .*\(got -5\)$/),
        expect.stringMatching(/^retry\.maxDelayMs: .*\(got Infinity\)$/),
        expect.stringMatching(/^steps\.a\.retry\.backoffFactor: .*\(got 0\.5\)$/),
        expect.stringMatching(/^steps\.a\.retry\.maxAttempts: .*\(got NaN\)$/),
        expect.stringMatching(/^steps\.a\.retry\.jitter: .*\(got "loud"\)$/),
      ]),
    );
  });
});
